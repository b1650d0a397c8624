"""Erasing a person deletes their memberships and terms in every group; the groups stay."""

from datetime import date

import pytest

from carecommons.groups import services
from carecommons.groups.models import CommunityGroup, GroupMembership, Role, RoleTerm
from carecommons.groups.tests.factories import TODAY, make_group, make_person, make_role
from carecommons.people.erasure import erase_person, plan_for
from carecommons.people.own_data import audit_events, collect

pytestmark = pytest.mark.django_db


def test_erasure_deletes_their_memberships_invitations_and_terms_and_leaves_the_others() -> None:
    ann, bo = make_person("Ann", "Lee"), make_person("Bo", "Dale")
    group = make_group(members=[ann, bo])
    chair = make_role(group, "Chair")
    services.give_term(role=chair, person=ann, starts_on=TODAY, by=None, today=TODAY)
    services.give_term(role=chair, person=bo, starts_on=date(2026, 9, 2), by=None, today=TODAY)
    services.invite_member(group=make_group("Another"), person=ann, by=None)
    plan = dict(plan_for(ann).deleted)
    assert plan["roles held in groups"] == 1
    assert plan["group memberships, invitations and requests to join"] == 2

    erase_person(person=ann, by=None, reason="They asked on 3 May")

    assert not GroupMembership.objects.filter(person=ann).exists()
    assert not RoleTerm.objects.filter(person=ann).exists()
    assert (
        GroupMembership.objects.filter(person=bo).count() == 1
        and RoleTerm.objects.filter(person=bo).count() == 1
    )
    assert CommunityGroup.objects.count() == 2 and Role.objects.get() == chair


def test_events_about_their_membership_and_terms_are_in_their_own_history() -> None:
    ann = make_person("Ann", "Lee")
    group = make_group(members=[ann])
    services.give_term(role=make_role(group), person=ann, starts_on=TODAY, by=None, today=TODAY)
    assert {"groups.member_joined", "groups.term_given"} <= set(
        audit_events(ann).values_list("action", flat=True)
    )


def test_their_own_data_lists_their_groups_and_the_roles_they_held() -> None:
    ann, bo = make_person("Ann", "Lee"), make_person("Bo", "Dale")
    group = make_group(members=[ann, bo])
    services.give_term(role=make_role(group, "Chair"), person=ann, starts_on=TODAY, by=None, today=TODAY)
    (section,) = [s for s in collect(ann).sections if s.key == "groups"]
    assert [(r["group"], r.get("role")) for r in section.rows] == [
        ("Riverside action group", None),
        ("Riverside action group", "Chair"),
    ]
    assert all("Bo" not in str(r) for r in section.rows)
