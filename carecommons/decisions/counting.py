"""Counting a decision's ballots: pure functions over plain data, no Django.

`count(kind, ballots, setup)` checks every ballot (an invalid one is refused, never skipped),
counts them the kind's way and returns a `Result`: the tallies, the rounds of an instant runoff,
distributions and means, open blocks, the quorum and vote share, and the outcome in words.

Ties: an instant runoff always reaches a winner once anyone has voted (rule in `eliminated`); a
time poll's even slots go to the one listed first, since slots are listed in time order; any other
even top is `tied`, with its `leaders`, for the group to settle: the order options were typed in
should not pick a winner.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from carecommons.decisions.ballots import Ballot, BallotError, BallotRules, Setup, setup_errors
from carecommons.decisions.ballots import validate_ballot as validate_ballot  # part of this module's API
from carecommons.decisions.schema import Counting, Kind
from carecommons.lib.words import plural

Outcome = Literal["passes", "fails", "no quorum", "chosen", "tied", "no votes", "noted"]


@dataclass(frozen=True)
class Quorum:
    voted: int
    members: int
    needed: Fraction
    met: bool


@dataclass(frozen=True)
class Round:
    """One round of an instant runoff: each continuing option's ballots, how many ballots still
    count, how many have run out of continuing options so far, and which option goes out after it."""

    counts: dict[str, int]
    continuing: int
    exhausted: int
    eliminated: str | None = None


@dataclass(frozen=True)
class Runoff:
    rounds: tuple[Round, ...]
    winner: str | None


@dataclass(frozen=True)
class Result:
    kind: str
    ballots: int
    outcome: Outcome
    why: str
    tallies: dict[str, int]
    winner: str | None = None
    leaders: tuple[str, ...] = ()
    quorum: Quorum | None = None
    share: Fraction | None = None
    open_blocks: int = 0
    rounds: tuple[Round, ...] = ()
    exhausted: int = 0
    distribution: dict[str, dict[int, int]] = field(default_factory=dict)
    means: dict[str, Fraction] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()


Counter_ = Callable[[Kind, Sequence[Ballot], tuple[str, ...], Setup], Result]


def count(kind: Kind, ballots: Sequence[Ballot], setup: Setup | None = None) -> Result:
    setup = setup or Setup()
    if errors := setup_errors(kind, setup):
        raise BallotError(" ".join(errors))
    rules = BallotRules.of(kind, setup)
    for position, ballot in enumerate(ballots, start=1):
        if errors := rules.errors(ballot):
            raise BallotError(f"Ballot {position}: {' '.join(errors)}")
    result = COUNTERS[kind.counting](kind, ballots, rules.options, setup)
    return finish(kind, result, setup, tuple(ballot.reason for ballot in ballots if ballot.reason.strip()))


def finish(kind: Kind, result: Result, setup: Setup, reasons: tuple[str, ...]) -> Result:
    """The quorum and the reasons, the same for every way of counting (and for the database's)."""
    quorum = quorum_of(result.ballots, setup) if kind.quorum else None
    result = replace(result, quorum=quorum, reasons=reasons)
    if quorum is not None and not quorum.met:
        return replace(result, outcome="no quorum", why=quorum_words(quorum))
    return result


def quorum_of(voted: int, setup: Setup) -> Quorum | None:
    if setup.quorum is None:
        return None
    if voted > setup.members:
        raise BallotError(f"{voted} ballots from {setup.members} members: the member count is wrong.")
    met = voted * setup.quorum.denominator >= setup.quorum.numerator * setup.members
    return Quorum(voted=voted, members=setup.members, needed=setup.quorum, met=met)


def quorum_words(quorum: Quorum) -> str:
    return (
        f"{quorum.voted} of {plural(quorum.members, 'member')} voted; the quorum is {percent(quorum.needed)}."
    )


def percent(share: Fraction) -> str:
    return f"{float(share) * 100:.0f}%"


def tally(kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...], setup: Setup) -> Result:
    counts = Counter(key for ballot in ballots for key in ballot.choices)
    tallies = {key: counts[key] for key in options}
    base = Result(kind=kind.key, ballots=len(ballots), outcome="noted", why="", tallies=tallies)
    if kind.passes != "none":
        return passing(kind, ballots, base, setup)
    if kind.options_from == "kind":
        return replace(base, why=f"{plural(len(ballots), 'person', 'people')} responded.")
    return chosen(base, tallies)


