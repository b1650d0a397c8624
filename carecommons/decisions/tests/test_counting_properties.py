"""Each counting rule against a deliberately plain reference written here, plus the invariants
that must hold whatever the ballots: tallies add up, a runoff's winner has more than half or is
the last option left, an eliminated option never comes back, and the order of ballots is irrelevant."""

from collections import Counter
from fractions import Fraction
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.decisions.ballots import Ballot, BallotError, Setup
from carecommons.decisions.counting import Round, count, instant_runoff
from carecommons.decisions.kinds import get_kind

PROPERTY = settings(max_examples=60, deadline=None)
NAMES = ("a", "b", "c", "d", "e")


@st.composite
def rankings(draw: st.DrawFn) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    options = NAMES[: draw(st.integers(2, 5))]
    one = st.permutations(options).flatmap(lambda order: st.integers(1, len(order)).map(lambda n: order[:n]))
    return options, [tuple(ranking) for ranking in draw(st.lists(one, max_size=25))]


def plain_runoff(
    options: tuple[str, ...], ballots: list[tuple[str, ...]]
) -> tuple[list[tuple[dict[str, int], int, int, str | None]], str | None]:
    """Recount every ballot from scratch each round, the way it would be done on paper."""
    continuing = list(options)
    rounds: list[tuple[dict[str, int], int, int, str | None]] = []
    history: list[dict[str, int]] = []
    while True:
        counts = {option: 0 for option in continuing}
        exhausted = 0
        for ballot in ballots:
            for option in ballot:
                if option in continuing:
                    counts[option] += 1
                    break
            else:
                exhausted += 1
        total = sum(counts.values())
        history.append(counts)
        if total == 0:
            rounds.append((counts, total, exhausted, None))
            return rounds, None
        for option in continuing:
            if counts[option] * 2 > total or len(continuing) == 1:
                rounds.append((counts, total, exhausted, None))
                return rounds, option
        lowest = [option for option in continuing if counts[option] == min(counts.values())]
        for past in history:
            fewest = min(past[option] for option in lowest)
            lowest = [option for option in lowest if past[option] == fewest]
        out = lowest[-1]  # `continuing` keeps the listed order, so the last is the one listed last
        rounds.append((counts, total, exhausted, out))
        continuing.remove(out)


def as_tuples(rounds: tuple[Round, ...]) -> list[tuple[dict[str, int], int, int, str | None]]:
    return [(round_.counts, round_.continuing, round_.exhausted, round_.eliminated) for round_ in rounds]


@PROPERTY
@given(rankings())
def test_instant_runoff_matches_a_count_made_on_paper_round_by_round(
    case: tuple[tuple[str, ...], list[tuple[str, ...]]],
) -> None:
    options, ballots = case
    runoff = instant_runoff(options, ballots)
    rounds, winner = plain_runoff(options, ballots)
    assert as_tuples(runoff.rounds) == rounds
    assert runoff.winner == winner


@PROPERTY
@given(rankings())
def test_a_runoff_winner_has_more_than_half_of_the_final_round_or_is_the_last_left(
    case: tuple[tuple[str, ...], list[tuple[str, ...]]],
) -> None:
    options, ballots = case
    runoff = instant_runoff(options, ballots)
    final = runoff.rounds[-1]
    assert (runoff.winner is None) == (not ballots)
    if runoff.winner is not None:
        assert final.counts[runoff.winner] * 2 > final.continuing or list(final.counts) == [runoff.winner]


@PROPERTY
@given(rankings())
def test_an_eliminated_option_never_comes_back_and_every_ballot_is_somewhere(
    case: tuple[tuple[str, ...], list[tuple[str, ...]]],
) -> None:
    options, ballots = case
    runoff = instant_runoff(options, ballots)
    gone: set[str] = set()
    for round_ in runoff.rounds:
        assert gone.isdisjoint(round_.counts)
        assert set(round_.counts) | gone == set(options)
        assert round_.continuing + round_.exhausted == len(ballots)
        assert sum(round_.counts.values()) == round_.continuing
        if round_.eliminated is not None:
            gone.add(round_.eliminated)
    assert all(round_.eliminated for round_ in runoff.rounds[:-1]) and runoff.rounds[-1].eliminated is None


@PROPERTY
@given(rankings(), st.randoms(use_true_random=False))
def test_shuffling_the_ballots_never_changes_a_ranked_result(
    case: tuple[tuple[str, ...], list[tuple[str, ...]]], random: Random
) -> None:
    options, rankings_ = case
    ballots = [Ballot(choices=ranking) for ranking in rankings_]
    shuffled = list(ballots)
    random.shuffle(shuffled)
    kind, setup = get_kind("ranked_choice"), Setup(options=options)
    assert count(kind, shuffled, setup) == count(kind, ballots, setup)


@st.composite
def dot_ballots(draw: st.DrawFn) -> tuple[int, list[dict[str, int]]]:
    budget = draw(st.integers(1, 10))
    marks = st.dictionaries(st.sampled_from(NAMES[:3]), st.integers(0, budget), min_size=1)
    return budget, draw(st.lists(marks, max_size=15))


@PROPERTY
@given(dot_ballots())
def test_dot_totals_match_a_plain_sum_and_no_ballot_spends_more_than_its_budget(
    case: tuple[int, list[dict[str, int]]],
) -> None:
    budget, marks = case
    setup = Setup(options=NAMES[:3], dots=budget)
    within = all(1 <= sum(mark.values()) <= budget for mark in marks)
    ballots = [Ballot(marks=mark) for mark in marks]
    if not within:
        try:
            count(get_kind("dot_vote"), ballots, setup)
        except BallotError:
            return
        raise AssertionError("a ballot outside its dot budget was counted")
    totals = {option: 0 for option in NAMES[:3]}
    for mark in marks:
        for option, dots in mark.items():
            totals[option] += dots
    result = count(get_kind("dot_vote"), ballots, setup)
    assert result.tallies == totals
    assert sum(result.tallies.values()) <= budget * len(ballots)
    if ballots:
        best = max(totals.values())
        leaders = [option for option in NAMES[:3] if totals[option] == best]
        assert result.winner == (leaders[0] if len(leaders) == 1 else None)


