"""A mapping round's timeline: when the next round is due, and ripples counted month by month.

The UK public-health adaptation of Ripple Effects Mapping re-runs the map every three to four
months (We Can Move, Gloucestershire, in BMC Medical Research Methodology, 2022,
doi:10.1186/s12874-022-01570-4; peers.md section 9 in the project's shared reference). The next
round is due three months after the last, the start of that window, so the reminder comes while
there is still a month to find a date and invite people; it is overdue after four.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from carecommons.lib.dates import add_months
from carecommons.ripples.capitals import Valence
from carecommons.ripples.tree import RippleNode

DUE_AFTER_MONTHS = 3
OVERDUE_AFTER_MONTHS = 4


def due_next(last_round_on: date) -> date:
    return add_months(last_round_on, DUE_AFTER_MONTHS)


def overdue_from(last_round_on: date) -> date:
    """The first day past the four months."""
    return add_months(last_round_on, OVERDUE_AFTER_MONTHS)


@dataclass(frozen=True)
class Month:
    first_day: date
    counts: dict[Valence, int]
    """Every valence has a count, zero included."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Timeline:
    months: list[Month]
    """From the month of the earliest dated ripple to that of the latest, with no month skipped."""
    undated: dict[Valence, int]


def timeline(ripples: Iterable[RippleNode]) -> Timeline:
    dated: Counter[tuple[date, Valence]] = Counter()
    undated = dict.fromkeys(Valence, 0)
    for ripple in ripples:
        if ripple.happened_on is None:
            undated[ripple.valence] += 1
        else:
            dated[ripple.happened_on.replace(day=1), ripple.valence] += 1
    if not dated:
        return Timeline([], undated)
    first, last = min(day for day, _ in dated), max(day for day, _ in dated)
    months = []
    day = first
    while day <= last:
        months.append(Month(day, {valence: dated[day, valence] for valence in Valence}))
        day = add_months(day, 1)
    return Timeline(months, undated)