def passing(kind: Kind, ballots: Sequence[Ballot], base: Result, setup: Setup) -> Result:
    open_blocks = sum(
        ballot.choices[0] in kind.blocks and not (kind.blocks_until_resolved and ballot.resolved)
        for ballot in ballots
    )
    return judged(kind, base, setup, open_blocks)


def judged(kind: Kind, base: Result, setup: Setup, open_blocks: int) -> Result:
    """Blocks first: one open block fails it. Then consent passes; a proposal passes when the
    agreeing share of those who took a side (abstentions left out) meets the vote share, or is
    more than half when the decision sets none."""
    agree = sum(base.tallies[key] for key in kind.agree)
    sided = base.ballots - sum(base.tallies[key] for key in kind.abstain)
    found = replace(
        base, open_blocks=open_blocks, share=Fraction(agree, sided) if kind.agree and sided else None
    )
    if open_blocks:
        noun = "objection" if kind.blocks_until_resolved else "block"
        return replace(found, outcome="fails", why=f"{plural(open_blocks, noun)} open.")
    if kind.passes == "no_open_blocks":
        return replace(found, outcome="passes", why="No objection is open.")
    if found.share is None:
        return replace(found, outcome="fails", why="Nobody took a side.")
    if setup.vote_share is not None:
        passes, rule = found.share >= setup.vote_share, f"needs {percent(setup.vote_share)}"
    else:
        passes, rule = found.share > Fraction(1, 2), "needs more than half"
    why = f"{percent(found.share)} of those who took a side agreed; it {rule}."
    return replace(found, outcome="passes" if passes else "fails", why=why)


def chosen(base: Result, totals: dict[str, int] | dict[str, Fraction]) -> Result:
    if not base.ballots:
        return replace(base, outcome="no votes", why="Nobody voted.")
    top = max(totals.values())
    leaders = tuple(key for key, total in totals.items() if total == top)
    if len(leaders) > 1:
        return replace(
            base, outcome="tied", why=f"{len(leaders)} options are even at the top.", leaders=leaders
        )
    return replace(base, outcome="chosen", winner=leaders[0], leaders=leaders)


def instant_runoff(options: Sequence[str], rankings: Sequence[Sequence[str]]) -> Runoff:
    """Each round counts every ballot for its highest-ranked continuing option. An option with
    more than half of the ballots still counting wins; otherwise the option with fewest goes out
    (rule in `eliminated`) and only its ballots move on. The last option left wins."""
    piles: dict[str, list[tuple[tuple[str, ...], int]]] = {key: [] for key in options}
    held = dict.fromkeys(options, 0)
    exhausted = 0
    for ranking, weight in Counter(tuple(ranking) for ranking in rankings).items():
        if ranking:
            piles[ranking[0]].append((ranking, weight))
            held[ranking[0]] += weight
        else:
            exhausted += weight
    rounds: list[Round] = []
    while piles:
        counts = {key: held[key] for key in piles}
        now = Round(counts, sum(counts.values()), exhausted)
        if now.continuing == 0:
            return Runoff((*rounds, now), None)
        leader = max(counts, key=counts.__getitem__)
        if counts[leader] * 2 > now.continuing or len(counts) == 1:
            return Runoff((*rounds, now), leader)
        out = eliminated(counts, [*rounds, now], options)
        rounds.append(replace(now, eliminated=out))
        for ranking, weight in piles.pop(out):
            following = next((key for key in ranking if key in piles), None)
            if following is None:
                exhausted += weight
            else:
                piles[following].append((ranking, weight))
                held[following] += weight
    return Runoff(tuple(rounds), None)


