"""The single-row rules are the database's, whatever writes the row."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    MembershipState,
    Role,
    RolePower,
    RoleTerm,
    Standing,
)
from carecommons.groups.tests.factories import TODAY, make_group, make_person, make_role
from carecommons.listening.tests.factories import make_lab
from carecommons.programmes.tests.factories import make_cohort, make_programme

pytestmark = pytest.mark.django_db


def refused(**values: object) -> None:
    model = values.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model._default_manager.create(**values)  # type: ignore[attr-defined]


def test_a_group_belonging_to_a_lab_and_a_cohort_at_once_is_refused_by_the_database() -> None:
    lab = make_lab()
    refused(model=CommunityGroup, name="Both", lab=lab, cohort=make_cohort(lab))


def test_a_group_belonging_to_a_cohort_and_a_parent_group_is_refused_by_the_database() -> None:
    refused(model=CommunityGroup, name="Both", cohort=make_cohort(), parent=make_group())


def test_a_group_may_stand_alone_or_belong_to_one_thing() -> None:
    parent = make_group("Mutual aid")
    for links in ({}, {"lab": make_lab()}, {"cohort": make_cohort()}, {"parent": parent}):
        CommunityGroup.objects.create(name="One", **links)
    assert CommunityGroup.objects.filter(name="One").count() == 4


def test_a_group_cannot_be_its_own_parent() -> None:
    group = make_group()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityGroup.objects.filter(pk=group.pk).update(parent=group)


def test_a_group_of_a_programme_that_is_not_a_care_lab_is_refused_in_plain_words() -> None:
    with pytest.raises(ValidationError, match="Choose a Care Lab"):
        make_group(lab=make_programme())


def test_a_membership_ending_before_it_starts_is_refused_by_the_database() -> None:
    group, person = make_group(), make_person()
    refused(
        model=GroupMembership,
        group=group,
        person=person,
        state=MembershipState.ACTIVE,
        starts_on=TODAY,
        ends_on=TODAY - timedelta(days=1),
    )


def test_an_active_membership_without_a_start_is_refused_by_the_database() -> None:
    refused(model=GroupMembership, group=make_group(), person=make_person(), state=MembershipState.ACTIVE)


def test_a_person_has_one_open_row_per_group_but_closed_and_ended_rows_do_not_count() -> None:
    group, person = make_group(), make_person()
    GroupMembership.objects.create(group=group, person=person, state=MembershipState.DECLINED)
    GroupMembership.objects.create(
        group=group, person=person, state=MembershipState.ACTIVE, starts_on=TODAY, ends_on=TODAY
    )
    GroupMembership.objects.create(group=group, person=person, state=MembershipState.INVITED)
    refused(model=GroupMembership, group=group, person=person, state=MembershipState.REQUESTED)
    GroupMembership.objects.create(
        group=group, person=person, state=MembershipState.INVITED, standing=Standing.CONVENING
    )


def test_two_roles_of_one_group_cannot_share_a_name_whatever_the_capitals() -> None:
    group = make_group()
    Role.objects.create(group=group, name="Treasurer")
    refused(model=Role, group=group, name="TREASURER")
    Role.objects.create(group=make_group("Another"), name="Treasurer")


def test_terms_in_a_row_without_a_term_length_are_refused_by_the_database() -> None:
    refused(model=Role, group=make_group(), name="Chair", max_consecutive_terms=2)


def test_a_role_with_no_seats_is_refused_by_the_database() -> None:
    refused(model=Role, group=make_group(), name="Chair", seats=0)


def test_seeing_and_advising_are_not_powers_a_role_can_hold() -> None:
    role = make_role(make_group())
    refused(model=RolePower, role=role, power="see")
    RolePower.objects.create(role=role, power="give_roles")
    refused(model=RolePower, role=role, power="give_roles")


def test_a_term_must_end_after_it_starts() -> None:
    role, person = make_role(make_group()), make_person()
    refused(model=RoleTerm, role=role, person=person, starts_on=TODAY, ends_on=TODAY)


def test_current_and_ahead_split_terms_at_today_and_a_term_ends_at_the_start_of_its_end_day() -> None:
    role = make_role(make_group())
    people = [make_person(str(n)) for n in range(4)]
    past = RoleTerm.objects.create(role=role, person=people[0], starts_on=date(2025, 1, 1), ends_on=TODAY)
    now = RoleTerm.objects.create(role=role, person=people[1], starts_on=TODAY, ends_on=date(2026, 9, 2))
    open_ended = RoleTerm.objects.create(role=role, person=people[2], starts_on=date(2025, 6, 1))
    later = RoleTerm.objects.create(role=role, person=people[3], starts_on=date(2026, 9, 2))
    assert set(RoleTerm.objects.current(TODAY)) == {now, open_ended}
    assert set(RoleTerm.objects.current(TODAY - timedelta(days=1))) == {past, open_ended}
    assert list(RoleTerm.objects.ahead(TODAY)) == [later]
    assert past not in RoleTerm.objects.ahead(TODAY)


def test_a_member_is_current_from_the_day_they_start_until_the_day_they_leave() -> None:
    group, person = make_group(), make_person()
    GroupMembership.objects.create(
        group=group, person=person, state=MembershipState.ACTIVE, starts_on=TODAY, ends_on=date(2026, 4, 1)
    )
    GroupMembership.objects.create(group=group, person=make_person("Bo"), state=MembershipState.INVITED)
    current = GroupMembership.objects.current
    assert current(TODAY).count() == 1
    assert current(TODAY - timedelta(days=1)).count() == 0
    assert current(date(2026, 3, 31)).count() == 1 and current(date(2026, 4, 1)).count() == 0
