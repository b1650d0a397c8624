"""Counting a decision in the database: grouped sums per option, and an instant runoff as one
grouped query per round (each ballot's best-ranked continuing option).

The rules themselves are the pure `counting.py`'s: this module only gets the numbers from SQL and
hands them to the same helpers (`judged`, `chosen`, `eliminated`, `finish`), so the property tests
can hold it to `counting.count` over the same ballots. Ballots were checked when they were cast
(`services.cast_vote`), so they are not checked again here.
"""

from dataclasses import replace
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import Count, Sum

from carecommons.decisions.ballots import Setup
from carecommons.decisions.counting import Result, Round, Runoff, chosen, eliminated, finish, judged
from carecommons.decisions.models import Advice, Ballot, BallotMark, Decision
from carecommons.decisions.schema import Kind
from carecommons.lib.words import plural


def count_in_db(decision: Decision, kind: Kind, setup: Setup, options: dict[str, int]) -> Result:
    """`options`: each option's key to its row id, in the decision's order."""
    if kind.counting == "words":
        return count_words(decision, kind, setup)
    marks = BallotMark.objects.filter(ballot__decision=decision)
    ballots = Ballot.objects.filter(decision=decision)
    voted = ballots.count()
    key_of = {pk: key for key, pk in options.items()}
    base = Result(kind=kind.key, ballots=voted, outcome="noted", why="", tallies={})
    if kind.counting == "tally":
        counts = grouped(marks.values("option_id").annotate(n=Count("id")), key_of)
        base = replace(base, tallies={key: counts.get(key, 0) for key in options})
        if kind.passes != "none":
            blocking = marks.filter(option_id__in=[options[key] for key in kind.blocks])
            if kind.blocks_until_resolved:
                blocking = blocking.exclude(ballot__objection__resolved_at__isnull=False)
            result = judged(kind, base, setup, blocking.count())
        elif kind.options_from == "kind":
            result = replace(base, why=f"{plural(voted, 'person', 'people')} responded.")
        else:
            result = chosen(base, base.tallies)
    elif kind.counting == "dots":
        sums = grouped(marks.values("option_id").annotate(n=Sum("value")), key_of)
        totals = {key: sums.get(key, 0) for key in options}
        result = chosen(replace(base, tallies=totals), totals)
    elif kind.counting == "instant_runoff":
        result = ranked(decision, kind, base, options)
    else:
        result = marked(kind, base, marks, options, key_of)
    return finish(kind, result, setup, reasons(ballots.exclude(reason="").values_list("reason", flat=True)))


def reasons(texts: Any) -> tuple[str, ...]:
    return tuple(text for text in texts if text.strip())


def grouped(rows: Any, key_of: dict[int, str]) -> dict[str, int]:
    return {key_of[row["option_id"]]: row["n"] or 0 for row in rows.order_by()}


def count_words(decision: Decision, kind: Kind, setup: Setup) -> Result:
    if kind.key == "advice":
        texts = list(Advice.objects.filter(decision=decision).values_list("text", flat=True))
    else:
        texts = list(Ballot.objects.filter(decision=decision).values_list("reason", flat=True))
    base = Result(kind=kind.key, ballots=len(texts), outcome="noted", why="", tallies={})
    return finish(kind, replace(base, why=f"{plural(len(texts), 'answer')}."), setup, reasons(texts))


def marked(kind: Kind, base: Result, marks: Any, options: dict[str, int], key_of: dict[int, str]) -> Result:
    """Scores and time polls: how many gave each option each mark, in one grouped query."""
    distribution = {key: dict.fromkeys(kind.scale_values, 0) for key in options}
    for row in marks.values("option_id", "value").annotate(n=Count("id")).order_by():
        distribution[key_of[row["option_id"]]][row["value"]] = row["n"]
    if kind.counting == "scores":
        totals = {
            key: sum(value * n for value, n in marks_of.items()) for key, marks_of in distribution.items()
        }
        means = {key: Fraction(total, base.ballots) for key, total in totals.items()} if base.ballots else {}
        return chosen(replace(base, tallies=totals, distribution=distribution, means=means), totals)
    best_first = sorted(kind.scale_values, reverse=True)
    found = replace(
        base,
        outcome="no votes",
        why="Nobody answered.",
        tallies={key: distribution[key][best_first[0]] for key in options},
        distribution=distribution,
    )
    if not base.ballots:
        return found
    standing = {key: tuple(distribution[key][value] for value in best_first) for key in options}
    top = max(standing.values())
    leaders = tuple(key for key in options if standing[key] == top)
    return replace(found, outcome="chosen", why="", winner=leaders[0], leaders=leaders)


