"""A count (`Outcome.result`'s JSON) put in the words and tables the decision page shows."""

from dataclasses import dataclass, field
from typing import Any

from carecommons.decisions.schema import Kind

OUTCOME_WORDS = {
    "passes": "Passes",
    "fails": "Does not pass",
    "no quorum": "No quorum",
    "chosen": "Chosen",
    "tied": "Tied",
    "no votes": "No votes",
    "noted": "Noted",
}


@dataclass(frozen=True)
class Line:
    label: str
    total: int
    marks: list[int] = field(default_factory=list)
    mean: str = ""
    winner: bool = False


@dataclass(frozen=True)
class RoundRow:
    number: int
    counts: list[int | None]
    exhausted: int
    eliminated: str


@dataclass(frozen=True)
class Shown:
    outcome: str
    why: str
    ballots: int
    lines: list[Line]
    scale: list[str]
    rounds: list[RoundRow]
    round_labels: list[str]
    quorum: str
    share: str
    winner: str


def percent(pair: list[int] | None) -> str:
    return "" if not pair else f"{pair[0] * 100 / pair[1]:.0f}%"


def shown(result: dict[str, Any], kind: Kind, labels: dict[str, str]) -> Shown:
    distribution = result.get("distribution") or {}
    means = result.get("means") or {}
    winner = result.get("winner")
    scale_values = [str(point.value) for point in kind.scale]
    lines = [
        Line(
            label=label,
            total=result["tallies"].get(key, 0),
            marks=[distribution.get(key, {}).get(value, 0) for value in scale_values],
            mean=f"{means[key][0] / means[key][1]:.1f}" if means.get(key) else "",
            winner=key == winner,
        )
        for key, label in labels.items()
        if result["tallies"] or distribution
    ]
    rounds = [
        RoundRow(
            number=number,
            counts=[r["counts"].get(key) for key in labels],
            exhausted=r["exhausted"],
            eliminated=labels.get(r["eliminated"] or "", ""),
        )
        for number, r in enumerate(result.get("rounds") or [], 1)
    ]
    quorum = result.get("quorum")
    quorum_words = ""
    if quorum:
        needed = percent(quorum["needed"])
        quorum_words = f"{quorum['voted']} of {quorum['members']} members voted; the quorum is {needed}."
    return Shown(
        outcome=OUTCOME_WORDS.get(result["outcome"], result["outcome"]),
        why=result["why"],
        ballots=result["ballots"],
        lines=lines,
        scale=[point.label for point in kind.scale],
        rounds=rounds,
        round_labels=list(labels.values()),
        quorum=quorum_words,
        share=percent(result.get("share")),
        winner=labels.get(winner or "", ""),
    )
