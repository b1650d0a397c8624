"""Small-number suppression, the one rule for every page that publishes figures about people or
their money. Pure: no ORM, unit- and property-tested.

Counts of people (dashboards, measures) use `shown_count` and `suppress`. Sums of money (the public
money page) use `protect_sums`: there a figure rests on the payments it adds up.

The rule for counts: a count of 1 to 4 people is never shown; it reads "fewer than 5". Zero and counts of 5
or more are shown. A breakdown's cells add up to a total that is shown elsewhere (the funnel's
"started"), so hiding the small cells alone is not enough: the total minus the shown cells could
give a hidden count back. So while a hidden small count could still be worked out exactly from
the shown cells, the labels and the total, the next cell is hidden as well and reads "5 or more".
The only case this cannot protect is a breakdown where every cell is hidden and the total still
pins them (say, everyone came from one organisation and there are 3 of them); the page shows the
total only to the people who run the cohort, who see its register anyway.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SMALL_LIMIT = 5
FEWER_THAN = f"fewer than {SMALL_LIMIT}"
HIDDEN_LARGE = f"{SMALL_LIMIT} or more"


def is_small(count: int) -> bool:
    return 0 < count < SMALL_LIMIT


def protect_sums(counts: Sequence[int], hidden: Iterable[int] = ()) -> set[int]:
    """Which parts of a published total to hide, when part i adds up `counts[i]` items (payments):
    those already `hidden`, every part resting on 1 to 4 items, and then the smallest shown parts
    until the hidden parts together rest on none or at least SMALL_LIMIT items. The total minus
    the shown parts is then never a sum over 1 to 4 items, and neither is the total minus any
    selection of shown parts (each of those rests on SMALL_LIMIT or more)."""
    chosen = set(hidden) | {i for i, count in enumerate(counts) if is_small(count)}
    while is_small(sum(counts[i] for i in chosen)):
        shown = [i for i, count in enumerate(counts) if i not in chosen and count > 0]
        if not shown:
            break
        chosen.add(min(shown, key=lambda i: (counts[i], i)))
    return chosen


def shown_count(count: int) -> str:
    """One count on its own: 1 to 4 reads "fewer than 5"."""
    return FEWER_THAN if is_small(count) else str(count)


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    hidden: bool = False

    @property
    def shown(self) -> str:
        if not self.hidden:
            return str(self.count)
        return FEWER_THAN if is_small(self.count) else HIDDEN_LARGE


def pinned(hidden: list[int], total_hidden: int) -> bool:
    """Could one small hidden count be worked out exactly, knowing the hidden cells add up to
    total_hidden, that small ones are 1-4 and that the others are 5 or more?"""
    small = sum(1 for count in hidden if is_small(count))
    if not small:
        return False
    large = len(hidden) - small
    others_min = (small - 1) + SMALL_LIMIT * large
    others_max = math.inf if large else (small - 1) * (SMALL_LIMIT - 1)
    lowest = max(1, total_hidden - others_max)
    highest = min(SMALL_LIMIT - 1, total_hidden - others_min)
    return lowest >= highest


def suppress(counts: Iterable[tuple[str, int]]) -> list[Cell]:
    """Cells in the order given, with small counts hidden and enough others hidden that the total
    gives none of the small ones away (see the module's docstring)."""
    cells = [(label, count) for label, count in counts]
    hidden = {i for i, (_, count) in enumerate(cells) if is_small(count)}

    def exposed(extra: int | None = None) -> bool:
        chosen = hidden if extra is None else hidden | {extra}
        values = [cells[i][1] for i in chosen]
        return pinned(values, sum(values))

    while exposed():
        candidates = sorted((i for i in range(len(cells)) if i not in hidden), key=lambda i: cells[i][1])
        if not candidates:
            break
        hidden.add(next((i for i in candidates if not exposed(i)), candidates[0]))
    return [Cell(label, count, i in hidden) for i, (label, count) in enumerate(cells)]
