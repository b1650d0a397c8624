"""Your groups, starting one, the group page, joining and leaving, inviting, roles and terms.

Every group row comes through `groups/access.py`: a member's own group, with their powers worked
out once; anything else is a 404, site convenors included (decision 0030).
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.groups import roster, services
from carecommons.groups.access import (
    GroupAccess,
    elsewhere,
    gatherings_for_new_group,
    get_group_for_user,
    get_group_to_join,
    get_invitation_for_user,
    homes_for_new_group,
    may_handle,
    members_of,
    own_membership,
    own_memberships,
    parents_for_new_group,
    people_to_invite,
    request_in,
    role_in,
    term_in,
)
from carecommons.groups.forms import InviteForm, RoleForm, StartGroupForm, TermForm
from carecommons.groups.models import CommunityGroup, Joining, MembershipState, Power, Role, RoleTerm
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form, made_before
from carecommons.lib.urls import absolute_url
from carecommons.people.access import own_person


@login_required
def group_list(request: AuthedRequest) -> HttpResponse:
    rows = list(own_memberships(request.user))
    context = {
        "has_person": own_person(request.user) is not None,
        "memberships": [m for m in rows if m.state == MembershipState.ACTIVE],
        "invitations": [m for m in rows if m.state == MembershipState.INVITED],
        "requests": [m for m in rows if m.state == MembershipState.REQUESTED],
    }
    return render(request, "groups/group_list.html", context)


@login_required
def group_new(request: AuthedRequest) -> HttpResponse:
    founder = own_person(request.user)
    if founder is None:
        raise Http404
    if (started := made_before(post_data(request), request.user, CommunityGroup)) is not None:
        return redirect("groups:group_detail", group_id=started.uuid)
    labs, cohorts = homes_for_new_group(request.user)
    gatherings = gatherings_for_new_group(request.user, timezone.localdate())
    parents = parents_for_new_group(request.user, timezone.localdate())
    form = StartGroupForm(
        post_data(request), labs=labs, cohorts=cohorts, gatherings=gatherings, parents=parents
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = create_from_form(
                form,
                request.user,
                CommunityGroup,
                lambda data: services.found_group(founder=founder, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"The group “{group.name}” is started, and you are its convenor.")
            return redirect("groups:group_detail", group_id=group.uuid)
    return render(request, "groups/group_form.html", {"form": form})


@login_required
def group_detail(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_user(request.user, group_id)
    today = timezone.localdate()
    rotas = roster.rota(access.group, today)
    held = [
        (rota.role, holder) for rota in rotas for holder in rota.now if holder.person.pk == access.person.pk
    ]
    context = {
        "access": access,
        "group": access.group,
        "members": list(members_of(access.group, today)),
        "rotas": rotas,
        "held": held,
        "powers": [p for p in Power if p in access.powers and p != Power.SEE],
        "elsewhere": elsewhere(access, today),
        "join_url": absolute_url(reverse("groups:group_join", args=[access.group.uuid]), request)
        if access.group.joining == Joining.INVITATION_OR_REQUEST
        else "",
    }
    record_event(actor=request.user, action="groups.viewed", target=access.group)
    return render(request, "groups/group_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    """The page a member's shared link opens: the group's name and purpose, and a button to ask."""
    group, person = get_group_to_join(request.user, group_id)
    if request.method == "POST":
        try:
            services.request_to_join(group=group, person=person, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You asked to join “{group.name}”. A member will answer.")
        return redirect("groups:group_list")
    return render(request, "groups/group_join.html", {"group": group})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_answer(request: AuthedRequest, membership_id: UUID) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, membership_id)
    answer = request.POST.get("answer") if request.method == "POST" else None
    if answer in ("accept", "decline"):
        try:
            services.answer_invitation(membership=invitation, accept=answer == "accept", by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("groups:group_list")
        if answer == "accept":
            messages.success(request, f"You are a member of “{invitation.group.name}”.")
            return redirect("groups:group_detail", group_id=invitation.group.uuid)
        messages.success(request, f"You declined the invitation to “{invitation.group.name}”.")
        return redirect("groups:group_list")
    return render(request, "groups/invitation.html", {"invitation": invitation})


@login_required
def members(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    """Invite someone the group can reasonably know, or by email; answer requests to join."""
    access = get_group_for_user(request.user, group_id, need=Power.INVITE_PEOPLE)
    group = access.group
    form = InviteForm(post_data(request), people=people_to_invite(group, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.invite_member(group=group, person=person, by=request.user)
        except ValidationError as error:
            apply_form_errors(form, error, "person")
        else:
            messages.success(
                request, f"{person.display_name} is invited. They answer on their Your groups page."
            )
            return redirect("groups:members", group_id=group.uuid)
    waiting = group.memberships.open().exclude(state=MembershipState.ACTIVE).select_related("person")
    context = {
        "group": group,
        "form": form,
        "invited": [m for m in waiting if m.state == MembershipState.INVITED],
        "requested": [m for m in waiting if m.state == MembershipState.REQUESTED],
    }
    record_event(actor=request.user, action="groups.members_viewed", target=group)
    return render(request, "groups/members.html", context)


@login_required
@require_POST
def request_answer(request: AuthedRequest, group_id: UUID, membership_id: UUID) -> HttpResponse:
    access = get_group_for_user(request.user, group_id, need=Power.INVITE_PEOPLE)
    row = request_in(access, membership_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "refuse"):
        messages.error(request, "Choose whether to let them in.")
        return redirect("groups:members", group_id=access.group.uuid)
    try:
        services.answer_request(membership=row, accept=answer == "accept", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "is now a member" if answer == "accept" else "was told no"
        messages.success(request, f"{row.person.display_name} {done}.")
    return redirect("groups:members", group_id=access.group.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def group_leave(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    """Asks first (lib/confirm.py); only the confirmation page's "Yes" ends the membership."""
    access = get_group_for_user(request.user, group_id)
    membership = own_membership(access)
    if not is_confirmed(request):
        return confirm_page(request, leave_confirmation(access))
    services.leave_group(membership=membership, by=request.user)
    messages.success(request, f"You have left “{access.group.name}”.")
    return redirect("groups:group_list")


