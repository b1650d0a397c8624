"""Small counts hidden in figures that add up to one another (issue 14, the CONSORT flow). Pure:
no ORM, unit- and property-tested through trials/consort.py.

lib/small_numbers.py's rule holds within one breakdown: a count of 1 to 4 reads "fewer than 5",
and the next smallest part reads "5 or more" while the total and the shown parts would give a
hidden count away. A CONSORT flow is many breakdowns linked together: "randomised" is a part of
"assessed" and the total of the arms' allocations, each arm's "allocated" is the total of both
"received + did not receive" and "analysed + excluded from analysis", every "excluded" is the
total of its reasons. A count hidden in one breakdown can be worked out through another, so the
rule is applied to all of them at once, until no hidden count can be worked out at all:

- exactly, from the sums (a hidden count is a combination of shown ones: linear algebra), or
- from the sums and the labels ("fewer than 5" is 1 to 4, "5 or more" is at least 5: bounds
  carried from sum to sum until nothing narrows).

A count that can still be worked out gets one more count hidden beside it: the one that leaves
fewest counts exposed, a part before a total, the smallest first, as lib/small_numbers.py does.
A count nothing can protect (every count near it is hidden already, yet the labels pin it, as
four reasons of "fewer than 5" under a total of "fewer than 5") is left as it is: lib's rule has
no words to say less, and only the evaluation team sees unhidden figures.
"""

import math
from collections.abc import Sequence

import numpy as np

from carecommons.lib.small_numbers import SMALL_LIMIT, is_small

Sum = tuple[int, Sequence[int]]  # (the total's cell, its parts' cells)
TOLERANCE = 1e-9


def determined(sums: Sequence[Sum], hidden: set[int]) -> set[int]:
    """Hidden cells whose value follows from the sums and the shown cells alone: those whose
    column, in the sums restricted to hidden cells, is outside the span of the others."""
    columns = sorted(hidden)
    if not columns or not sums:
        return set()
    where = {cell: j for j, cell in enumerate(columns)}
    matrix = np.zeros((len(sums), len(columns)))
    for row, (whole, parts) in enumerate(sums):
        if whole in where:
            matrix[row, where[whole]] += 1
        for part in parts:
            if part in where:
                matrix[row, where[part]] -= 1
    _, singular, rows = np.linalg.svd(matrix)
    rank = int((singular > TOLERANCE).sum())
    free = rows[rank:]  # spans every way the hidden cells could change together
    return {cell for j, cell in enumerate(columns) if not (np.abs(free[:, j]) > TOLERANCE).any()}


def pinned(counts: Sequence[int], sums: Sequence[Sum], hidden: set[int]) -> set[int]:
    """Hidden cells whose bounds meet: each starts at 1-4 or 5-infinity as its label says (a
    shown cell at its value) and every sum narrows its total and parts until none narrows."""
    low: list[float] = [float(count) for count in counts]
    high: list[float] = [float(count) for count in counts]
    for cell in hidden:
        low[cell], high[cell] = (1, SMALL_LIMIT - 1) if is_small(counts[cell]) else (SMALL_LIMIT, math.inf)

    def narrow(cell: int, lowest: float, highest: float) -> bool:
        new_low = max(low[cell], math.ceil(lowest)) if math.isfinite(lowest) else low[cell]
        new_high = min(high[cell], math.floor(highest)) if math.isfinite(highest) else high[cell]
        if new_low > new_high or (new_low, new_high) == (low[cell], high[cell]):
            return False  # figures that do not add up (see consort.problems) narrow nothing
        low[cell], high[cell] = new_low, new_high
        return True

    for _ in range(2 * len(sums) + 2):
        changed = False
        for whole, parts in sums:
            changed |= narrow(whole, sum(low[p] for p in parts), sum(high[p] for p in parts))
            for part in parts:
                others_low = sum(low[q] for q in parts if q != part)
                others_high = sum(high[q] for q in parts if q != part)
                changed |= narrow(part, low[whole] - others_high, high[whole] - others_low)
        if not changed:
            break
    return {cell for cell in hidden if low[cell] == high[cell]}


def exposed(counts: Sequence[int], sums: Sequence[Sum], hidden: set[int]) -> set[int]:
    return determined(sums, hidden) | pinned(counts, sums, hidden)


def neighbours(cell: int, counts: Sequence[int], sums: Sequence[Sum], hidden: set[int]) -> list[int]:
    """Shown counts above zero that share a sum with `cell`, parts before totals, smallest first."""
    found: dict[int, bool] = {}
    for whole, parts in sums:
        if cell == whole or cell in parts:
            for part in parts:
                found.setdefault(part, False)
            found[whole] = True
    candidates = [other for other in found if other not in hidden and counts[other] > 0]
    return sorted(candidates, key=lambda other: (found[other], counts[other], other))


def fixable(cell: int, counts: Sequence[int], sums: Sequence[Sum], hidden: set[int]) -> bool:
    """Could hiding more counts, spreading out from `cell` sum by sum, stop it being worked out?"""
    more = set(hidden)
    while cell in exposed(counts, sums, more):
        spread = {other for near in more for other in neighbours(near, counts, sums, more)}
        if not spread:
            return False
        more |= spread
    return True


def cover(cell: int, counts: Sequence[int], sums: Sequence[Sum], hidden: set[int]) -> int | None:
    """The count beside `cell` to hide next, or None when none is left to hide or no amount of
    hiding could protect it."""
    candidates = neighbours(cell, counts, sums, hidden)
    if not candidates or not fixable(cell, counts, sums, hidden):
        return None

    def cost(other: int) -> tuple[bool, int]:
        after = exposed(counts, sums, hidden | {other})
        return cell in after, len(after)

    return min(candidates, key=cost)  # min keeps the first of equals: parts, then smallest


def protect(counts: Sequence[int], sums: Sequence[Sum]) -> set[int]:
    """The cells to hide: every count of 1 to 4, and enough others that no hidden count can be
    worked out from the shown counts, the sums and the labels (see the module's docstring)."""
    hidden = {cell for cell, count in enumerate(counts) if is_small(count)}
    while True:
        covers = (cover(cell, counts, sums, hidden) for cell in sorted(exposed(counts, sums, hidden)))
        extra = next((other for other in covers if other is not None), None)
        if extra is None:
            return hidden
        hidden.add(extra)
