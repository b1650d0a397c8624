"""Erasing a person deletes their convening seats and invitations back, with the pages they opened
(decision 0030 section 5); the group's plan and steps stay."""

import pytest

from carecommons.accounts.models import User
from carecommons.groups.access import get_group_for_user
from carecommons.groups.models import GroupMembership, HandoverArea, HandoverStep, StaffInvitation, StaffVisit
from carecommons.groups.tests.handover_factories import convened_group, hand_over, invite_back, plan_for
from carecommons.people.erasure import erase_person
from carecommons.people.erasure import plan_for as erasure_plan
from carecommons.people.own_data import audit_events, collect
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


def test_erasure_deletes_their_seats_invitations_back_and_visits_and_keeps_the_plan(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser])
    hand_over(plan_for(group, organiser), *HandoverArea)
    invite_back(group, organiser)
    get_group_for_user(organiser, group.uuid)
    invite_back(group, facilitator)
    me = person_of(organiser)
    planned = dict(erasure_plan(me).deleted)
    assert planned["invitations back into groups"] == 1
    assert planned["pages of groups opened as invited staff"] == 1

    erase_person(person=me, by=None, reason="They asked")

    assert not GroupMembership.objects.filter(person=me).exists()
    assert not StaffInvitation.objects.filter(person=me).exists() and not StaffVisit.objects.exists()
    assert StaffInvitation.objects.filter(person=person_of(facilitator)).count() == 1
    assert HandoverStep.objects.filter(plan__group=group).count() == 4


def test_their_own_data_lists_their_invitations_back_and_their_history_has_the_events(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser])
    invite_back(group, facilitator)
    me = person_of(facilitator)
    (section,) = [s for s in collect(me).sections if s.key == "groups"]
    assert [r.get("invited_back_for") for r in section.rows] == ["To help the group plan its winter meals."]
    assert "groups.staff_invited" in set(audit_events(me).values_list("action", flat=True))