FIRST_CHOICES = "SELECT option_id, COUNT(*) FROM decisions_ballotmark WHERE option_id IN ({options}) AND value = 1 GROUP BY option_id"  # noqa: E501
# The ballots the eliminated option held (no continuing option ranked above it), each moved to its
# best-ranked continuing option below it, counted per option. Option ids belong to one decision,
# so they scope the marks without joining the ballots.
TRANSFERS = """
WITH held AS (
    SELECT o.ballot_id, o.value FROM decisions_ballotmark o
    WHERE o.option_id = %s AND NOT EXISTS (
        SELECT 1 FROM decisions_ballotmark x
        WHERE x.ballot_id = o.ballot_id AND x.value < o.value AND x.option_id IN ({options})
    )
), moved AS (
    SELECT h.ballot_id, MIN(m.value) AS best FROM held h
    JOIN decisions_ballotmark m ON m.ballot_id = h.ballot_id AND m.value > h.value
    WHERE m.option_id IN ({options})
    GROUP BY h.ballot_id
)
SELECT m.option_id, COUNT(*) FROM moved
JOIN decisions_ballotmark m ON m.ballot_id = moved.ballot_id AND m.value = moved.best
GROUP BY m.option_id
"""


def grouped_sql(sql: str, params: list[int], ids: list[int]) -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(options=", ".join(["%s"] * len(ids))), params)
        return {option_id: n for option_id, n in cursor.fetchall()}


def runoff(decision: Decision, options: dict[str, int], voted: int) -> Runoff:
    """The rounds of `counting.instant_runoff`, from the database: the first choices in one grouped
    query, then one grouped query per round for the ballots the eliminated option held, as the pure
    count moves only those. Ranks are stored from 1 and every ballot ranks at least one option."""
    order = list(options)
    ids = list(options.values())
    first = grouped_sql(FIRST_CHOICES, ids, ids)
    held = {key: first.get(options[key], 0) for key in order}
    rounds: list[Round] = []
    while held:
        counts = dict(held)
        now = Round(counts, sum(counts.values()), voted - sum(counts.values()))
        if now.continuing == 0:
            return Runoff((*rounds, now), None)
        leader = max(counts, key=counts.__getitem__)
        if counts[leader] * 2 > now.continuing or len(counts) == 1:
            return Runoff((*rounds, now), leader)
        out = eliminated(counts, [*rounds, now], order)
        rounds.append(replace(now, eliminated=out))
        del held[out]
        continuing = [options[key] for key in held]
        moved = grouped_sql(TRANSFERS, [options[out], *continuing, *continuing], continuing)
        for key in held:
            held[key] += moved.get(options[key], 0)
    return Runoff(tuple(rounds), None)


def ranked(decision: Decision, kind: Kind, base: Result, options: dict[str, int]) -> Result:
    result = runoff(decision, options, base.ballots)
    first = result.rounds[0].counts if result.rounds else {}
    found = replace(
        base,
        outcome="no votes",
        why="Nobody voted.",
        tallies={key: first.get(key, 0) for key in options},
        rounds=result.rounds,
        exhausted=result.rounds[-1].exhausted if result.rounds else 0,
    )
    if result.winner is None:
        return found
    final = result.rounds[-1]
    how = "more than half" if final.counts[result.winner] * 2 > final.continuing else "the last option left"
    why = f"Chosen in round {len(result.rounds)} with {how}."
    return replace(found, outcome="chosen", why=why, winner=result.winner, leaders=(result.winner,))


def as_json(result: Result) -> dict[str, Any]:
    """The result as `Outcome.result` keeps it: shares as [numerator, denominator]."""

    def share(value: Fraction | None) -> list[int] | None:
        return None if value is None else [value.numerator, value.denominator]

    quorum = result.quorum
    return {
        "kind": result.kind,
        "ballots": result.ballots,
        "outcome": result.outcome,
        "why": result.why,
        "tallies": result.tallies,
        "winner": result.winner,
        "leaders": list(result.leaders),
        "quorum": None
        if quorum is None
        else {
            "voted": quorum.voted,
            "members": quorum.members,
            "needed": share(quorum.needed),
            "met": quorum.met,
        },
        "share": share(result.share),
        "open_blocks": result.open_blocks,
        "rounds": [
            {
                "counts": r.counts,
                "continuing": r.continuing,
                "exhausted": r.exhausted,
                "eliminated": r.eliminated,
            }
            for r in result.rounds
        ],
        "exhausted": result.exhausted,
        "distribution": {key: {str(v): n for v, n in d.items()} for key, d in result.distribution.items()},
        "means": {key: share(mean) for key, mean in result.means.items()},
    }
