"""Counting a ranked-choice decision of 10,000 ballots and 12 options, against a naive recount.

No database yet (the decisions app has no models in this step): the ballots are made in memory
with a seeded generator as the rows a query would return, `(ballot, rank, option)`, each voter
ranking between 1 and 12 options with preferences skewed so the runoff takes several rounds. The
timed side is `decisions.counting.count` on the 10,000 `Ballot`s made from those rows: it checks
every ballot and runs the instant runoff, moving only eliminated options' ballots. Turning rows
into `Ballot`s is timed apart and logged (the next step, which stores ballots, decides their
rows). The anchor is the naive way: every round, walk every ballot row again to find each ballot's
first continuing option. Before reporting, both must give the same rounds and winner, or the run
fails.
"""

import random
import statistics
import sys
import time
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter
from typing import TypeVar

import support

sys.path.insert(0, str(support.ROOT))

from carecommons.decisions.ballots import Ballot, Setup
from carecommons.decisions.counting import Result, count
from carecommons.decisions.kinds import get_kind

BALLOTS = 10_000
OPTIONS = tuple(f"option-{index:02d}" for index in range(1, 13))
RUNS = 30
ANCHOR_RUNS = 5
SEED = 20261213

Row = tuple[int, int, str]
T = TypeVar("T")


def make_rows(seed: int) -> list[Row]:
    rng = random.Random(seed)
    appeal = {option: rng.uniform(0.5, 1.5) for option in OPTIONS}
    rows = []
    for ballot in range(BALLOTS):
        order = sorted(OPTIONS, key=lambda option: -appeal[option] * rng.random())
        for rank, option in enumerate(order[: rng.randint(1, len(OPTIONS))], start=1):
            rows.append((ballot, rank, option))
    return rows


def as_ballots(rows: list[Row]) -> list[Ballot]:
    """Rows ordered by ballot, then rank, as a query would give them."""
    return [Ballot(choices=tuple(row[2] for row in group)) for _, group in groupby(rows, key=itemgetter(0))]


def counted(ballots: list[Ballot]) -> Result:
    return count(get_kind("ranked_choice"), ballots, Setup(options=OPTIONS))


def naive(rows: list[Row]) -> tuple[list[dict[str, int]], str | None]:
    """Each round, every row again: a ballot counts for its best-ranked continuing option."""
    continuing = list(OPTIONS)
    history: list[dict[str, int]] = []
    while True:
        best: dict[int, tuple[int, str]] = {}
        for ballot, rank, option in rows:
            if option in continuing and (ballot not in best or rank < best[ballot][0]):
                best[ballot] = (rank, option)
        counts = {option: 0 for option in continuing}
        for _rank, option in best.values():
            counts[option] += 1
        history.append(counts)
        total = sum(counts.values())
        leader = max(continuing, key=counts.__getitem__)
        if counts[leader] * 2 > total or len(continuing) == 1:
            return history, leader
        lowest = [option for option in continuing if counts[option] == min(counts.values())]
        for past in history:
            fewest = min(past[option] for option in lowest)
            lowest = [option for option in lowest if past[option] == fewest]
        continuing.remove(lowest[-1])


def timed(function: Callable[[T], object], given: T, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        function(given)
        seconds.append((time.perf_counter() - started) * 1000)
    return seconds


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered) + 0.5) - 1)]


def main() -> list[str]:
    rows = make_rows(SEED)
    support.log(f"{BALLOTS:,} ballots, {len(OPTIONS)} options, {len(rows):,} ballot rows")
    ballots = as_ballots(rows)
    result = counted(ballots)
    history, winner = naive(rows)
    if [round_.counts for round_ in result.rounds] != history or result.winner != winner:
        support.log("FAILED: count and the naive recount disagree")
        sys.exit(1)
    support.log(f"both: {winner} in round {len(history)}, {result.exhausted:,} ballots exhausted")
    converting = timed(as_ballots, rows, RUNS)
    fast = timed(counted, ballots, RUNS)
    slow = timed(naive, rows, ANCHOR_RUNS)
    support.log(
        f"rows to ballots: median {statistics.median(converting):.1f} ms; count: median "
        f"{statistics.median(fast):.1f} ms; naive: median {statistics.median(slow):.0f} ms"
    )
    return [
        support.line("decision_counting_ranked_p50", nearest_rank(fast, 0.5), "ms", nearest_rank(slow, 0.5)),
        support.line(
            "decision_counting_ranked_p95", nearest_rank(fast, 0.95), "ms", nearest_rank(slow, 0.95)
        ),
    ]


if __name__ == "__main__":
    print(*main(), sep="\n")
