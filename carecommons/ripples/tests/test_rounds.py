"""A round's timeline: the next round three months on, overdue after four, and ripples counted per
month and valence with empty months kept."""

from datetime import date

from carecommons.ripples.capitals import Valence
from carecommons.ripples.rounds import due_next, overdue_from, timeline
from carecommons.ripples.tree import RippleNode


def ripple(id: int, happened_on: date | None, valence: Valence = Valence.POSITIVE) -> RippleNode:
    return RippleNode(id, None, f"ripple {id}", happened_on, valence)


def test_the_next_round_is_due_three_months_on_and_overdue_after_four() -> None:
    assert due_next(date(2025, 3, 14)) == date(2025, 6, 14)
    assert overdue_from(date(2025, 3, 14)) == date(2025, 7, 14)
    assert due_next(date(2025, 11, 30)) == date(2026, 2, 28)


def test_ripples_are_counted_by_month_and_valence_with_empty_months_kept() -> None:
    found = timeline(
        [
            ripple(1, date(2025, 1, 31)),
            ripple(2, date(2025, 1, 1), Valence.NEGATIVE),
            ripple(3, date(2025, 4, 10), Valence.MIXED),
            ripple(4, None, Valence.NEGATIVE),
            ripple(5, date(2025, 1, 15)),
        ]
    )
    assert [month.first_day for month in found.months] == [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
    ]
    january, february, _, april = found.months
    assert january.counts == {Valence.POSITIVE: 2, Valence.NEGATIVE: 1, Valence.MIXED: 0}
    assert january.total == 3
    assert february.total == 0 and set(february.counts) == set(Valence)
    assert april.counts[Valence.MIXED] == 1
    assert found.undated == {Valence.POSITIVE: 0, Valence.NEGATIVE: 1, Valence.MIXED: 0}


def test_a_timeline_crosses_the_new_year() -> None:
    found = timeline([ripple(1, date(2024, 11, 5)), ripple(2, date(2025, 2, 5))])
    assert [month.first_day for month in found.months] == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_a_map_with_no_dated_ripple_has_no_months() -> None:
    found = timeline([ripple(1, None)])
    assert found.months == [] and found.undated[Valence.POSITIVE] == 1
