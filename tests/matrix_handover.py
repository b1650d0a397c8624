"""Expected statuses for a group's handover pages. The target group is convened by an organisation:
the facilitator persona works there and holds a convening seat, the participant persona is a
member. Members and convening staff see the handover page; only convening staff plan it and give
or end seats; inviting staff back needs `invite_professionals`, which the staff hold until that
step is done; any member may withdraw an invitation back. Everyone else, site convenors included,
gets a 404."""

from typing import Any

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.models import CommunityGroup, HandoverArea
from carecommons.groups.tests.handover_factories import employ, invite_back, make_organisation
from carecommons.programmes.tests.factories import person_of
from tests.matrix import ANON, Case

BOTH = {"participant": 200, "facilitator": 200}
STAFF = {"facilitator": 200}


def persona(name: str) -> User | None:
    return User.objects.filter(email=f"{name}@example.org").first()


def target_group(*, planned: bool = True) -> CommunityGroup:
    organisation = make_organisation("Matrix Care Lab")
    today = timezone.localdate()
    member = persona("participant")
    group = services.start_group(
        name="Matrix action group",
        by=None,
        convened_by=organisation,
        founders=[person_of(member)] if member else [],
        today=today,
    )
    staff = persona("facilitator")
    if staff is not None:
        services.give_convening_seat(group=group, person=employ(organisation, staff), by=None, today=today)
        if planned:
            plan = services.make_plan(group=group, by=staff, today=today)
            services.add_step(plan=plan, area=HandoverArea.INVITING_PEOPLE, planned_for=today, by=None)
    return group


def group_args() -> dict[str, Any]:
    return {"group_id": target_group().uuid}


def unplanned_args() -> dict[str, Any]:
    return {"group_id": target_group(planned=False).uuid}


def step_args() -> dict[str, Any]:
    group = target_group()
    step = group.handover.steps.first() if hasattr(group, "handover") else None
    return {"group_id": group.uuid, "step_id": step.uuid if step else group.uuid}


def seat_args() -> dict[str, Any]:
    group = target_group()
    assert group.convened_by is not None
    colleague = User.objects.create_user(email=f"colleague-{group.uuid.hex[:8]}@example.org", password=None)
    seat = services.give_convening_seat(group=group, person=employ(group.convened_by, colleague), by=None)
    return {"group_id": group.uuid, "seat_id": seat.uuid}


def invitation_args() -> dict[str, Any]:
    group = target_group()
    guest = User.objects.create_user(email=f"back-{group.uuid.hex[:8]}@example.org", password=None)
    return {"group_id": group.uuid, "invitation_id": invite_back(group, guest).uuid}


MATRIX: dict[str, Case] = {
    "groups:handover": Case(ANON, args=group_args, overrides=BOTH),
    "groups:handover_plan_new": Case(ANON, args=unplanned_args, overrides=STAFF),
    "groups:handover_step_add": Case(ANON, args=group_args, overrides=STAFF),
    "groups:handover_step_move": Case(ANON, args=step_args, overrides=STAFF),
    "groups:convening_seat_add": Case(ANON, args=group_args, overrides=STAFF),
    "groups:convening_seat_end": Case(ANON, args=seat_args, overrides=STAFF),  # the confirmation page
    "groups:staff_invitation_add": Case(ANON, args=group_args, overrides=STAFF),
    "groups:staff_invitation_revoke": Case(ANON, args=invitation_args, overrides=BOTH),  # confirmation
}
