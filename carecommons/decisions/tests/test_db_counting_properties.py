"""The database's count equals the pure reference (`counting.count`) over the same ballots, for
ranked choice, dot votes, quorum and gradients of agreement (decision 0030 section 5)."""

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecommons.decisions import services
from carecommons.decisions.ballots import Ballot, Setup
from carecommons.decisions.counting import count
from carecommons.decisions.kinds import get_kind
from carecommons.decisions.tally import as_json
from carecommons.decisions.tests.factories import group_with, make_member, open_one, user_of
from carecommons.groups.models import CommunityGroup
from carecommons.people.models import Person

GroupOf = tuple[CommunityGroup, list[Person]]

pytestmark = pytest.mark.django_db
MEMBERS = 8
PROPERTY = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def group_of_eight() -> GroupOf:
    people = [make_member(f"Member{i}", account=i == 0) for i in range(MEMBERS)]
    return group_with(people), people


def cast_all(
    group_and_people: GroupOf, kind: str, ballots: list[Ballot], **open_settings: Any
) -> dict[str, Any]:
    group, people = group_and_people
    options = open_settings.pop("options", ())
    decision = open_one(group, people[0], kind, options=options, **open_settings)
    by = user_of(people[0])
    for person, ballot in zip(people, ballots, strict=False):
        services.cast_vote(
            decision=decision,
            person=person,
            by=by,
            choices=ballot.choices,
            marks=ballot.marks,
            reason=ballot.reason,
        )
    return services.count_now(decision)


def reference(kind: str, ballots: list[Ballot], setup: Setup) -> dict[str, Any]:
    return as_json(count(get_kind(kind), ballots, setup))


@st.composite
def rankings(draw: st.DrawFn) -> tuple[int, list[Ballot]]:
    n = draw(st.integers(min_value=2, max_value=6))
    keys = [f"o{i}" for i in range(1, n + 1)]
    ballot = st.permutations(keys).flatmap(lambda order: st.integers(1, n).map(lambda k: tuple(order[:k])))
    return n, [Ballot(choices=c) for c in draw(st.lists(ballot, max_size=MEMBERS))]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rankings())
def test_ranked_choice_in_the_database_matches_the_reference(
    group_of_eight: GroupOf, case: tuple[int, list[Ballot]]
) -> None:
    n, ballots = case
    labels = [f"Issue {i}" for i in range(1, n + 1)]
    counted = cast_all(group_of_eight, "ranked_choice", ballots, options=labels)
    setup = Setup(options=tuple(f"o{i}" for i in range(1, n + 1)), members=MEMBERS)
    assert counted == reference("ranked_choice", ballots, setup)


@st.composite
def dot_ballots(draw: st.DrawFn) -> tuple[int, list[Ballot]]:
    n = draw(st.integers(min_value=2, max_value=4))
    keys = [f"o{i}" for i in range(1, n + 1)]
    marks = st.fixed_dictionaries({key: st.integers(0, 3) for key in keys}).filter(
        lambda m: 1 <= sum(m.values()) <= 8
    )
    return n, [Ballot(marks=m) for m in draw(st.lists(marks, max_size=MEMBERS))]


@PROPERTY
@given(case=dot_ballots())
def test_a_dot_vote_in_the_database_matches_the_reference(
    group_of_eight: GroupOf, case: tuple[int, list[Ballot]]
) -> None:
    n, ballots = case
    counted = cast_all(group_of_eight, "dot_vote", ballots, options=[f"Idea {i}" for i in range(1, n + 1)])
    setup = Setup(options=tuple(f"o{i}" for i in range(1, n + 1)), members=MEMBERS)
    assert counted == reference("dot_vote", ballots, setup)


@PROPERTY
@given(
    choices=st.lists(st.sampled_from(["agree", "abstain", "disagree"]), max_size=MEMBERS),
    quorum=st.integers(1, 100),
    share=st.none() | st.integers(1, 100),
)
def test_quorum_and_vote_share_in_the_database_match_the_reference(
    group_of_eight: GroupOf, choices: list[str], quorum: int, share: int | None
) -> None:
    ballots = [Ballot(choices=(choice,)) for choice in choices]
    counted = cast_all(group_of_eight, "proposal", ballots, quorum_percent=quorum, share_percent=share)
    setup = Setup(
        quorum=Fraction(quorum, 100),
        vote_share=Fraction(share, 100) if share else None,
        members=MEMBERS,
    )
    assert counted == reference("proposal", ballots, setup)


GRADIENTS = [option.key for option in get_kind("gradients").options]


@PROPERTY
@given(choices=st.lists(st.sampled_from(GRADIENTS), max_size=MEMBERS))
def test_gradients_in_the_database_match_the_reference(group_of_eight: GroupOf, choices: list[str]) -> None:
    ballots = [Ballot(choices=(c,), reason="I cannot live with it" if c == "veto" else "") for c in choices]
    counted = cast_all(group_of_eight, "gradients", ballots)
    assert counted == reference("gradients", ballots, Setup(members=MEMBERS))
