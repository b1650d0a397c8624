"""Counting a ranked-choice decision of 10,000 ballots and 12 options in the database, against
counting in Python over every ballot row.

A throwaway SQLite database holds one group, one ranked-choice decision opened through the real
service, and 10,000 stored ballots (rows as a closed anonymous decision keeps them: no person, no
token) made with a seeded generator, each voter ranking between 1 and 12 options with preferences
skewed so the runoff takes several rounds. The timed side is `decisions.tally.count_in_db`, what
closing a decision runs: one grouped query per round. The anchor reads every ballot row and, each
round, walks all of them again for each ballot's first continuing option. Before reporting, the
database's count, the anchor and the pure `counting.count` must give the same rounds and winner,
or the run fails.
"""

import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import support

if TYPE_CHECKING:
    from carecommons.decisions.models import Decision

BALLOTS = 10_000
OPTION_COUNT = 12
RUNS = 20
ANCHOR_RUNS = 5
SEED = 20261213

Row = tuple[int, int, str]


def make_rows(seed: int, options: list[str]) -> list[Row]:
    rng = random.Random(seed)
    appeal = {option: rng.uniform(0.5, 1.5) for option in options}
    rows = []
    for ballot in range(BALLOTS):
        order = sorted(options, key=lambda option: -appeal[option] * rng.random())
        for rank, option in enumerate(order[: rng.randint(1, len(options))], start=1):
            rows.append((ballot, rank, option))
    return rows


def make_decision() -> "Decision":
    from django.utils import timezone

    from carecommons.accounts.services import create_account
    from carecommons.decisions.services import OptionInput, open_decision
    from carecommons.groups.services import start_group
    from carecommons.people.services import create_person

    user = create_account(email="bench.member@example.org", password=None, roles=[], by=None)
    person = create_person(by=None, given_name="Bench", family_name="Member", email=user.email)
    person.user = user
    person.save(update_fields=["user"])
    group = start_group(
        name="Bench group", by=None, founders=[person], today=timezone.localdate() - timedelta(1)
    )
    return open_decision(
        group=group,
        person=person,
        by=user,
        kind="ranked_choice",
        title="Which issue first?",
        closes_at=timezone.now() + timedelta(days=7),
        options=[OptionInput(label=f"Issue {index:02d}") for index in range(1, OPTION_COUNT + 1)],
    )


def store(decision: "Decision", rows: list[Row]) -> None:
    from carecommons.decisions.models import Ballot, BallotMark

    ids = dict(decision.options.values_list("key", "id"))
    ballots = [Ballot(id=uuid.uuid4(), decision=decision) for _ in range(BALLOTS)]
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    marks = [BallotMark(ballot=ballots[b], option_id=ids[option], value=rank) for b, rank, option in rows]
    BallotMark.objects.bulk_create(marks, batch_size=2000)


def in_database(decision: "Decision") -> Any:
    from carecommons.decisions.kinds import get_kind
    from carecommons.decisions.services import setup_of
    from carecommons.decisions.tally import count_in_db

    kind = get_kind("ranked_choice")
    options = dict(decision.options.values_list("key", "id"))
    return count_in_db(decision, kind, setup_of(decision, kind), options)


def python_over_rows(decision: "Decision") -> tuple[list[dict[str, int]], str | None]:
    """Every ballot row read, then each round every row again: a ballot counts for its best-ranked
    continuing option."""
    from carecommons.decisions.models import BallotMark

    rows = list(
        BallotMark.objects.filter(ballot__decision=decision).values_list("ballot_id", "value", "option__key")
    )
    continuing = list(decision.options.values_list("key", flat=True))
    order = list(continuing)
    history: list[dict[str, int]] = []
    while True:
        best: dict[Any, tuple[int, str]] = {}
        for ballot, rank, option in rows:
            if option in continuing and (ballot not in best or rank < best[ballot][0]):
                best[ballot] = (rank, option)
        counts = dict.fromkeys(continuing, 0)
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
        continuing.remove(max(lowest, key=order.index))


def pure(rows: list[Row]) -> Any:
    from carecommons.decisions.ballots import Ballot, Setup
    from carecommons.decisions.counting import count
    from carecommons.decisions.kinds import get_kind

    ballots = [
        Ballot(choices=tuple(row[2] for row in group)) for _, group in groupby(rows, key=itemgetter(0))
    ]
    options = tuple(f"o{index}" for index in range(1, OPTION_COUNT + 1))
    return count(get_kind("ranked_choice"), ballots, Setup(options=options))


def timed(function: Callable[["Decision"], object], given: "Decision", runs: int) -> list[float]:
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
    support.setup_django()
    decision = make_decision()
    rows = make_rows(SEED, [f"o{index}" for index in range(1, OPTION_COUNT + 1)])
    store(decision, rows)
    support.log(f"{BALLOTS:,} ballots, {OPTION_COUNT} options, {len(rows):,} ballot rows stored")
    result = in_database(decision)
    history, winner = python_over_rows(decision)
    reference = pure(rows)
    if (
        [round_.counts for round_ in result.rounds] != history
        or result.winner != winner
        or result.rounds != reference.rounds
    ):
        support.log("FAILED: the database's count, the Python recount and counting.count disagree")
        sys.exit(1)
    support.log(f"all three: {winner} in round {len(history)}, {result.exhausted:,} ballots run out")
    fast = timed(in_database, decision, RUNS)
    slow = timed(python_over_rows, decision, ANCHOR_RUNS)
    support.log(
        f"database: median {statistics.median(fast):.1f} ms; "
        f"Python over rows: median {statistics.median(slow):.0f} ms"
    )
    return [
        support.line("decision_counting_ranked_p50", nearest_rank(fast, 0.5), "ms", nearest_rank(slow, 0.5)),
        support.line(
            "decision_counting_ranked_p95", nearest_rank(fast, 0.95), "ms", nearest_rank(slow, 0.95)
        ),
    ]


if __name__ == "__main__":
    print(*main(), sep="\n")
