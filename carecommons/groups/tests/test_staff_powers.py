"""`staff_powers` on every combination, and the access it gives through `get_group_for_user`:
convening seats until the handover ends, invitations back while usable, nothing otherwise."""

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import handover, services
from carecommons.groups.access import get_group_for_user, may_see_ballots, may_see_money, staff_powers
from carecommons.groups.models import GroupMembership, HandoverArea, Power, StaffScope, StaffVisit, Standing
from carecommons.groups.tests.factories import make_role
from carecommons.groups.tests.handover_factories import convened_group, hand_over, invite_back, plan_for
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db

EVERY_AREA = handover.powers_of_areas(HandoverArea)
MONEY = {Power.GIVE_MONEY_ROLES}


def test_convening_staff_with_no_plan_see_and_hold_every_area(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    assert staff_powers(group, person_of(organiser), now=timezone.now()) == EVERY_AREA | {
        Power.SEE,
        Power.GIVE_ROLES,
    }


def test_half_way_the_staff_keep_only_the_areas_not_yet_handed_over(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    plan = plan_for(group, organiser)
    hand_over(plan, HandoverArea.INVITING_PEOPLE, HandoverArea.RUNNING_DECISIONS)
    powers = staff_powers(group, person_of(organiser), now=timezone.now())
    assert powers == MONEY | {Power.INVITE_PROFESSIONALS, Power.SEE, Power.GIVE_ROLES}


def test_after_the_last_step_the_staff_hold_nothing(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    hand_over(plan_for(group, organiser), *HandoverArea)
    assert staff_powers(group, person_of(organiser), now=timezone.now()) == frozenset()
    with pytest.raises(Http404):
        get_group_for_user(organiser, group.uuid)


def test_an_ended_seat_gives_nothing(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    seat = GroupMembership.objects.get(group=group, standing=Standing.CONVENING)
    services.end_convening_seat(seat=seat, by=None)
    assert staff_powers(group, person_of(organiser), now=timezone.now()) == frozenset()


def test_nobody_else_holds_staff_powers(organiser: User, participant: User, convenor: User) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    now = timezone.now()
    assert staff_powers(group, person_of(participant), now=now) == frozenset()
    assert staff_powers(group, person_of(convenor), now=now) == frozenset()


@pytest.mark.parametrize(
    ("scope", "expected"),
    [(StaffScope.SEE, {Power.SEE}), (StaffScope.SEE_AND_ADVISE, {Power.SEE, Power.ADVISE})],
)
def test_a_usable_invitation_gives_see_and_advise_only_if_granted(
    organiser: User, facilitator: User, scope: str, expected: set[Power]
) -> None:
    group = convened_group(staff=[organiser])
    hand_over(plan_for(group, organiser), *HandoverArea)
    invitation = invite_back(group, facilitator, scope=scope, days=7)
    person = person_of(facilitator)
    now = timezone.now()
    assert staff_powers(group, person, now=now) == expected
    assert staff_powers(group, person, now=now + timedelta(days=8)) == frozenset()  # expired
    assert staff_powers(group, person, now=invitation.valid_from - timedelta(seconds=1)) == frozenset()


def test_a_withdrawn_invitation_gives_nothing_and_stays_in_the_history(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser])
    invitation = invite_back(group, facilitator)
    services.revoke_staff_invitation(invitation=invitation, by=organiser)
    assert staff_powers(group, person_of(facilitator), now=timezone.now()) == frozenset()
    assert group.staff_invitations.get().revoked_by == organiser


def test_a_seat_and_an_invitation_add_up(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    hand_over(plan_for(group, organiser), HandoverArea.INVITING_PEOPLE)
    invite_back(group, organiser, scope=StaffScope.SEE_AND_ADVISE)
    powers = staff_powers(group, person_of(organiser), now=timezone.now())
    assert Power.ADVISE in powers and Power.INVITE_PEOPLE not in powers and Power.GIVE_MONEY_ROLES in powers
    assert Power.KEEP_BOOKS not in powers  # the books are kept by a member's term, never by a seat


def test_a_members_role_powers_wait_for_their_area_to_be_handed_over(
    organiser: User, participant: User
) -> None:
    today = timezone.localdate()
    group = convened_group(staff=[organiser], members=[participant])
    role = make_role(
        group,
        "Treasurer",
        powers=[Power.KEEP_BOOKS, Power.INVITE_PEOPLE, Power.GIVE_ROLES, Power.GIVE_MONEY_ROLES],
    )
    services.give_term(role=role, person=person_of(participant), starts_on=today, by=None, today=today)
    assert get_group_for_user(participant, group.uuid).powers >= {Power.GIVE_MONEY_ROLES}  # no plan
    plan = plan_for(group, organiser)
    # Keeping the books is the term's, at every stage, as on the money pages; giving money roles waits.
    assert get_group_for_user(participant, group.uuid).powers == {
        Power.SEE,
        Power.GIVE_ROLES,
        Power.KEEP_BOOKS,
    }
    hand_over(plan, HandoverArea.INVITING_PEOPLE)
    assert get_group_for_user(participant, group.uuid).powers == {
        Power.SEE,
        Power.GIVE_ROLES,
        Power.KEEP_BOOKS,
        Power.INVITE_PEOPLE,
    }
    hand_over(
        plan, HandoverArea.RUNNING_DECISIONS, HandoverArea.MONEY_ROLES, HandoverArea.INVITING_PROFESSIONALS
    )
    assert Power.GIVE_MONEY_ROLES in get_group_for_user(participant, group.uuid).powers


def test_convening_staff_reach_the_group_as_staff_not_as_members(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    access = get_group_for_user(organiser, group.uuid, need=Power.RUN_DECISIONS)
    assert access.convening and access.member is None and access.invitation is None
    assert may_see_ballots(access) and may_see_money(access)
    assert not StaffVisit.objects.exists()


def test_invited_staff_reach_the_group_every_page_is_logged_and_they_never_see_ballots_or_money(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser])
    hand_over(plan_for(group, organiser), *HandoverArea)
    invitation = invite_back(group, facilitator)
    access = get_group_for_user(facilitator, group.uuid, page="the group's decisions")
    assert access.invitation == invitation and not access.convening and access.member is None
    assert not may_see_ballots(access) and not may_see_money(access)
    assert list(invitation.visits.values_list("what", flat=True)) == ["the group's decisions"]
    with pytest.raises(Http404):
        get_group_for_user(facilitator, group.uuid, need=Power.ADVISE)


def test_a_staff_member_who_is_also_a_member_keeps_their_membership_after_the_handover(
    organiser: User,
) -> None:
    group = convened_group(staff=[organiser], members=[organiser])
    hand_over(plan_for(group, organiser), *HandoverArea)
    access = get_group_for_user(organiser, group.uuid)
    assert access.member is not None and not access.convening and access.powers == {Power.SEE}


def test_convening_staff_appoint_the_treasurer_until_money_roles_are_handed_over(
    organiser: User, participant: User, client_for: Any
) -> None:
    """Before the money-roles step only the convening staff may give money roles (members' is
    withheld); after it the staff hold nothing and a member with the power gives them."""
    from django.urls import reverse

    group = convened_group(staff=[organiser], members=[participant])
    plan = plan_for(group, organiser)
    treasurer = make_role(group, "Treasurer", powers=[Power.KEEP_BOOKS])
    url = reverse("groups:role_detail", args=[group.uuid, treasurer.uuid])
    assert client_for(organiser).get(url).status_code == 200
    day = timezone.localdate().isoformat()
    client_for(organiser).post(url, {"person": str(person_of(participant).uuid), "starts_on": day})
    assert treasurer.terms.filter(person=person_of(participant)).exists()
    hand_over(plan, *HandoverArea)
    assert client_for(organiser).get(url).status_code == 404
