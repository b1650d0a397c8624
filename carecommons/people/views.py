from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.forms import BaseForm as Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event, trail_for
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.models import fresh_copy
from carecommons.lib.once import create_once
from carecommons.people import digests, services
from carecommons.people.access import (
    can_manage_accounts,
    can_read_audit,
    can_use_directory,
    get_affiliation,
    get_organisation_for_user,
    get_own_person,
    get_person_for_user,
    get_relationship,
    organisations_visible_to,
    people_visible_to,
    require_directory,
)
from carecommons.people.consent import decisions
from carecommons.people.forms import (
    AffiliationForm,
    ConsentForm,
    MergeForm,
    OrganisationForm,
    OwnConsentForm,
    PersonForm,
    RelationshipForm,
    RolesForm,
    SearchForm,
)
from carecommons.people.models import (
    Affiliation,
    Consent,
    ConsentPurpose,
    Organisation,
    Person,
)

PAGE_SIZE = 25


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = people_visible_to(request.user).prefetch_related(
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation"))
    )
    if query:
        people = people.search(query)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query}
    record_event(actor=request.user, action="person.list_viewed", target=None)
    if request.htmx:
        return render(request, "people/person_list.html#results", context)
    return render(request, "people/person_list.html", context)


@login_required
def person_create(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    form = PersonForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags, key = data.pop("tags"), data.pop("submission")
        try:
            person = create_once(
                key=key,
                user=request.user,
                model=Person,
                create=lambda: services.create_person(by=request.user, tags=tags, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"{person.display_name} was added.")
            return redirect("people:person_detail", person_id=person.uuid)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_detail(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id)
    record_event(actor=request.user, action="person.viewed", target=person)
    consents = list(person.consents.select_related("wording", "partner", "recorded_by"))
    current = person.consents.current().select_related("partner")
    context = {
        "person": person,
        "affiliations": person.affiliations.select_related("organisation"),
        "relationships_out": person.relationships_out.select_related("to_person"),
        "relationships_in": person.relationships_in.select_related("from_person"),
        "tags": person.tags.all(),
        "consents": consents,
        "current_consents": current,
        "can_edit": can_use_directory(request.user),
        "can_read_audit": can_read_audit(request.user, person),
        "can_manage_accounts": can_manage_accounts(request.user),
        "is_own_record": person.user_id == request.user.pk,
        "merges": person.merges.all(),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def person_edit(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    form = PersonForm(post_data(request), instance=person)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.PERSON_FIELDS}
        try:
            services.update_person(
                person=fresh_copy(person),
                by=request.user,
                tags=form.cleaned_data["tags"],
                **data,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("people:person_detail", person_id=person.uuid)
    record_event(actor=request.user, action="person.edit_viewed", target=person)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
def consent_add(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    form = ConsentForm(post_data(request))
    wordings = {purpose: services.current_wording(purpose) for purpose in ConsentPurpose.values}
    if request.method == "POST" and form.is_valid():
        purpose = form.cleaned_data["purpose"]
        wording = wordings[purpose]
        if wording is None:
            form.add_error("purpose", "No wording has been published for this purpose yet.")
        else:
            try:
                create_once(
                    key=form.cleaned_data["submission"],
                    user=request.user,
                    model=Consent,
                    create=lambda: services.record_consent(
                        person=person,
                        purpose=purpose,
                        given=form.cleaned_data["decision"] == "given",
                        method=form.cleaned_data["method"],
                        wording=wording,
                        partner=form.cleaned_data["partner"],
                        decided_at=form.cleaned_data["decided_at"],
                        by=request.user,
                    ),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Consent decision recorded.")
                return redirect("people:person_detail", person_id=person.uuid)
    context = {
        "form": form,
        "person": person,
        "heading": "Record a consent decision",
        "wordings": [w for w in wordings.values() if w],
    }
    return render(request, "people/consent_form.html", context)


def person_subform(
    request: AuthedRequest, person: Person, form: Form, save: Callable[[], object], heading: str, done: str
) -> HttpResponse:
    """A small form that adds something to a person's record, then returns to it."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("people:person_detail", person_id=person.uuid)
    return render(request, "people/simple_form.html", {"form": form, "person": person, "heading": heading})


@login_required
def affiliation_add(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    form = AffiliationForm(post_data(request))
    return person_subform(
        request,
        person,
        form,
        lambda: services.add_affiliation(person=person, by=request.user, **form.cleaned_data),
        "Link to an organisation",
        "Affiliation added.",
    )


@login_required
def relationship_add(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    form = RelationshipForm(post_data(request), person=person)
    return person_subform(
        request,
        person,
        form,
        lambda: services.add_relationship(
            from_person=person,
            to_person=form.cleaned_data["to_person_email"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        "Add a relationship",
        "Relationship added.",
    )


@login_required
@require_POST
def affiliation_remove(request: AuthedRequest, person_id: UUID, affiliation_id: int) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    affiliation = get_affiliation(person, affiliation_id)
    services.remove_affiliation(affiliation=affiliation, by=request.user)
    messages.success(request, "Affiliation removed.")
    return redirect("people:person_detail", person_id=person.uuid)


@login_required
@require_POST
def relationship_remove(request: AuthedRequest, person_id: UUID, relationship_id: int) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    relationship = get_relationship(person, relationship_id)
    services.remove_relationship(relationship=relationship, by=request.user)
    messages.success(request, "Relationship removed.")
    return redirect("people:person_detail", person_id=person.uuid)


@login_required
def person_merge(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    survivor = get_person_for_user(request.user, person_id, write=True)
    form = MergeForm(request.POST or request.GET or None)
    other: Person | None = None
    if form.is_valid():
        if form.cleaned_data["other"]:
            other = get_person_for_user(request.user, form.cleaned_data["other"], write=True)
        elif form.cleaned_data["other_email"]:
            other = (
                people_visible_to(request.user)
                .filter(email=form.cleaned_data["other_email"].lower())
                .exclude(pk=survivor.pk)
                .first()
            )
            if other is None:
                form.add_error("other_email", "Nobody else in the directory has this email address.")
        if other is not None and other.pk == survivor.pk:
            form.add_error("other_email", "Choose a different person.")
            other = None
    if request.method == "POST" and other is not None:
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", "Tick the box to confirm these are the same person.")
        else:
            try:
                services.merge_people(survivor=survivor, absorbed=other, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The two records are now one.")
                return redirect("people:person_detail", person_id=survivor.uuid)
    candidates = (
        people_visible_to(request.user).exclude(pk=survivor.pk).filter(sort_key=survivor.sort_key)[:10]
        if other is None
        else []
    )
    context = {"person": survivor, "other": other, "form": form, "candidates": candidates}
    record_event(actor=request.user, action="person.merge_viewed", target=survivor)
    return render(request, "people/person_merge.html", context)


@login_required
def duplicate_list(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    people = people_visible_to(request.user)
    by_email = people.shared_emails()[:50]
    by_name = people.values("sort_key").annotate(n=Count("id")).filter(n__gt=1).order_by("sort_key")[:50]
    emails = [row["email"] for row in by_email]
    keys = [row["sort_key"] for row in by_name]
    groups: dict[str, list[Person]] = {}
    for person in people.filter(email__in=emails):
        groups.setdefault(f"Same email: {person.email}", []).append(person)
    for person in people.filter(sort_key__in=keys):
        groups.setdefault(f"Same name: {person.display_name}", []).append(person)
    record_event(actor=request.user, action="person.duplicates_viewed", target=None)
    return render(request, "people/duplicate_list.html", {"groups": groups})


@login_required
def person_audit(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id)
    if not can_read_audit(request.user, person):
        raise Http404
    absorbed = [str(u) for u in person.merges.values_list("absorbed_uuid", flat=True)]
    page = Paginator(trail_for(person, also_ids=absorbed), 50).get_page(request.GET.get("page"))
    record_event(actor=request.user, action="person.audit_viewed", target=person)
    # The person sees who looked, by name; staff addresses and emails are for convenors only.
    context = {"person": person, "page": page, "show_ip": can_read_audit(request.user)}
    return render(request, "people/person_audit.html", context)


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponse:
    organisations = organisations_visible_to(request.user)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    organisations = organisations.search(query).annotate(people_count=Count("affiliations")).order_by("name")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query, "can_edit": can_use_directory(request.user)}
    if request.htmx:
        return render(request, "people/organisation_list.html#results", context)
    return render(request, "people/organisation_list.html", context)


@login_required
def organisation_create(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    form = OrganisationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags, key = data.pop("tags"), data.pop("submission")
        try:
            org = create_once(
                key=key,
                user=request.user,
                model=Organisation,
                create=lambda: services.create_organisation(by=request.user, tags=tags, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"{org.name} was added.")
            return redirect("people:organisation_detail", org_id=org.uuid)
    return render(request, "people/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_detail(request: AuthedRequest, org_id: UUID) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, org_id)
    visible = people_visible_to(request.user)
    affiliations = (
        organisation.affiliations.filter(person__in=visible)
        .select_related("person")
        .order_by("person__sort_key")
    )
    context = {
        "organisation": organisation,
        "affiliations": affiliations,
        "tags": organisation.tags.all(),
        "can_edit": can_use_directory(request.user),
    }
    return render(request, "people/organisation_detail.html", context)


@login_required
def organisation_edit(request: AuthedRequest, org_id: UUID) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, org_id, write=True)
    form = OrganisationForm(post_data(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.ORGANISATION_FIELDS}
        try:
            services.update_organisation(
                organisation=fresh_copy(organisation),
                by=request.user,
                tags=form.cleaned_data["tags"],
                **data,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("people:organisation_detail", org_id=organisation.uuid)
    return render(request, "people/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def person_account(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request.user, person_id, write=True)
    if not can_manage_accounts(request.user):
        raise Http404
    account = person.user
    initial = {"roles": sorted(account.roles)} if account else {"roles": ["participant"]}
    form = RolesForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        roles = form.cleaned_data["roles"]
        try:
            if account is None:
                if not roles:
                    raise ValidationError({"roles": "Choose at least one role."})
                services.give_account(person=person, roles=roles, by=request.user)
                messages.success(
                    request, f"{person.display_name} has been emailed a link to choose a password."
                )
            else:
                services.set_roles(user=account, roles=roles, by=request.user)
                messages.success(request, "Roles saved.")
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            return redirect("people:person_detail", person_id=person.uuid)
    record_event(actor=request.user, action="person.account_viewed", target=person)
    return render(request, "people/person_account.html", {"person": person, "account": account, "form": form})


@login_required
def own_consent(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_own_person(request.user, person_id)
    wordings = [
        w
        for p in (
            ConsentPurpose.CONTACT,
            ConsentPurpose.PROGRAMME,
            ConsentPurpose.RESEARCH,
            ConsentPurpose.CONVERSATION,
            ConsentPurpose.QUOTES,
        )
        if (w := services.current_wording(p)) is not None
    ]
    current = {purpose: c.given for purpose, c in decisions(person).items()}
    daily = digests.digest_daily(person)
    form = OwnConsentForm(post_data(request), wordings=wordings, current=current, digest_daily=daily)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changed = services.record_own_choices(
                person=person, answers=form.cleaned_data, wordings=wordings, current=current, by=request.user
            )
            if form.cleaned_data["digest"]:  # left unanswered: unchanged
                changed += digests.set_digest_choice(
                    person=person, daily=form.cleaned_data["digest"] == "daily", by=request.user
                )
        messages.success(request, "Your choices are saved." if changed else "Nothing changed.")
        return redirect("people:person_detail", person_id=person.uuid)
    return render(request, "people/own_consent.html", {"person": person, "form": form})
