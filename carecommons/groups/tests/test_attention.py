"""The home page tells people about invitations waiting for them, and tells those who give roles
about terms ending within 28 days with nobody planned to follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.attention import invitation_items, term_items
from carecommons.groups.tests.factories import make_person, make_role
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


def test_an_invitation_waiting_shows_until_answered(participant: User) -> None:
    group = services.found_group(name="River group", founder=make_person(), by=None)
    invitation = services.invite_member(group=group, person=person_of(participant), by=None)
    assert [item.title for item in invitation_items(participant)] == ["Invitation to join River group"]
    services.answer_invitation(membership=invitation, accept=False, by=None)
    assert invitation_items(participant) == []


def test_a_term_ending_within_28_days_with_nobody_to_follow_is_shown_to_holders_of_give_roles(
    participant: User, facilitator: User
) -> None:
    today = timezone.localdate()
    group = services.found_group(name="River group", founder=person_of(participant), by=None)
    follower = make_person("Next", "One")
    services.answer_invitation(
        membership=services.invite_member(group=group, person=follower, by=None), accept=True, by=None
    )
    services.answer_invitation(
        membership=services.invite_member(group=group, person=person_of(facilitator), by=None),
        accept=True,
        by=None,
    )
    note_taker = make_role(group, "Note-taker", term_months=1)
    services.give_term(role=note_taker, person=follower, starts_on=today - timedelta(days=10), by=None)
    far = make_role(group, "Host", term_months=6)
    services.give_term(role=far, person=follower, starts_on=today, by=None)
    items = term_items(participant)
    assert [item.title for item in items] == ["Note-taker of River group: nobody follows"]
    assert term_items(facilitator) == []  # a member who does not give roles
    ends = note_taker.terms.get().ends_on
    assert ends is not None
    services.give_term(role=note_taker, person=person_of(facilitator), starts_on=ends, by=None)
    assert term_items(participant) == []
