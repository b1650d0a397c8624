"""The handover pages: the group's Handover page (the plan, its steps, convening seats, invitations
back and the pages opened through them, as one timeline), and the forms convening staff and the
group use. No page completes a step: each step is carried by a decision of the group, and the
decisions app completes it when that decision closes as agreed (services.complete_step)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.groups import services
from carecommons.groups.access import (
    get_group_for_handover,
    get_seat_for_user,
    get_staff_invitation_for_user,
    get_step_for_user,
    staff_candidates,
)
from carecommons.groups.handover_forms import MoveStepForm, PlanForm, SeatForm, StaffInvitationForm, StepForm
from carecommons.groups.handover_history import VISITS_SHOWN, history
from carecommons.groups.models import (
    GroupMembership,
    HandoverArea,
    HandoverPlan,
    HandoverStep,
    Power,
    StaffInvitation,
)
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form


def _back(group_uuid: UUID) -> HttpResponse:
    return redirect("groups:handover", group_id=group_uuid)


@login_required
@require_GET
def handover_page(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_handover(request.user, group_id)
    found = history(access.group)
    record_event(actor=request.user, action="groups.handover_viewed", target=access.group)
    context = {
        "access": access,
        "group": access.group,
        "history": found,
        "visits_shown": VISITS_SHOWN,
        "may_invite": Power.INVITE_PROFESSIONALS in access.powers,
        "may_revoke": access.member is not None or Power.INVITE_PROFESSIONALS in access.powers,
        "steps_left": found.plan is not None and found.plan.completed_on is None,
    }
    return render(request, "groups/handover.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_handover(request.user, group_id, convening=True)
    form = PlanForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            create_from_form(
                form,
                request.user,
                HandoverPlan,
                lambda data: services.make_plan(group=access.group, by=request.user),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The handover plan is made. Now add its steps.")
            return _back(access.group.uuid)
    return render(request, "groups/handover_plan_new.html", {"group": access.group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_handover(request.user, group_id, convening=True)
    plan = getattr(access.group, "handover", None)
    if plan is None or plan.completed_on is not None:
        raise Http404
    taken = set(plan.steps.values_list("area", flat=True))
    areas = [a for a in HandoverArea if a not in taken]
    form = StepForm(post_data(request), areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            create_from_form(
                form,
                request.user,
                HandoverStep,
                lambda data: services.add_step(plan=plan, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The step is added to the plan.")
            return _back(access.group.uuid)
    return render(
        request, "groups/handover_step_add.html", {"group": access.group, "form": form, "areas": areas}
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_move(request: AuthedRequest, group_id: UUID, step_id: UUID) -> HttpResponse:
    access = get_group_for_handover(request.user, group_id, convening=True)
    step = get_step_for_user(access, step_id)
    if step.done_on is not None or step.plan.completed_on is not None:
        raise Http404
    form = MoveStepForm(post_data(request), initial={"planned_for": step.planned_for})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_step(step=step, planned_for=form.cleaned_data["planned_for"], by=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"“{step.get_area_display()}” is now planned for a new day.")
            return _back(access.group.uuid)
    context = {"group": access.group, "form": form, "step": step}
    return render(request, "groups/handover_step_move.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_handover(request.user, group_id, convening=True)
    form = SeatForm(post_data(request), staff=staff_candidates(access.group, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            seat = create_from_form(
                form,
                request.user,
                GroupMembership,
                lambda data: services.give_convening_seat(group=access.group, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"{seat.person.display_name} now holds a convening seat.")
            return _back(access.group.uuid)
    return render(request, "groups/handover_seat_add.html", {"group": access.group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def seat_end(request: AuthedRequest, group_id: UUID, seat_id: UUID) -> HttpResponse:
    """Asks first (lib/confirm.py); only the confirmation page's "Yes" ends the seat."""
    access = get_group_for_handover(request.user, group_id, convening=True)
    seat = get_seat_for_user(access, seat_id)
    if seat.ends_on is not None:
        messages.info(request, f"{seat.person.display_name}'s convening seat has already ended.")
        return _back(access.group.uuid)
    if not is_confirmed(request):
        record_event(actor=request.user, action="groups.seat_end_asked", target=seat)
        return confirm_page(
            request,
            Confirmation(
                title=f"End {seat.person.display_name}'s convening seat?",
                consequences=[
                    "From today they hold no power in the group as its convening staff.",
                    "The seat stays in the group's handover history.",
                    "To take a seat again they need a new one.",
                ],
                yes="Yes, end the seat",
                back_url=reverse("groups:handover", args=[access.group.uuid]),
            ),
        )
    services.end_convening_seat(seat=seat, by=request.user)
    messages.success(request, f"{seat.person.display_name}'s convening seat has ended.")
    return _back(access.group.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def staff_invitation_add(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    access = get_group_for_handover(request.user, group_id, need=Power.INVITE_PROFESSIONALS)
    form = StaffInvitationForm(post_data(request), staff=staff_candidates(access.group, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = create_from_form(
                form,
                request.user,
                StaffInvitation,
                lambda data: services.invite_staff_back(group=access.group, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"{invitation.person.display_name} is invited back.")
            return _back(access.group.uuid)
    return render(request, "groups/handover_invite.html", {"group": access.group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def staff_invitation_revoke(request: AuthedRequest, group_id: UUID, invitation_id: UUID) -> HttpResponse:
    """Any member, or whoever may invite professionals, withdraws; asks first (lib/confirm.py)."""
    access = get_group_for_handover(request.user, group_id)
    if access.member is None and Power.INVITE_PROFESSIONALS not in access.powers:
        raise Http404
    invitation = get_staff_invitation_for_user(access, invitation_id)
    name = invitation.person.display_name
    if invitation.revoked_at is not None:
        messages.info(request, f"The invitation back to {name} is already withdrawn.")
        return _back(access.group.uuid)
    if not is_confirmed(request):
        record_event(actor=request.user, action="groups.staff_revoke_asked", target=invitation)
        return confirm_page(
            request,
            Confirmation(
                title=f"Withdraw the invitation back to {name}?",
                consequences=[
                    f"{name} can no longer open the group's pages, from now.",
                    "What they opened so far stays listed for the group to see.",
                    "This cannot be undone: to let them come back after all, invite them again.",
                ],
                yes="Yes, withdraw the invitation",
                back_url=reverse("groups:handover", args=[access.group.uuid]),
            ),
        )
    services.revoke_staff_invitation(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation back to {name} is withdrawn.")
    return _back(access.group.uuid)
