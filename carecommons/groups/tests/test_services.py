"""Joining, roles and terms through the services: the rules hold and every change is audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from carecommons.audit.models import AuditEvent
from carecommons.groups import services
from carecommons.groups.models import GroupMembership, Joining, MembershipState, Power, RoleTerm
from carecommons.groups.roster import rota
from carecommons.groups.tests.factories import TODAY, make_group, make_person, make_role

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_an_invited_person_becomes_a_member_from_the_day_they_accept() -> None:
    group, person = make_group(), make_person()
    invitation = services.invite_member(group=group, person=person, by=None)
    assert not GroupMembership.objects.current(TODAY).filter(person=person).exists()
    services.answer_invitation(membership=invitation, accept=True, by=None, today=TODAY)
    assert GroupMembership.objects.current(TODAY).get(person=person).starts_on == TODAY
    assert actions()[-2:] == ["groups.member_invited", "groups.member_joined"]


def test_a_declined_invitation_cannot_be_accepted_later_but_the_person_can_be_invited_again() -> None:
    group, person = make_group(), make_person()
    invitation = services.invite_member(group=group, person=person, by=None)
    services.answer_invitation(membership=invitation, accept=False, by=None)
    with pytest.raises(ValidationError, match="already been answered"):
        services.answer_invitation(membership=invitation, accept=True, by=None)
    assert services.invite_member(group=group, person=person, by=None).state == MembershipState.INVITED


def test_inviting_a_member_or_someone_already_invited_is_refused_in_plain_words() -> None:
    person = make_person()
    group = make_group(members=[person])
    with pytest.raises(ValidationError, match="already a member"):
        services.invite_member(group=group, person=person, by=None)
    other = make_person("Bo")
    services.invite_member(group=group, person=other, by=None)
    with pytest.raises(ValidationError, match="already been invited"):
        services.invite_member(group=group, person=other, by=None)


def test_asking_to_join_a_group_that_only_invites_is_refused() -> None:
    with pytest.raises(ValidationError, match="invitation only"):
        services.request_to_join(group=make_group(), person=make_person(), by=None)


def test_a_request_to_join_is_let_in_or_refused() -> None:
    group = make_group(joining=Joining.INVITATION_OR_REQUEST)
    yes, no = make_person("Yes"), make_person("No")
    services.answer_request(
        membership=services.request_to_join(group=group, person=yes, by=None),
        accept=True,
        by=None,
        today=TODAY,
    )
    refused = services.answer_request(
        membership=services.request_to_join(group=group, person=no, by=None), accept=False, by=None
    )
    assert list(GroupMembership.objects.current(TODAY).values_list("person", flat=True)) == [yes.pk]
    assert refused.state == MembershipState.REFUSED
    assert "groups.request_refused" in actions()


def test_leaving_keeps_the_membership_ends_current_roles_and_drops_planned_ones() -> None:
    person = make_person()
    group = make_group(members=[person])
    chair, minutes = make_role(group, "Chair"), make_role(group, "Note-taker")
    held = services.give_term(role=chair, person=person, starts_on=TODAY, by=None, today=TODAY)
    services.give_term(role=minutes, person=person, starts_on=date(2026, 6, 1), by=None, today=TODAY)
    membership = GroupMembership.objects.get(person=person)
    services.leave_group(membership=membership, by=None, on=date(2026, 4, 1))
    membership.refresh_from_db()
    held.refresh_from_db()
    assert membership.ends_on == date(2026, 4, 1)
    assert held.ends_on == date(2026, 4, 1)
    assert list(RoleTerm.objects.all()) == [held]
    assert actions()[-1] == "groups.member_left"


def test_naming_a_role_twice_or_giving_it_a_members_power_is_refused_in_plain_words() -> None:
    group = make_group()
    make_role(group, "Treasurer", powers=[Power.KEEP_BOOKS, Power.GIVE_MONEY_ROLES])
    with pytest.raises(ValidationError, match="already has a role with that name"):
        make_role(group, "treasurer")
    with pytest.raises(ValidationError, match="every member"):
        make_role(group, "Watcher", powers=[Power.SEE])
    with pytest.raises(ValidationError, match="how long a term lasts"):
        make_role(group, "Chair", term_months=None, max_consecutive_terms=2)


def test_only_a_member_can_be_given_a_term() -> None:
    role = make_role(make_group())
    with pytest.raises(ValidationError, match="Only a member"):
        services.give_term(role=role, person=make_person(), starts_on=TODAY, by=None, today=TODAY)


def test_a_term_without_an_end_runs_the_roles_full_length_and_a_longer_one_is_refused() -> None:
    person = make_person()
    role = make_role(make_group(members=[person]), term_months=6)
    with pytest.raises(ValidationError, match="at most 6 months: it must end by 2 September 2026"):
        services.give_term(
            role=role, person=person, starts_on=TODAY, ends_on=date(2026, 9, 3), by=None, today=TODAY
        )
    term = services.give_term(role=role, person=person, starts_on=TODAY, by=None, today=TODAY)
    assert term.ends_on == date(2026, 9, 2)


def test_a_term_over_the_seats_is_refused_and_a_second_seat_lets_it_through() -> None:
    ann, bo = make_person("Ann"), make_person("Bo")
    group = make_group(members=[ann, bo])
    one, two = make_role(group, "Chair", seats=1), make_role(group, "Co-chair", seats=2)
    for role in (one, two):
        services.give_term(role=role, person=ann, starts_on=TODAY, by=None, today=TODAY)
    with pytest.raises(ValidationError, match="at most one person at a time"):
        services.give_term(role=one, person=bo, starts_on=date(2026, 5, 1), by=None, today=TODAY)
    services.give_term(role=two, person=bo, starts_on=date(2026, 5, 1), by=None, today=TODAY)


def test_a_third_term_in_a_row_is_refused_until_they_sit_out_a_whole_term() -> None:
    person = make_person()
    role = make_role(make_group(members=[person]), term_months=6, max_consecutive_terms=2)
    give = services.give_term
    give(role=role, person=person, starts_on=date(2026, 1, 1), by=None, today=TODAY)
    give(role=role, person=person, starts_on=date(2026, 7, 1), by=None, today=TODAY)
    with pytest.raises(ValidationError, match="more than 2 terms of this role in a row"):
        give(role=role, person=person, starts_on=date(2027, 6, 30), by=None, today=TODAY)
    give(role=role, person=person, starts_on=date(2027, 7, 1), by=None, today=TODAY)


def test_the_rota_shows_each_holder_with_their_last_day_then_who_follows() -> None:
    ann, bo = make_person("Ann"), make_person("Bo")
    group = make_group(members=[ann, bo])
    chair = make_role(group, "Chair", powers=[Power.RUN_DECISIONS])
    make_role(group, "Note-taker")
    services.give_term(role=chair, person=ann, starts_on=date(2026, 1, 1), by=None, today=TODAY)
    services.give_term(role=chair, person=bo, starts_on=date(2026, 7, 1), by=None, today=TODAY)
    [chair_rota, notes_rota] = rota(group, TODAY)
    assert [(h.person, h.last_day) for h in chair_rota.now] == [(ann, date(2026, 6, 30))]
    assert [(h.person, h.starts_on) for h in chair_rota.ahead] == [(bo, date(2026, 7, 1))]
    assert chair_rota.powers == [Power.RUN_DECISIONS]
    assert notes_rota.now == notes_rota.ahead == []
    assert "groups.term_planned" in actions()


def test_the_rota_takes_the_same_number_of_queries_however_many_roles_and_terms(
    django_assert_num_queries: object,
) -> None:
    people = [make_person(str(n)) for n in range(6)]
    group = make_group(members=people)
    for n, person in enumerate(people):
        role = make_role(group, f"Role {n}", powers=[Power.GIVE_ROLES])
        services.give_term(role=role, person=person, starts_on=TODAY, by=None, today=TODAY)
    with django_assert_num_queries(3):  # type: ignore[operator]
        rota(group, TODAY)


def test_a_term_not_started_is_cancelled_and_one_under_way_ends_early() -> None:
    ann, bo = make_person("Ann"), make_person("Bo")
    group = make_group(members=[ann, bo])
    chair = make_role(group, "Chair")
    now = services.give_term(role=chair, person=ann, starts_on=TODAY, by=None, today=TODAY)
    later = services.give_term(role=chair, person=bo, starts_on=date(2026, 9, 2), by=None, today=TODAY)
    services.end_term(term=now, by=None, on=date(2026, 4, 1))
    services.end_term(term=later, by=None, on=TODAY)
    assert list(RoleTerm.objects.values_list("person", "ends_on")) == [(ann.pk, date(2026, 4, 1))]
    assert actions()[-2:] == ["groups.term_ended", "groups.term_cancelled"]
