"""Votes at the same moment. Real concurrency needs PostgreSQL's row locks; SQLite runs one writer
at a time (IMMEDIATE transactions queue them), so there these tests would prove nothing and are
skipped, as in expenses/tests/test_concurrency.py."""

from functools import partial

import pytest

from carecommons.decisions import services
from carecommons.decisions.models import Ballot, Participation
from carecommons.decisions.tests.factories import group_with, make_member, open_one, user_of
from tests.concurrency import ROW_LOCKS, at_once

pytestmark = ROW_LOCKS


@pytest.mark.parametrize("anonymous", [False, True])
def test_two_members_voting_at_the_same_moment_are_both_counted(anonymous: bool) -> None:
    amira, bilal, cara = (make_member(name) for name in ("Amira", "Bilal", "Cara"))
    decision = open_one(group_with([amira, bilal, cara]), amira, anonymous=anonymous)
    votes = [
        partial(services.cast_vote, decision=decision, person=p, by=user_of(p), choices=["agree"])
        for p in (bilal, cara)
    ]
    assert at_once(votes) == ["done", "done"]
    assert services.count_now(decision)["tallies"]["agree"] == 2


def test_a_double_submit_at_the_same_moment_counts_once() -> None:
    amira, bilal = make_member("Amira"), make_member("Bilal")
    decision = open_one(group_with([amira, bilal]), amira)
    vote = partial(services.cast_vote, decision=decision, person=bilal, by=user_of(bilal), choices=["agree"])
    assert at_once([vote, vote]) == ["done", "done"]
    assert Ballot.objects.filter(decision=decision).count() == 1
    assert Participation.objects.filter(decision=decision).count() == 1


def test_a_vote_racing_the_close_is_either_counted_or_refused() -> None:
    amira, bilal = make_member("Amira"), make_member("Bilal")
    decision = open_one(group_with([amira, bilal]), amira)
    outcomes = at_once(
        [
            partial(
                services.cast_vote, decision=decision, person=bilal, by=user_of(bilal), choices=["agree"]
            ),
            partial(services.close_decision, decision=decision, by=user_of(amira)),
        ]
    )
    decision.refresh_from_db()
    assert (outcomes, decision.outcome.result["ballots"]) in ((["done", "done"], 1), (["done", "refused"], 0))
