from datetime import timedelta

import pytest
from django.utils import timezone

from carecommons.decisions import services
from carecommons.decisions.attention import due_for_review, waiting_for_vote
from carecommons.decisions.models import Outcome
from carecommons.decisions.tests.factories import group_with, make_member, open_one, user_of
from carecommons.home.attention import attention_for

pytestmark = pytest.mark.django_db


def test_an_open_decision_waits_for_each_members_vote_until_they_give_it() -> None:
    amira, bilal = make_member("Amira"), make_member("Bilal")
    decision = open_one(group_with([amira, bilal]), amira)
    outsider = make_member("Outsider")
    assert [item.title for item in waiting_for_vote(user_of(bilal))] == [decision.title]
    assert waiting_for_vote(user_of(outsider)) == []
    services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["agree"])
    assert waiting_for_vote(user_of(bilal)) == []


def test_an_outcome_comes_back_to_the_home_page_on_its_review_date() -> None:
    amira = make_member("Amira")
    decision = open_one(group_with([amira]), amira)
    services.close_decision(decision=decision, by=None)
    services.state_outcome(
        decision=decision,
        by=user_of(amira),
        statement="Try it",
        review_on=timezone.localdate() + timedelta(days=9),
    )
    assert due_for_review(user_of(amira)) == []
    Outcome.objects.filter(decision=decision).update(review_on=timezone.localdate())
    assert "Review the outcome" in [item.link_text for item in attention_for(user_of(amira))]
