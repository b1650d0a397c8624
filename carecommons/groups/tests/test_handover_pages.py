"""The handover pages through HTTP: who sees them, what convening staff and members do there, and
that no page completes a step (each is carried by a decision of the group)."""

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.access import get_group_for_user
from carecommons.groups.models import (
    GroupMembership,
    HandoverArea,
    HandoverPlan,
    StaffInvitation,
    StaffVisit,
    Standing,
)
from carecommons.groups.tests.factories import make_role
from carecommons.groups.tests.handover_factories import (
    convened_group,
    employ,
    hand_over,
    invite_back,
    plan_for,
)
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def url(name: str, *args: object) -> str:
    return reverse(f"groups:{name}", args=args)


def test_members_and_convening_staff_see_the_plan_the_seats_and_the_timeline_and_no_button_completes_a_step(
    organiser: User, participant: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    plan = plan_for(group, organiser, areas=[HandoverArea.INVITING_PEOPLE, HandoverArea.MONEY_ROLES])
    hand_over(plan, HandoverArea.INVITING_PEOPLE)
    for user in (participant, organiser):
        page = client_for(user).get(url("handover", group.uuid)).content.decode()
        for expected in [
            "Inviting people",
            "Money roles",
            "No decision carries it yet",
            "Organiser Persona took a convening seat.",
            "Organiser Persona made the handover plan.",
            "Step 1 done: Inviting people.",
        ]:
            assert expected in page, expected
        assert "Complete" not in page and "complete_step" not in page
    staff_page = client_for(organiser).get(url("handover", group.uuid)).content.decode()
    assert url("handover_step_add", group.uuid) in staff_page
    member_page = client_for(participant).get(url("handover", group.uuid)).content.decode()
    assert url("handover_step_add", group.uuid) not in member_page


def test_convening_staff_make_the_plan_add_and_move_steps(organiser: User, client_for: Clients) -> None:
    group = convened_group(staff=[organiser])
    client = client_for(organiser)
    assert client.post(url("handover_plan_new", group.uuid), {"submission": str(uuid4())}).status_code == 302
    plan = HandoverPlan.objects.get(group=group)
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url("handover_step_add", group.uuid),
        {"submission": str(uuid4()), "area": "money_roles", "planned_for": day.isoformat()},
    )
    assert response.status_code == 302
    step = plan.steps.get()
    later = day + timedelta(days=7)
    client.post(url("handover_step_move", group.uuid, step.uuid), {"planned_for": later.isoformat()})
    step.refresh_from_db()
    assert (step.area, step.planned_for, step.done_on) == ("money_roles", later, None)


def test_a_step_far_in_the_future_is_refused_beside_the_date(organiser: User, client_for: Clients) -> None:
    group = convened_group(staff=[organiser])
    plan_for(group, organiser, areas=[])
    response = client_for(organiser).post(
        url("handover_step_add", group.uuid), {"area": "money_roles", "planned_for": "3000-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["planned_for"][0].startswith("Enter a date no later than")


def test_giving_and_ending_a_convening_seat_asks_first_and_keeps_the_seat(
    organiser: User, facilitator: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser])
    assert group.convened_by is not None
    colleague = employ(group.convened_by, facilitator)
    client = client_for(organiser)
    form = client.get(url("convening_seat_add", group.uuid)).content.decode()
    assert "Facilitator Persona" in form
    client.post(url("convening_seat_add", group.uuid), {"submission": str(uuid4()), "person": colleague.pk})
    seat = GroupMembership.objects.get(person=colleague, standing=Standing.CONVENING)
    confirm = client.get(url("convening_seat_end", group.uuid, seat.uuid))
    assert "Yes, end the seat" in confirm.content.decode()
    seat.refresh_from_db()
    assert seat.ends_on is None
    client.post(url("convening_seat_end", group.uuid, seat.uuid), {"confirm": "yes"})
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()


def test_a_seat_cannot_go_to_someone_outside_the_organisations_staff(
    organiser: User, participant: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    response = client_for(organiser).post(
        url("convening_seat_add", group.uuid), {"person": person_of(participant).pk}
    )
    assert "person" in response.context["form"].errors
    assert not GroupMembership.objects.filter(person__user=participant, standing=Standing.CONVENING).exists()


def test_after_the_handover_a_member_who_may_invite_professionals_invites_staff_back_for_at_most_30_days(
    organiser: User, participant: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    role = make_role(group, "Convenor", powers=["invite_professionals"])
    today = timezone.localdate()
    services.give_term(role=role, person=person_of(participant), starts_on=today, by=None, today=today)
    client = client_for(participant)
    plan = plan_for(group, organiser)
    assert client.get(url("staff_invitation_add", group.uuid)).status_code == 404  # not handed over yet
    hand_over(plan, *HandoverArea)
    start = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "person": person_of(organiser).pk,
        "purpose": "To help us plan the winter meals.",
        "scope": "see_and_advise",
        "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
        "valid_until": (start + timedelta(days=31)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url("staff_invitation_add", group.uuid), data)
    assert response.context["form"].errors["valid_until"] == ["The invitation can work for at most 30 days."]
    data["valid_until"] = (start + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(url("staff_invitation_add", group.uuid), data | {"submission": str(uuid4())}).status_code
        == 302
    )
    invitation = StaffInvitation.objects.get(group=group)
    assert invitation.scope == "see_and_advise" and invitation.invited_by == participant


def test_invited_staff_never_see_the_handover_page_and_a_member_withdraws_them_after_confirming(
    organiser: User, participant: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    hand_over(plan_for(group, organiser), *HandoverArea)
    invitation = invite_back(group, organiser)
    assert client_for(organiser).get(url("handover", group.uuid)).status_code == 404
    assert not StaffVisit.objects.exists()
    get_group_for_user(organiser, group.uuid)
    page = client_for(participant).get(url("handover", group.uuid)).content.decode()
    assert "To help the group plan its winter meals." in page and "the group&#x27;s page" in page
    client = client_for(participant)
    assert (
        "Yes, withdraw the invitation"
        in client.get(url("staff_invitation_revoke", group.uuid, invitation.uuid)).content.decode()
    )
    client.post(url("staff_invitation_revoke", group.uuid, invitation.uuid), {"confirm": "yes"})
    invitation.refresh_from_db()
    assert invitation.revoked_by == participant
    assert "withdrew Organiser Persona" in client.get(url("handover", group.uuid)).content.decode()


def test_rows_of_another_group_and_unknown_groups_are_404s(
    organiser: User, participant: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    other = convened_group(staff=[organiser])
    step = plan_for(other, organiser).steps.first()
    assert step is not None
    client = client_for(organiser)
    assert client.get(url("handover_step_move", group.uuid, step.uuid)).status_code == 404
    assert client.get(url("handover", uuid4())).status_code == 404
    assert client_for(participant).get(url("handover", other.uuid)).status_code == 404


def test_the_handover_page_reads_a_fixed_number_of_queries_whatever_the_invitations_and_visits(
    organiser: User, participant: User, client_for: Clients
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    hand_over(plan_for(group, organiser), *HandoverArea)
    client = client_for(participant)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("handover", group.uuid)).status_code == 200
        return len(captured)

    invite_back(group, organiser)
    get_group_for_user(organiser, group.uuid)
    few = queries()
    for name in ("evaluator", "treasurer", "convenor"):
        user = User.objects.create_user(email=f"{name}-staff@example.org")
        invitation = invite_back(group, user)
        services.revoke_staff_invitation(invitation=invitation, by=None)
    assert queries() == few
