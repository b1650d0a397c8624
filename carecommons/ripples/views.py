"""The rounds and ripples pages: access → form → service → render or redirect.

The round page is the live one: its short form adds a ripple in one step, and its list of ripples
is a fragment htmx fetches every few seconds while the round is open, so what anyone adds appears
for everyone in the room. Without JavaScript the form is a plain POST that comes back to the page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib import kept_files
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form, create_once
from carecommons.people.access import own_person
from carecommons.programmes.access import get_session_for_user, is_convenor
from carecommons.ripples import charts, kept, services
from carecommons.ripples.access import (
    RippleAccess,
    RoundAccess,
    get_evidence_for_user,
    get_evidence_to_withdraw,
    get_programme_to_start_round,
    get_ripple_for_user,
    get_ripple_on_map_for_user,
    get_round_for_user,
    link_choices,
    map_ripple,
    maps_managed_by,
    may_add_evidence,
    may_start_round_from,
    may_withdraw,
    own_second_coding,
    people_to_invite,
    person_by_email,
    programmes_to_start_rounds,
    round_people,
    rounds_reached,
    rounds_visible_to,
)
from carecommons.ripples.capitals import BY_ID, CAPITAL_IDS, Intent, Valence
from carecommons.ripples.data import LoadedMap, link_names, map_tree, round_view
from carecommons.ripples.forms import (
    CapitalsForm,
    EvidenceForm,
    FromSessionForm,
    InviteForm,
    MergeForm,
    ParentForm,
    QuickRippleForm,
    RippleEditForm,
    RippleForm,
    RoundForm,
)
from carecommons.ripples.listing import THE_PROGRAMME, parent_choices, rows_of
from carecommons.ripples.models import Evidence, KeptEvidence, MappingRound, Ripple
from carecommons.ripples.tree import Tree, path

ROUNDS_PER_PAGE = 50
LIVE = "ripples/round_detail.html"
MERGED_MEANWHILE = "That ripple was merged into another meanwhile; choose again."


def round_url(mapping_round: MappingRound) -> str:
    return reverse("ripples:round_detail", args=[mapping_round.uuid])


def ripple_url(ripple: Ripple) -> str:
    return reverse("ripples:ripple_detail", args=[ripple.uuid])


# --- The live page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """What the round page shows, read once: the map, the round's part of it, its choices."""

    loaded: LoadedMap
    shown: Tree
    parents: list[tuple[str, str]]


def live(found: RoundAccess) -> Live:
    mapping_round = found.round
    loaded = map_tree(mapping_round.programme_id)
    shown = round_view(loaded, mapping_round.pk)
    return Live(loaded, shown, parent_choices(shown, loaded, mapping_round.programme.name))


def list_context(request: AuthedRequest, found: RoundAccess, seen: Live) -> dict[str, Any]:
    reached = rounds_reached(request.user, found.round.programme_id)
    return {
        "round": found.round,
        "found": found,
        "rows": rows_of(seen.shown, seen.loaded, reached),
        "count": len(seen.shown),
    }


def live_context(request: AuthedRequest, found: RoundAccess, seen: Live, form: Any) -> dict[str, Any]:
    """`still`: the person asked the list to stop refreshing by itself (WCAG 2.2.2)."""
    still = bool(request.GET.get("still") or request.POST.get("still"))
    return list_context(request, found, seen) | {
        "form": form,
        "programme": found.round.programme,
        "still": still,
    }


def quick_form(seen: Live, data: Any = None) -> QuickRippleForm:
    return QuickRippleForm(data, parents=seen.parents)


# --- Rounds ---------------------------------------------------------------------------------------


@login_required
def round_list(request: AuthedRequest) -> HttpResponse:
    on_map = Q(ripples__merged_into__isnull=True)
    rounds = (
        rounds_visible_to(request.user)
        .select_related("programme")
        .annotate(ripple_count=Count("ripples", filter=on_map))
        .order_by("-held_on", "-id")
    )
    context = {
        "page": Paginator(rounds, ROUNDS_PER_PAGE).get_page(request.GET.get("page")),
        "starters": programmes_to_start_rounds(request.user).order_by("name", "id"),
        "maps": maps_managed_by(request.user).order_by("name", "id"),
    }
    return render(request, "ripples/round_list.html", context)


