"""Erasure deletes named ballots, participation and advice; anonymous ballots and outcomes stay."""

import pytest

from carecommons.decisions import services
from carecommons.decisions.models import Ballot, Decision, Participation
from carecommons.decisions.tests.factories import group_with, make_member, open_one, user_of
from carecommons.people.erasure import erase_person
from carecommons.people.own_data import collect

pytestmark = pytest.mark.django_db


def test_erasure_deletes_named_ballots_and_keeps_anonymous_ones_and_the_decisions() -> None:
    ann, bo = make_member("Ann"), make_member("Bo")
    group = group_with([ann, bo])
    named = open_one(group, ann)
    secret = open_one(group, bo, anonymous=True)
    for decision in (named, secret):
        services.cast_vote(decision=decision, person=ann, by=user_of(ann), choices=["agree"])
        services.cast_vote(decision=decision, person=bo, by=user_of(bo), choices=["agree"])
    services.close_decision(decision=secret, by=None)
    assert any(r.get("voted_in") == named.title for r in collect(ann).section("decisions").rows)

    erase_person(person=ann, by=None, reason="They asked")

    assert not Participation.objects.filter(person=ann).exists()
    assert Ballot.objects.filter(decision=named).count() == 1
    assert Ballot.objects.filter(decision=secret).count() == 2
    named.refresh_from_db()
    assert named.opened_by is None and Decision.objects.count() == 2
