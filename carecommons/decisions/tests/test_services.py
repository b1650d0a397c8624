from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.decisions import services
from carecommons.decisions.models import Ballot, BallotKey, BallotMark, Method, Objection, Participation
from carecommons.decisions.tests.factories import group_with, make_member, open_one, user_of
from carecommons.groups.models import CommunityGroup
from carecommons.people.models import Person

Trio = tuple[CommunityGroup, list[Person]]

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio() -> Trio:
    people = [make_member(name) for name in ("Amira", "Bilal", "Cara")]
    return group_with(people), people


def test_a_member_opens_a_proposal_with_the_kinds_own_options(trio: Trio) -> None:
    group, (amira, *_) = trio
    decision = open_one(group, amira, "proposal")
    assert [o.key for o in decision.options.all()] == ["agree", "abstain", "disagree", "block"]
    assert AuditEvent.objects.filter(action="decisions.opened", target_id=str(decision.uuid)).exists()


def test_someone_outside_the_group_cannot_open_a_decision(trio: Trio) -> None:
    group, _ = trio
    with pytest.raises(ValidationError):
        open_one(group, make_member("Outsider"))


def test_a_deadline_must_be_within_ninety_days(trio: Trio) -> None:
    group, (amira, *_) = trio
    with pytest.raises(ValidationError):
        open_one(group, amira, closes_in=timedelta(days=91))
    with pytest.raises(ValidationError):
        open_one(group, amira, closes_in=timedelta(minutes=5))


def test_consent_cannot_be_anonymous(trio: Trio) -> None:
    group, (amira, *_) = trio
    with pytest.raises(ValidationError):
        open_one(group, amira, "consent", anonymous=True)


def test_a_double_submit_counts_once_and_a_change_replaces_the_vote(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "proposal")
    for choice in ("agree", "agree", "disagree"):
        services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=[choice])
    assert Ballot.objects.filter(decision=decision).count() == 1
    assert services.count_now(decision)["tallies"] == {"agree": 0, "abstain": 0, "disagree": 1, "block": 0}


def test_an_invalid_ballot_is_refused_in_plain_words(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "proposal")
    with pytest.raises(ValidationError, match="Give a reason"):
        services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["block"])


def test_a_non_member_cannot_vote(trio: Trio) -> None:
    group, (amira, *_) = trio
    decision = open_one(group, amira)
    outsider = make_member("Outsider")
    with pytest.raises(ValidationError):
        services.cast_vote(decision=decision, person=outsider, by=user_of(outsider), choices=["agree"])


def test_the_audit_log_records_that_someone_voted_not_how(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, anonymous=True)
    services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["agree"])
    event = AuditEvent.objects.get(action="decisions.voted")
    assert event.actor == user_of(bilal)
    assert event.target_id == str(decision.uuid)
    assert event.detail == {}


def test_an_anonymous_ballot_names_nobody_and_its_member_can_still_change_it(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, anonymous=True)
    services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["agree"])
    services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["disagree"])
    ballot = Ballot.objects.get(decision=decision)
    assert ballot.person is None and ballot.voter_token
    assert services.own_ballot(decision, bilal) == ballot
    assert services.own_ballot(decision, amira) is None


def test_closing_an_anonymous_decision_forgets_the_key_and_the_tokens(trio: Trio) -> None:
    group, (amira, bilal, cara) = trio
    decision = open_one(group, amira, anonymous=True)
    for person, choice in ((bilal, "agree"), (cara, "agree"), (amira, "disagree")):
        services.cast_vote(decision=decision, person=person, by=user_of(person), choices=[choice])
    before = set(Ballot.objects.filter(decision=decision).values_list("id", flat=True))
    outcome = services.close_decision(decision=decision, by=user_of(amira))
    assert not BallotKey.objects.filter(decision=decision).exists()
    ballots = Ballot.objects.filter(decision=decision)
    assert ballots.count() == 3
    assert not ballots.filter(voter_token__isnull=False).exists()
    assert before.isdisjoint(ballots.values_list("id", flat=True))
    assert BallotMark.objects.filter(ballot__decision=decision).count() == 3
    assert outcome.result["tallies"]["agree"] == 2
    assert outcome.result["outcome"] == "passes"


def test_a_closed_decision_takes_no_more_votes_and_closes_once(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira)
    services.close_decision(decision=decision, by=user_of(amira))
    with pytest.raises(ValidationError):
        services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["agree"])
    with pytest.raises(ValidationError):
        services.close_decision(decision=decision, by=user_of(amira))


def test_the_worker_closes_decisions_past_their_deadline(trio: Trio) -> None:
    group, (amira, *_) = trio
    due = open_one(group, amira, closes_in=timedelta(days=3))
    later = open_one(group, amira)
    assert services.close_due_decisions(now=timezone.now() + timedelta(days=5)) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.closed_at is not None and later.closed_at is None


