"""What a group's public page may publish about its spending. Pure: no ORM, property-tested.

The promise: no published figure, and no difference between two published figures, adds up fewer
than 5 payments (lib/small_numbers.py). Every entry on a spending category counts as a payment,
a reversal too, so a month that has ended never changes when a payment is reversed later.

The page publishes two breakdowns of the same payments: by category and by month, and their total.
- The total is shown when it rests on 0 or at least 5 payments.
- A category with fewer than 5 payments joins "Other spending"; while "Other spending" rests on 1
  to 4 payments, the category with the fewest payments joins it too. So every payment is in exactly
  one shown row, each resting on at least 5: the total minus any rows gives nothing away.
- A month resting on 1 to 4 payments is hidden, and then more months (`protect_sums`) so that the
  total minus the shown months never rests on 1 to 4 payments.
- The two breakdowns can give a payment away between them: a month holding all 5 payments of a
  category and one more payment reveals that one (the month minus the category). So a month is also
  hidden when the shown categories lying wholly inside it leave 1 to 4 of its payments, and when a
  category minus the shown months lying wholly inside it leaves 1 to 4, the smallest of those months
  is hidden. This repeats until nothing changes.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from carecommons.lib.small_numbers import SMALL_LIMIT, is_small, protect_sums

OTHER_SPENDING = "Other spending"
ALL_TOGETHER = "All categories together"


@dataclass(frozen=True)
class Cell:
    """The payments of one category in one month."""

    month: date
    category: str
    payments: int
    pence: int


@dataclass(frozen=True)
class Figure:
    label: str
    pence: int | None  # None: not published
    categories: frozenset[str]  # the payments it adds up: these categories ...
    months: frozenset[date]  # ... in these months


@dataclass(frozen=True)
class PublicSpending:
    total: int | None  # None when the period rests on 1 to 4 payments
    categories: list[Figure]  # every row shown; empty when the total is not shown
    months: list[Figure]  # every month asked for, oldest first; pence None when hidden

    @property
    def hidden_months(self) -> bool:
        return any(m.pence is None for m in self.months)


def group_categories(payments: dict[str, int]) -> list[tuple[str, frozenset[str]]]:
    """(label, categories): those with enough payments alone, the rest together, last."""
    alone = sorted(name for name, n in payments.items() if n >= SMALL_LIMIT)
    other = {name for name, n in payments.items() if 0 < n < SMALL_LIMIT}
    while is_small(sum(payments[name] for name in other)) and alone:
        smallest = min(alone, key=lambda name: (payments[name], name))
        alone.remove(smallest)
        other.add(smallest)
    label = OTHER_SPENDING if alone else ALL_TOGETHER
    together = [(label, frozenset(other))] if other else []
    return [(name, frozenset({name})) for name in alone] + together


def publish(cells: Iterable[Cell], months: Sequence[date]) -> PublicSpending:
    cells = [c for c in cells if c.payments]
    everything = frozenset(c.category for c in cells)
    count: dict[tuple[date, str], int] = defaultdict(int)
    pence: dict[tuple[date, str], int] = defaultdict(int)
    for c in cells:
        count[c.month, c.category] += c.payments
        pence[c.month, c.category] += c.pence

    def payments_in(ms: Iterable[date], cats: Iterable[str]) -> int:
        return sum(count[m, c] for m in ms for c in cats)

    def pence_in(ms: Iterable[date], cats: Iterable[str]) -> int:
        return sum(pence[m, c] for m in ms for c in cats)

    every_month = frozenset(months)
    total_payments = payments_in(every_month, everything)
    if is_small(total_payments):
        shown = [month_figure(m, everything, None if payments_in([m], everything) else 0) for m in months]
        return PublicSpending(None, [], shown)
    per_category = {name: payments_in(every_month, [name]) for name in everything}
    labelled = group_categories(per_category)
    groups = [g for _, g in labelled]
    per_month = [payments_in([m], everything) for m in months]
    hidden = protect_sums(per_month)
    changed = True
    while changed:
        changed = False
        for i, month in enumerate(months):
            if i in hidden or not per_month[i]:
                continue
            within = [g for g in groups if payments_in([month], g) == payments_in(every_month, g)]
            if is_small(per_month[i] - sum(payments_in(every_month, g) for g in within)):
                hidden.add(i)
                changed = True
        for g in groups:
            inside = [
                i
                for i, month in enumerate(months)
                if i not in hidden and per_month[i] and payments_in([month], g) == per_month[i]
            ]
            if inside and is_small(payments_in(every_month, g) - sum(per_month[i] for i in inside)):
                hidden.add(min(inside, key=lambda i: (per_month[i], i)))
                changed = True
        grown = protect_sums(per_month, hidden)
        changed = changed or grown != hidden
        hidden = grown
    return PublicSpending(
        pence_in(every_month, everything),
        [Figure(label, pence_in(every_month, g), g, every_month) for label, g in labelled],
        [
            month_figure(m, everything, None if i in hidden else pence_in([m], everything))
            for i, m in enumerate(months)
        ],
    )


def month_figure(month: date, categories: frozenset[str], pence: int | None) -> Figure:
    return Figure(f"{month:%B %Y}", pence, categories, frozenset({month}))
