"""Expected statuses for the decisions' URLs (see tests/matrix.py for what each field means).

The target decision is in a group of which only the participant persona is a member (once that
persona exists), holding a role that runs decisions and records votes: only members ever reach a
decision, its ballots or its results, whatever their site role. Everyone else gets a 404."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from carecommons.decisions import services
from carecommons.decisions.models import Decision, Objection
from carecommons.decisions.tests.factories import give_powers, group_with, make_member, open_one, user_of
from carecommons.groups.models import CommunityGroup, Power
from carecommons.people.models import Person
from tests.matrix import ANON, Case, unique_name

MEMBERS_ONLY = {"participant": 200}


def target_group() -> tuple[CommunityGroup, Person]:
    proposer = make_member(unique_name("Target").replace(" ", ""))
    participant = Person.objects.filter(user__email="participant@example.org").first()
    group = group_with([proposer, *([participant] if participant else [])], name=unique_name("Group"))
    if participant is not None:
        give_powers(group, participant, Power.RUN_DECISIONS, Power.RECORD_VOTES)
    return group, proposer


def ids(decision: Decision) -> dict[str, Any]:
    return {"group_id": decision.group.uuid, "decision_id": decision.uuid}


def group_args() -> dict[str, Any]:
    return {"group_id": target_group()[0].uuid}


def kind_args() -> dict[str, Any]:
    return group_args() | {"kind": "ranked_choice"}


def decision_args() -> dict[str, Any]:
    group, proposer = target_group()
    return ids(open_one(group, proposer, "ranked_choice", options=["Housing", "Transport"]))


def closed_args() -> dict[str, Any]:
    group, proposer = target_group()
    decision = open_one(group, proposer)
    services.close_decision(decision=decision, by=None)
    return ids(decision)


def objection_args() -> dict[str, Any]:
    group, proposer = target_group()
    decision = open_one(group, proposer, "consent")
    services.cast_vote(
        decision=decision, person=proposer, by=user_of(proposer), choices=["object"], reason="Too soon"
    )
    return ids(decision) | {"objection_id": Objection.objects.get(ballot__decision=decision).uuid}


def slot_args() -> dict[str, Any]:
    group, proposer = target_group()
    start = timezone.now() + timedelta(days=5)
    decision = open_one(group, proposer, "time_poll", slots=[(start, start + timedelta(hours=2))])
    services.cast_vote(decision=decision, person=proposer, by=user_of(proposer), marks={"o1": 2})
    services.close_decision(decision=decision, by=None)
    return ids(decision)


MATRIX: dict[str, Case] = {
    "decisions:decision_list": Case(ANON, args=group_args, overrides=MEMBERS_ONLY),
    "decisions:propose": Case(ANON, args=group_args, overrides=MEMBERS_ONLY),
    "decisions:decision_create": Case(ANON, args=kind_args, overrides=MEMBERS_ONLY),
    "decisions:decision_detail": Case(ANON, args=decision_args, overrides=MEMBERS_ONLY),
    "decisions:vote_record": Case(ANON, args=decision_args, overrides=MEMBERS_ONLY),
    "decisions:decision_close": Case(ANON, args=decision_args, overrides=MEMBERS_ONLY),
    "decisions:outcome_state": Case(ANON, args=closed_args, overrides=MEMBERS_ONLY),
    "decisions:objection_resolve": Case(ANON, args=objection_args, overrides=MEMBERS_ONLY),
    "decisions:decision_ics": Case(ANON, args=slot_args, overrides=MEMBERS_ONLY),
}