def test_a_facilitator_records_a_hand_vote_marked_as_theirs(trio: Trio) -> None:
    group, (amira, bilal, cara) = trio
    decision = open_one(group, amira)
    services.cast_vote(
        decision=decision, person=cara, by=user_of(bilal), choices=["agree"], method=Method.IN_ROOM
    )
    participation = Participation.objects.get(decision=decision, person=cara)
    assert participation.recorded_by == user_of(bilal)
    assert participation.method == Method.IN_ROOM
    event = AuditEvent.objects.get(action="decisions.vote_recorded")
    assert event.actor == user_of(bilal) and event.detail == {"method": "in_room"}


def test_an_objection_blocks_consent_until_it_is_resolved(trio: Trio) -> None:
    group, (amira, bilal, cara) = trio
    decision = open_one(group, amira, "consent")
    services.cast_vote(decision=decision, person=cara, by=user_of(cara), choices=["consent"])
    services.cast_vote(
        decision=decision, person=bilal, by=user_of(bilal), choices=["object"], reason="It leaves out carers"
    )
    assert services.count_now(decision)["outcome"] == "fails"
    objection = Objection.objects.get()
    services.resolve_objection(objection=objection, by=user_of(amira), resolution="Carers added to the plan")
    outcome = services.close_decision(decision=decision, by=user_of(amira))
    assert outcome.result["outcome"] == "passes"
    assert AuditEvent.objects.filter(action="decisions.objection_resolved").exists()


def test_a_member_gives_advice_and_the_decider_records_an_outsiders(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "advice")
    services.give_advice(decision=decision, by=user_of(bilal), person=bilal, text="Ask the tenants first")
    services.give_advice(
        decision=decision, by=user_of(bilal), person=bilal, text="Ask the tenants, then the council"
    )
    services.give_advice(
        decision=decision, by=user_of(amira), source="Housing officer", text="Check the lease"
    )
    result = services.close_decision(decision=decision, by=user_of(amira)).result
    assert result["ballots"] == 2 and result["outcome"] == "noted"


def test_ranked_choice_keeps_every_round_in_the_outcome(trio: Trio) -> None:
    group, people = trio
    decision = open_one(group, people[0], "ranked_choice", options=["Housing", "Transport", "Loneliness"])
    for person, ranking in zip(people, (["o1", "o2"], ["o2", "o3"], ["o3", "o2"]), strict=True):
        services.cast_vote(decision=decision, person=person, by=user_of(person), choices=ranking)
    result = services.close_decision(decision=decision, by=None).result
    assert len(result["rounds"]) == 2
    assert result["rounds"][0]["eliminated"] == "o3"
    assert result["winner"] == "o2"


def test_a_time_poll_chooses_the_slot_most_can_make(trio: Trio) -> None:
    group, people = trio
    start = timezone.now() + timedelta(days=10)
    slots = [
        (start, start + timedelta(hours=1)),
        (start + timedelta(days=1), start + timedelta(days=1, hours=1)),
    ]
    decision = open_one(group, people[0], "time_poll", slots=slots)
    for person, marks in zip(
        people, ({"o1": 0, "o2": 2}, {"o1": 1, "o2": 2}, {"o1": 2, "o2": 1}), strict=True
    ):
        services.cast_vote(decision=decision, person=person, by=user_of(person), marks=marks)
    assert services.close_decision(decision=decision, by=None).result["winner"] == "o2"


def test_the_outcome_statement_needs_a_review_date_ahead(trio: Trio) -> None:
    group, (amira, *_) = trio
    decision = open_one(group, amira)
    services.close_decision(decision=decision, by=None)
    with pytest.raises(ValidationError):
        services.state_outcome(
            decision=decision, by=user_of(amira), statement="Go", review_on=timezone.localdate()
        )
    outcome = services.state_outcome(
        decision=decision,
        by=user_of(amira),
        statement="We go ahead",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    assert outcome.statement == "We go ahead"


def test_the_live_count_is_kept_until_a_vote_changes_it_and_always_equals_a_fresh_count() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    amira, bilal, cara = (make_member(name) for name in ("Amira", "Bilal", "Cara"))
    decision = open_one(group_with([amira, bilal, cara]), amira, "single_choice", options=["Tea", "Coffee"])
    services.cast_vote(decision=decision, person=amira, by=user_of(amira), choices=["o1"])
    first = services.live_count(decision)
    assert first == services.count_now(decision) and first["tallies"] == {"o1": 1, "o2": 0}
    with CaptureQueriesContext(connection) as kept:
        assert services.live_count(decision) == first
    with CaptureQueriesContext(connection) as fresh:
        services.count_now(decision)
    # the kept count, how many voted, how many members: none of the counting queries
    assert len(kept) == 3 < len(fresh)
    services.cast_vote(decision=decision, person=bilal, by=user_of(bilal), choices=["o2"])
    services.cast_vote(decision=decision, person=amira, by=user_of(amira), choices=["o2"])  # changed
    assert services.live_count(decision) == services.count_now(decision)
    assert services.live_count(decision)["tallies"] == {"o1": 0, "o2": 2}
    services.close_decision(decision=decision, by=user_of(amira))
    decision.refresh_from_db()
    assert decision.live_count is None