def leave_confirmation(access: GroupAccess) -> Confirmation:
    name = access.group.name
    return Confirmation(
        title=f"Leave “{name}”?",
        consequences=[
            f"You stop being a member of {name} today, and no longer see its page.",
            "Any role you hold ends today, and terms planned for you are taken out of the rotation.",
            "To come back, a member has to invite you again.",
        ],
        yes="Yes, leave the group",
        back_url=reverse("groups:group_detail", args=[access.group.uuid]),
    )


@login_required
def role_new(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_user(request.user, group_id, need=Power.GIVE_ROLES)
    group = access.group
    if (named := made_before(post_data(request), request.user, Role)) is not None:
        return redirect("groups:role_detail", group_id=group.uuid, role_id=named.uuid)
    form = RoleForm(post_data(request), money=Power.GIVE_MONEY_ROLES in access.powers)
    if request.method == "POST" and form.is_valid():
        try:
            role = create_from_form(
                form,
                request.user,
                Role,
                lambda data: services.name_role(group=group, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"The role “{role.name}” is named. Give it to someone below.")
            return redirect("groups:role_detail", group_id=group.uuid, role_id=role.uuid)
    return render(request, "groups/role_form.html", {"group": group, "form": form})


@login_required
def role_detail(request: AuthedRequest, group_id: UUID, role_id: UUID) -> HttpResponse:
    """A role's rule, its holders now and ahead, and the form to give or plan a term."""
    access = get_group_for_user(request.user, group_id, need=Power.GIVE_ROLES)
    role = role_in(access, role_id)
    today = timezone.localdate()
    role_powers = {Power(p.power) for p in role.powers.all()}
    allowed = may_handle(access, role_powers)
    form = TermForm(post_data(request), members=members_of(access.group, today)) if allowed else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.give_term(role=role, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            person, starts = form.cleaned_data["person"], form.cleaned_data["starts_on"]
            done = (
                "holds the role from today"
                if starts <= today
                else f"is planned to take it on {starts:%d %B %Y}"
            )
            messages.success(request, f"{person.display_name} {done}.")
            return redirect("groups:role_detail", group_id=access.group.uuid, role_id=role.uuid)
    terms = list(role.terms.exclude(ends_on__lte=today).select_related("person").order_by("starts_on", "id"))
    context = {
        "group": access.group,
        "role": role,
        "powers": [p for p in Power if p in role_powers],
        "now": [t for t in terms if t.starts_on <= today],
        "ahead": [t for t in terms if t.starts_on > today],
        "allowed": allowed,
        "form": form,
    }
    record_event(actor=request.user, action="groups.role_viewed", target=role)
    return render(request, "groups/role_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def term_end(request: AuthedRequest, group_id: UUID, term_id: UUID) -> HttpResponse:
    """Ends a term held now, or cancels one planned ahead; asks first (lib/confirm.py)."""
    access = get_group_for_user(request.user, group_id, need=Power.GIVE_ROLES)
    term = term_in(access, term_id)
    if not may_handle(access, {Power(p) for p in term.role.powers.values_list("power", flat=True)}):
        raise Http404
    if not is_confirmed(request):
        return confirm_page(request, term_end_confirmation(access, term))
    planned = term.starts_on > timezone.localdate()
    try:
        services.end_term(term=term, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name, role = term.person.display_name, term.role.name
        messages.success(
            request,
            f"{name}'s planned term as {role} is cancelled."
            if planned
            else f"{name} no longer holds {role}.",
        )
    return redirect("groups:role_detail", group_id=access.group.uuid, role_id=term.role.uuid)


def term_end_confirmation(access: GroupAccess, term: RoleTerm) -> Confirmation:
    name, role = term.person.display_name, term.role.name
    back = reverse("groups:role_detail", args=[access.group.uuid, term.role.uuid])
    if term.starts_on > timezone.localdate():
        return Confirmation(
            title=f"Cancel {name}'s planned term as {role}?",
            consequences=[
                f"The term from {term.starts_on:%d %B %Y} is taken out of the rotation.",
                "This cannot be undone: to plan it again, plan a new term.",
            ],
            yes="Yes, cancel the planned term",
            back_url=back,
        )
    return Confirmation(
        title=f"End {name}'s term as {role}?",
        consequences=[
            f"{name} stops holding {role} today, and with it the powers it gives.",
            "The term stays in the group's history.",
            "This cannot be undone: to give the role back, give a new term.",
        ],
        yes=f"Yes, end the term as {role}",
        back_url=back,
    )