@st.composite
def proposals(draw: st.DrawFn) -> tuple[list[str], int, Fraction | None, Fraction | None]:
    sides = (
        ["agree", "abstain", "disagree", "block"] if draw(st.booleans()) else ["agree", "abstain", "disagree"]
    )
    ballots = draw(st.lists(st.sampled_from(sides), max_size=20))
    members = len(ballots) + draw(st.integers(0, 10))
    agree, sided = ballots.count("agree"), len(ballots) - ballots.count("abstain")

    def share(exact: Fraction | None) -> Fraction | None:
        """None, a share drawn at random, or one landing exactly on what the ballots give, where
        ">=" and ">" differ."""
        drawn = draw(st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100))
        return draw(st.sampled_from([None, drawn, exact if exact else drawn]))

    quorum = share(Fraction(len(ballots), members) if members else None)
    return ballots, members, quorum, share(Fraction(agree, sided) if sided else None)


@PROPERTY
@given(proposals())
def test_a_proposals_outcome_matches_plain_quorum_and_vote_share_arithmetic(
    case: tuple[list[str], int, Fraction | None, Fraction | None],
) -> None:
    choices, members, quorum, vote_share = case
    ballots = [Ballot(choices=(choice,), reason="because") for choice in choices]
    result = count(
        get_kind("proposal"), ballots, Setup(quorum=quorum, vote_share=vote_share, members=members)
    )
    agree, sided = choices.count("agree"), len(choices) - choices.count("abstain")
    if quorum is not None and Fraction(len(choices)) < quorum * members:
        expected = "no quorum"
    elif "block" in choices or sided == 0:
        expected = "fails"
    elif vote_share is not None:
        expected = "passes" if Fraction(agree, sided) >= vote_share else "fails"
    else:
        expected = "passes" if agree > sided - agree else "fails"
    assert result.outcome == expected
    assert sum(result.tallies.values()) == len(ballots)


@PROPERTY
@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=15))
def test_consent_fails_exactly_when_an_objection_is_still_open(objections: list[tuple[bool, bool]]) -> None:
    ballots = [
        Ballot(choices=("object",), reason="harm", resolved=resolved)
        if objects
        else Ballot(choices=("consent",))
        for objects, resolved in objections
    ]
    result = count(get_kind("consent"), ballots)
    still_open = sum(1 for objects, resolved in objections if objects and not resolved)
    assert result.open_blocks == still_open
    assert result.outcome == ("fails" if still_open else "passes")


GRADIENTS = [option.key for option in get_kind("gradients").options]


@PROPERTY
@given(st.lists(st.sampled_from(GRADIENTS), max_size=25), st.randoms(use_true_random=False))
def test_gradients_distribution_matches_a_plain_count_and_ignores_ballot_order(
    choices: list[str], random: Random
) -> None:
    ballots = [Ballot(choices=(choice,), reason="r") for choice in choices]
    result = count(get_kind("gradients"), ballots)
    plain = Counter(choices)
    assert result.tallies == {key: plain[key] for key in GRADIENTS}
    assert list(result.tallies) == GRADIENTS
    assert sum(result.tallies.values()) == len(ballots)
    random.shuffle(ballots)
    assert count(get_kind("gradients"), ballots).tallies == result.tallies


@PROPERTY
@given(st.lists(st.tuples(*[st.integers(0, 5)] * 3), max_size=15))
def test_score_means_and_distributions_match_a_plain_average(rows: list[tuple[int, int, int]]) -> None:
    options = NAMES[:3]
    ballots = [Ballot(marks=dict(zip(options, row, strict=True))) for row in rows]
    result = count(get_kind("score"), ballots, Setup(options=options))
    for index, option in enumerate(options):
        column = [row[index] for row in rows]
        if rows:
            assert result.means[option] == Fraction(sum(column), len(column))
        assert result.distribution[option] == {value: column.count(value) for value in range(6)}


@PROPERTY
@given(st.lists(st.tuples(*[st.sampled_from([0, 1, 2])] * 3), min_size=1, max_size=15))
def test_the_best_slot_matches_a_plain_sort_by_yes_then_if_need_be(rows: list[tuple[int, int, int]]) -> None:
    slots = ("mon", "tue", "wed")
    ballots = [Ballot(marks=dict(zip(slots, row, strict=True))) for row in rows]
    result = count(get_kind("time_poll"), ballots, Setup(options=slots))
    standing = [
        (sum(row[index] == 2 for row in rows), sum(row[index] == 1 for row in rows), -index)
        for index in range(3)
    ]
    assert result.winner == slots[-max(standing)[2]]


@PROPERTY
@given(st.lists(st.lists(st.sampled_from(NAMES[:4]), min_size=1, max_size=4, unique=True), max_size=20))
def test_multiple_choice_tallies_sum_to_every_choice_made(choices: list[list[str]]) -> None:
    ballots = [Ballot(choices=tuple(chosen)) for chosen in choices]
    result = count(get_kind("multiple_choice"), ballots, Setup(options=NAMES[:4]))
    assert sum(result.tallies.values()) == sum(len(chosen) for chosen in choices)
    assert result.tallies == {key: sum(key in chosen for chosen in choices) for key in NAMES[:4]}