def start_or_show(
    request: AuthedRequest,
    form: Form,
    start: Callable[[dict[str, Any]], MappingRound],
    *,
    started: str,
    template: str,
    **context: Any,
) -> HttpResponse:
    """A form that starts a round: a valid one sent starts it once (lib/once.py) and goes to its
    page saying `started` (its {title} filled in); otherwise the form again with what went wrong."""
    if request.method == "POST" and form.is_valid():
        try:
            made = create_from_form(form, request.user, MappingRound, start)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, started.format(title=made.title))
            return redirect(round_url(made))
    return render(request, f"ripples/{template}", {"form": form, **context})


@login_required
def round_new(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_to_start_round(request.user, programme_id)
    return start_or_show(
        request,
        RoundForm(post_data(request), initial={"held_on": timezone.localdate()}),
        lambda data: services.start_round(
            programme=programme,
            title=data["title"],
            held_on=data["held_on"],
            facilitator=own_person(request.user),
            by=request.user,
        ),
        started="“{title}” is ready. Invite people, then map together.",
        template="round_form.html",
        programme=programme,
    )


@login_required
def round_from_session(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, run=True)
    if not may_start_round_from(request.user, session):
        raise Http404
    return start_or_show(
        request,
        FromSessionForm(post_data(request), initial={"title": f"Ripple map: {session.title}"}),
        lambda data: services.start_round_from_session(session=session, by=request.user, title=data["title"]),
        started="“{title}” has started. The cohort's members are invited.",
        template="round_from_session.html",
        session=session,
    )


@login_required
def round_detail(request: AuthedRequest, round_id: UUID) -> HttpResponse:
    found = get_round_for_user(request.user, round_id)
    seen = live(found)
    record_event(actor=request.user, action="ripples.round_viewed", target=found.round)
    return render(request, LIVE, live_context(request, found, seen, quick_form(seen)))


@login_required
def round_ripples(request: AuthedRequest, round_id: UUID) -> HttpResponse:
    found = get_round_for_user(request.user, round_id)
    seen = live(found)
    if not request.htmx:
        # htmx polls this every few seconds for a page whose reading is recorded already; a read of
        # the fragment on its own is recorded like the page's.
        record_event(actor=request.user, action="ripples.round_viewed", target=found.round)
    return render(request, f"{LIVE}#ripple-list", list_context(request, found, seen))


def chosen_parent(programme_id: int, chosen: str | None) -> Ripple | None:
    """The ripple a form names as the one something spread from, None for the programme itself; a
    ValidationError when it left the map (merged) since the form was shown."""
    if not chosen or chosen == THE_PROGRAMME:
        return None
    parent = map_ripple(programme_id, chosen)
    if parent is None:
        raise ValidationError({"parent": MERGED_MEANWHILE})
    return parent


def add_from(form: QuickRippleForm, request: AuthedRequest, found: RoundAccess) -> Ripple:
    parent = chosen_parent(found.round.programme_id, form.cleaned_data.get("parent"))
    links = form.links() if isinstance(form, RippleForm) else []
    return create_from_form(
        form,
        request.user,
        Ripple,
        lambda data: services.add_ripple(
            mapping_round=found.round,
            words=form.words(),
            by=request.user,
            parent=parent,
            capitals=data.get("capitals") or (),
            named_by=data.get("named_by"),
            links=links,
        ),
    )


@login_required
def ripple_add(request: AuthedRequest, round_id: UUID) -> HttpResponse:
    found = get_round_for_user(request.user, round_id, add=True)
    seen = live(found)
    quick = request.method == "POST" and "quick" in request.POST
    form: QuickRippleForm = (
        quick_form(seen, request.POST)
        if quick
        else RippleForm(post_data(request), parents=seen.parents, links=link_choices(found.round))
    )
    added = None
    if request.method == "POST" and form.is_valid():
        try:
            added = add_from(form, request, found)
        except ValidationError as error:
            apply_form_errors(form, error)
    if added is not None and quick and request.htmx:
        seen = live(found)
        context = live_context(request, found, seen, quick_form(seen))
        return render(request, "ripples/round_added.html", context | {"added": added})
    if added is not None:
        messages.success(request, f"Ripple added: “{added.text}”.")
        return redirect(round_url(found.round))
    if quick and request.htmx:
        context = live_context(request, found, seen, form) | {"refused": True}
        return render(request, "ripples/round_added.html", context)
    if quick:
        record_event(actor=request.user, action="ripples.round_viewed", target=found.round)
        return render(request, LIVE, live_context(request, found, seen, form))
    if request.method == "GET":
        # The full form lists the round's people and what they may be linked to.
        record_event(actor=request.user, action="ripples.round_viewed", target=found.round)
    return render(request, "ripples/ripple_form.html", {"round": found.round, "form": form})


@login_required
def round_invite(request: AuthedRequest, round_id: UUID) -> HttpResponse:
    found = get_round_for_user(request.user, round_id, manage=True)
    mapping_round = found.round
    by_email = is_convenor(request.user)
    form = InviteForm(post_data(request), people=people_to_invite(mapping_round), by_email=by_email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data.get("person") or person_by_email(request.user, data.get("email") or "")
        if person is None:
            form.add_error(
                "email",
                "Nobody in the people directory has that address, or more than one person does. "
                "Check it, or invite them from the list.",
            )
        elif (
            person.pk == mapping_round.facilitator_id or mapping_round.invitees.filter(person=person).exists()
        ):
            form.add_error(None, f"{person.display_name} is in this round already.")
        else:
            services.invite(mapping_round=mapping_round, person=person, kind=data["kind"], by=request.user)
            messages.success(request, f"{person.display_name} is invited.")
            return redirect("ripples:round_invite", round_id=mapping_round.uuid)
    invitees = mapping_round.invitees.select_related("person").order_by("person__sort_key", "id")
    record_event(actor=request.user, action="ripples.invitees_viewed", target=mapping_round)
    context = {"round": mapping_round, "form": form, "invitees": invitees}
    return render(request, "ripples/round_invite.html", context)


@login_required
def round_close(request: AuthedRequest, round_id: UUID) -> HttpResponse:
    found = get_round_for_user(request.user, round_id, manage=True)
    mapping_round = found.round
    if not mapping_round.is_open:
        messages.info(request, "This round is closed already.")
        return redirect(round_url(mapping_round))
    if not is_confirmed(request):
        confirmation = Confirmation(
            title=f"Close “{mapping_round.title}”?",
            consequences=[
                "The people invited can no longer add ripples to it; its page stops refreshing.",
                "They still see its ripples and the evidence given in it.",
                "You and the programme's convenors can still add, code, move and merge ripples.",
                "A closed round cannot be opened again: start a new round for a later map.",
            ],
            yes="Yes, close the round",
            back_url=round_url(mapping_round),
        )
        return confirm_page(request, confirmation)
    services.close_round(mapping_round=mapping_round, by=request.user)
    messages.success(request, f"“{mapping_round.title}” is closed.")
    return redirect(round_url(mapping_round))


# --- A ripple -------------------------------------------------------------------------------------


def capital_names(capitals: list[str]) -> list[str]:
    return [BY_ID[id].name for id in CAPITAL_IDS if id in capitals]


@login_required
def ripple_detail(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    found = get_ripple_for_user(request.user, ripple_id)
    ripple = found.ripple
    loaded = map_tree(ripple.programme_id)
    reached = rounds_reached(request.user, ripple.programme_id)
    on_map = ripple.pk in loaded.tree.nodes
    branch = path(loaded.tree, ripple.pk)[:-1] if on_map else []
    children = [
        child
        for child in (loaded.tree.children_of(ripple.pk) if on_map else [])
        if loaded.rounds[child.id] in reached
    ]
    evidence = [(row, may_withdraw(request.user, row, found)) for row in found.evidence]
    context = {
        "ripple": ripple,
        "found": found,
        "programme": ripple.round.programme,
        "branch": [(node, loaded.uuids[node.id], loaded.rounds[node.id] in reached) for node in branch],
        "children": [(node, loaded.uuids[node.id], Valence(node.valence).label) for node in children],
        "valence": Valence(ripple.valence).label,
        "intent": charts.intent_words(Intent(ripple.intent)) or "Not known",
        "capitals": capital_names(ripple.capitals),
        "links": loaded.links.get(ripple.pk, ()) if on_map else link_names([ripple.pk]).get(ripple.pk, ()),
        "evidence": evidence,
        "second_coding": getattr(ripple, "second_coding", None) if found.manage else None,
        "merged_linked": ripple.merged_into is not None and ripple.merged_into.round_id in reached,
        "may_add_evidence": may_add_evidence(found),
    }
    record_event(actor=request.user, action="ripples.ripple_viewed", target=ripple)
    return render(request, "ripples/ripple_detail.html", context)


def link_initial(ripple: Ripple) -> dict[str, list[str]]:
    initial: dict[str, list[str]] = {"people": [], "organisations": [], "initiatives": [], "assets": []}
    for row in ripple.links.select_related("person", "organisation", "initiative", "asset"):
        if row.person is not None:
            initial["people"].append(str(row.person.uuid))
        elif row.organisation is not None:
            initial["organisations"].append(str(row.organisation.uuid))
        elif row.initiative is not None:
            initial["initiatives"].append(str(row.initiative.uuid))
        elif row.asset is not None:
            initial["assets"].append(str(row.asset.uuid))
    return initial


def manage_page(request: AuthedRequest, found: RippleAccess, template: str, **context: Any) -> HttpResponse:
    if request.method == "GET":
        record_event(actor=request.user, action="ripples.ripple_form_viewed", target=found.ripple)
    return render(request, f"ripples/{template}", {"ripple": found.ripple, **context})


def save_or_show(
    request: AuthedRequest,
    found: RippleAccess,
    form: Form,
    save: Callable[[], object],
    *,
    saved: str,
    template: str,
    field: str | None = None,
) -> HttpResponse:
    """A manager's form for a ripple: a valid one sent is saved (`save` runs the service) and goes
    back to the ripple saying `saved`; otherwise the form again, a refusal beside the field it
    names, or beside `field`."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            apply_form_errors(form, error, field)
        else:
            messages.success(request, saved)
            return redirect(ripple_url(found.ripple))
    return manage_page(request, found, template, form=form)


@login_required
def ripple_edit(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    found = get_ripple_on_map_for_user(request.user, ripple_id, manage=True)
    ripple = found.ripple
    initial = {
        "text": ripple.text,
        "happened_on": ripple.happened_on,
        "valence": ripple.valence,
        "intent": ripple.intent,
        **link_initial(ripple),
    }
    links = link_choices(ripple.round, linked_to=ripple)
    form = RippleEditForm(post_data(request), initial=initial, links=links)
    return save_or_show(
        request,
        found,
        form,
        lambda: services.change_ripple(
            ripple=ripple, words=form.words(), by=request.user, links=form.links()
        ),
        saved="Ripple changed.",
        template="ripple_edit.html",
    )


class SaveCoding(Protocol):
    def __call__(self, *, ripple: Ripple, capitals: Iterable[str], by: User) -> object: ...


def coding_page(
    request: AuthedRequest,
    ripple_id: UUID,
    *,
    start: Callable[[Ripple], list[str]],
    save: SaveCoding,
    saved: str,
    template: str,
) -> HttpResponse:
    """A coding form, the first coder's or the second's: `start` gives the capitals it starts from."""
    found = get_ripple_on_map_for_user(request.user, ripple_id, manage=True)
    ripple = found.ripple
    form = CapitalsForm(post_data(request), initial={"capitals": start(ripple)})
    return save_or_show(
        request,
        found,
        form,
        lambda: save(ripple=ripple, capitals=form.cleaned_data["capitals"], by=request.user),
        saved=saved,
        template=template,
        field="capitals",
    )


@login_required
def ripple_code(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    return coding_page(
        request,
        ripple_id,
        start=lambda ripple: ripple.capitals,
        save=services.code_ripple,
        saved="Capitals saved.",
        template="ripple_code.html",
    )


@login_required
def ripple_second_code(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    return coding_page(
        request,
        ripple_id,
        start=partial(own_second_coding, request.user),
        save=services.second_code,
        saved="Second coding saved.",
        template="ripple_second_code.html",
    )


def map_choices(found: RippleAccess) -> list[tuple[str, str]]:
    """Every ripple on the map but this one, for moving and merging."""
    ripple = found.ripple
    loaded = map_tree(ripple.programme_id)
    return parent_choices(loaded.tree, loaded, ripple.round.programme.name, leave_out=ripple.pk)


@login_required
def ripple_move(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    found = get_ripple_on_map_for_user(request.user, ripple_id, manage=True)
    ripple = found.ripple
    initial = {"parent": str(ripple.parent.uuid) if ripple.parent else THE_PROGRAMME}
    form = ParentForm(post_data(request), parents=map_choices(found), initial=initial)
    return save_or_show(
        request,
        found,
        form,
        lambda: services.move_ripple(
            ripple=ripple,
            new_parent=chosen_parent(ripple.programme_id, form.cleaned_data["parent"]),
            by=request.user,
        ),
        saved="Ripple moved.",
        template="ripple_move.html",
        field="parent",
    )


@login_required
def ripple_merge(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    found = get_ripple_on_map_for_user(request.user, ripple_id, manage=True)
    keep = found.ripple
    form = MergeForm(post_data(request), others=map_choices(found)[1:])
    if request.method == "POST" and form.is_valid():
        drop = map_ripple(keep.programme_id, form.cleaned_data["drop"])
        if drop is None:
            form.add_error("drop", MERGED_MEANWHILE)
        elif not is_confirmed(request):
            confirmation = Confirmation(
                title="Merge these two ripples?",
                consequences=[
                    f"“{drop.text}” is merged into “{keep.text}”: the same effect, named twice.",
                    "What spread from it, who or what it affected, its evidence and its capitals come "
                    "to the one kept; its own words stay on record but leave the map.",
                    "A merge cannot be undone.",
                ],
                yes="Yes, merge them",
                back_url=reverse("ripples:ripple_merge", args=[keep.uuid]),
                hidden={"drop": str(drop.uuid)},
            )
            return confirm_page(request, confirmation)
        else:
            try:
                services.merge_ripples(keep=keep, drop=drop, by=request.user)
            except ValidationError as error:
                apply_form_errors(form, error, "drop")
            else:
                messages.success(request, "Ripples merged.")
                return redirect(ripple_url(keep))
    return manage_page(request, found, "ripple_merge.html", form=form)


# --- Evidence -------------------------------------------------------------------------------------


@login_required
def evidence_add(request: AuthedRequest, ripple_id: UUID) -> HttpResponse:
    found = get_ripple_on_map_for_user(request.user, ripple_id)
    if not may_add_evidence(found):
        raise Http404
    ripple = found.ripple
    people = round_people(ripple.round)
    me = people.filter(user=request.user).values_list("uuid", flat=True).first()
    form = EvidenceForm(post_data(request), request.FILES or None, people=people, initial={"given_by": me})
    context = {"ripple": ripple, "form": form}
    if request.method != "POST":
        record_event(actor=request.user, action="ripples.evidence_form_viewed", target=ripple)
        return render(request, "ripples/evidence_form.html", context)
    valid = form.is_valid()
    key = form.cleaned_data.get("submission")
    chosen = form.cleaned_data.get("file")
    held = next(reversed(kept_files.kept_for(KeptEvidence, request.user, key)), None)
    if valid:
        data = form.cleaned_data
        upload = chosen or (kept_files.as_upload(held) if held is not None else None)

        def create() -> Evidence:
            made = services.add_evidence(
                ripple=ripple,
                given_by=data["given_by"],
                shared=data["shared"],
                by=request.user,
                consented=data["consented"],
                quote=data["quote"],
                upload=upload,
            )
            if held is not None:
                kept_files.discard(KeptEvidence, [held])
            return made

        try:
            create_once(key=key, user=request.user, model=Evidence, create=create)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Evidence added.")
            return redirect(ripple_url(ripple))
    if key is not None and chosen and not form.has_error("file"):
        try:
            held = kept.keep(user=request.user, key=key, upload=chosen)
        except ValidationError as error:
            apply_form_errors(form, error)
    if held is not None:
        form.show_kept(held.name)
    return render(request, "ripples/evidence_form.html", context)


@login_required
def evidence_file(request: AuthedRequest, evidence_id: UUID) -> FileResponse:
    evidence = get_evidence_for_user(request.user, evidence_id)
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name or "evidence"
    )
    response["Content-Type"] = evidence.content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    record_event(actor=request.user, action="ripples.evidence_file_read", target=evidence)
    return response


@login_required
def evidence_withdraw(request: AuthedRequest, evidence_id: UUID) -> HttpResponse:
    evidence, found = get_evidence_to_withdraw(request.user, evidence_id)
    back = ripple_url(found.ripple)
    if not is_confirmed(request):
        what = "quote and file" if evidence.quote and evidence.file else "quote" if evidence.quote else "file"
        confirmation = Confirmation(
            title="Withdraw this evidence?",
            consequences=[
                f"The {what} {evidence.given_by.display_name} gave is deleted, for everyone.",
                "The ripple stays on the map.",
                "This cannot be undone: to keep it again, it must be given again.",
            ],
            yes="Yes, withdraw it",
            back_url=back,
        )
        record_event(actor=request.user, action="ripples.evidence_viewed", target=evidence)
        return confirm_page(request, confirmation)
    services.withdraw_evidence(evidence=evidence, by=request.user)
    messages.success(request, "Evidence withdrawn.")
    return redirect(back)
