"""The public page's promise, proved over random ledgers: every published spending figure, and
every difference between published figures that adds up a set of payments, rests on none or at
least 5 payments."""

from collections import Counter
from datetime import date
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.finances.public_figures import ALL_TOGETHER, OTHER_SPENDING, Cell, Figure, publish
from carecommons.lib.small_numbers import is_small

MONTHS = [date(2026, m, 1) for m in range(1, 5)]
CATEGORIES = ["Food", "Travel", "Phone"]

Payment = tuple[int, date, str, int]  # (id, month, category, pence)

payments = st.lists(
    st.tuples(st.sampled_from(MONTHS), st.sampled_from(CATEGORIES), st.integers(-5_000, 20_000).filter(bool)),
    max_size=30,
).map(lambda rows: [(i, *row) for i, row in enumerate(rows)])


def cells_of(ledger: list[Payment]) -> list[Cell]:
    counts = Counter((month, category) for _, month, category, _ in ledger)
    sums: Counter[tuple[date, str]] = Counter()
    for _, month, category, pence in ledger:
        sums[month, category] += pence
    return [Cell(month, category, n, sums[month, category]) for (month, category), n in counts.items()]


def behind(figure: Figure, ledger: list[Payment]) -> frozenset[int]:
    return frozenset(i for i, month, cat, _ in ledger if month in figure.months and cat in figure.categories)


def published(ledger: list[Payment]) -> list[tuple[Figure, frozenset[int]]]:
    spending = publish(cells_of(ledger), MONTHS)
    everything = Figure("total", spending.total, frozenset(CATEGORIES), frozenset(MONTHS))
    figures = [everything, *spending.categories, *spending.months]
    return [(f, behind(f, ledger)) for f in figures if f.pence is not None]


@settings(max_examples=400)
@given(payments)
def test_every_published_spending_figure_rests_on_none_or_at_least_five_payments(ledger) -> None:
    for figure, ids in published(ledger):
        assert not is_small(len(ids)), figure
        assert figure.pence == sum(pence for i, _, _, pence in ledger if i in ids)


@settings(max_examples=400)
@given(payments)
def test_no_difference_between_published_figures_rests_on_one_to_four_payments(ledger) -> None:
    shown = published(ledger)
    for (_, larger), (_, smaller) in combinations(shown, 2):
        for outer, inner in ((larger, smaller), (smaller, larger)):
            if inner <= outer:
                assert not is_small(len(outer - inner))
    months = [ids for figure, ids in shown if len(figure.months) == 1]
    rows = [ids for figure, ids in shown if len(figure.months) > 1 and figure.label != "total"]
    for _, outer in shown:
        for breakdown in (months, rows):
            inside = [ids for ids in breakdown if ids <= outer and ids != outer]
            for size in range(1, len(inside) + 1):
                for parts in combinations(inside, size):
                    assert not is_small(len(outer - frozenset().union(*parts)))


@given(payments)
def test_every_payment_is_in_one_category_row_when_the_total_is_shown(ledger) -> None:
    spending = publish(cells_of(ledger), MONTHS)
    if spending.total is None:
        assert spending.categories == []
        return
    listed = [c for row in spending.categories for c in row.categories]
    assert sorted(listed) == sorted({category for _, _, category, _ in ledger})
    assert sum(row.pence or 0 for row in spending.categories) == spending.total


def test_a_month_holding_a_whole_category_and_one_more_payment_is_hidden() -> None:
    ledger = [(i, MONTHS[0], "Food", 1_000) for i in range(5)] + [(5, MONTHS[0], "Travel", 777)]
    ledger += [(6 + i, MONTHS[1], "Travel", 500) for i in range(5)]
    spending = publish(cells_of(ledger), MONTHS)
    assert [row.label for row in spending.categories] == ["Food", "Travel"]
    assert spending.months[0].pence is None  # January minus Food would be the one travel payment
    assert spending.months[1].pence is None  # and then February would give January away


def test_a_lone_small_category_takes_the_smallest_other_with_it() -> None:
    ledger = [(i, MONTHS[i % 4], "Food", 1_000) for i in range(9)]
    ledger += [(10 + i, MONTHS[i % 4], "Travel", 400) for i in range(6)] + [(20, MONTHS[2], "Phone", 1_500)]
    labels = [row.label for row in publish(cells_of(ledger), MONTHS).categories]
    assert labels == ["Food", OTHER_SPENDING]


def test_fewer_than_five_payments_in_all_publish_no_spending_figure() -> None:
    ledger = [(i, MONTHS[i], "Food", 1_000) for i in range(3)] + [(3, MONTHS[0], "Travel", 5)]
    spending = publish(cells_of(ledger), MONTHS)
    assert spending.total is None and spending.categories == []
    assert [m.pence for m in spending.months] == [None, None, None, 0]


def test_when_no_category_has_five_payments_they_are_shown_together() -> None:
    ledger = [(i, MONTHS[0], CATEGORIES[i % 3], 100) for i in range(8)]
    rows = publish(cells_of(ledger), MONTHS).categories
    assert [(row.label, row.pence) for row in rows] == [(ALL_TOGETHER, 800)]