def eliminated(counts: dict[str, int], rounds: Sequence[Round], options: Sequence[str]) -> str:
    """The option with fewest ballots this round. Among those even, the one with fewest in the
    earliest round where they differ; even in every round, the one listed last."""
    fewest = min(counts.values())
    tied = [key for key, total in counts.items() if total == fewest]
    for earlier in rounds:
        least = min(earlier.counts[key] for key in tied)
        tied = [key for key in tied if earlier.counts[key] == least]
    return max(tied, key=options.index)


def ranked(kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...], setup: Setup) -> Result:
    runoff = instant_runoff(options, [ballot.choices for ballot in ballots])
    first = Counter(ballot.choices[0] for ballot in ballots)
    base = Result(
        kind=kind.key,
        ballots=len(ballots),
        outcome="no votes",
        why="Nobody voted.",
        tallies={key: first[key] for key in options},
        rounds=runoff.rounds,
        exhausted=runoff.rounds[-1].exhausted,
    )
    if runoff.winner is None:
        return base
    final = runoff.rounds[-1]
    how = "more than half" if final.counts[runoff.winner] * 2 > final.continuing else "the last option left"
    why = f"Chosen in round {len(runoff.rounds)} with {how}."
    return replace(base, outcome="chosen", why=why, winner=runoff.winner, leaders=(runoff.winner,))


def dots(kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...], setup: Setup) -> Result:
    totals = {key: sum(ballot.marks.get(key, 0) for ballot in ballots) for key in options}
    return chosen(
        Result(kind=kind.key, ballots=len(ballots), outcome="noted", why="", tallies=totals), totals
    )


def distribution_of(
    kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...]
) -> dict[str, dict[int, int]]:
    marks = {key: Counter(ballot.marks[key] for ballot in ballots) for key in options}
    return {key: {value: marks[key][value] for value in kind.scale_values} for key in options}


def scores(kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...], setup: Setup) -> Result:
    totals = {key: sum(ballot.marks[key] for ballot in ballots) for key in options}
    means = {key: Fraction(total, len(ballots)) for key, total in totals.items()} if ballots else {}
    base = Result(
        kind=kind.key,
        ballots=len(ballots),
        outcome="noted",
        why="",
        tallies=totals,
        distribution=distribution_of(kind, ballots, options),
        means=means,
    )
    return chosen(base, totals)


def best_slot(kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...], setup: Setup) -> Result:
    """The slot with most of the best mark (yes), then most of the next (if need be); even slots
    go to the one listed first."""
    distribution = distribution_of(kind, ballots, options)
    best_first = sorted(kind.scale_values, reverse=True)
    base = Result(
        kind=kind.key,
        ballots=len(ballots),
        outcome="no votes",
        why="Nobody answered.",
        tallies={key: distribution[key][best_first[0]] for key in options},
        distribution=distribution,
    )
    if not ballots:
        return base
    standing = {key: tuple(distribution[key][value] for value in best_first) for key in options}
    top = max(standing.values())
    leaders = tuple(key for key in options if standing[key] == top)
    return replace(base, outcome="chosen", why="", winner=leaders[0], leaders=leaders)


def words(kind: Kind, ballots: Sequence[Ballot], options: tuple[str, ...], setup: Setup) -> Result:
    why = f"{plural(len(ballots), 'answer')}."
    return Result(kind=kind.key, ballots=len(ballots), outcome="noted", why=why, tallies={})


COUNTERS: dict[Counting, Counter_] = {
    "tally": tally,
    "instant_runoff": ranked,
    "dots": dots,
    "scores": scores,
    "best_slot": best_slot,
    "words": words,
}
