from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.small_numbers import (
    FEWER_THAN,
    HIDDEN_LARGE,
    Cell,
    is_small,
    protect_sums,
    shown_count,
    suppress,
)

counts = st.lists(st.integers(min_value=1, max_value=14), min_size=1, max_size=5)


def feasible_values(cells: Sequence[Cell], index: int, total: int) -> set[int]:
    """What an onlooker who knows the total could believe a hidden cell holds: every value its label
    allows for which the other hidden cells can make up the rest. Brute force, independent of
    suppress(); values of 5 or more are tried up to the total, which is as high as they can be."""
    shown = sum(cell.count for cell in cells if not cell.hidden)
    hidden = [i for i, cell in enumerate(cells) if cell.hidden]

    def domain(i: int) -> range:
        return range(1, 5) if cells[i].shown == FEWER_THAN else range(5, total + 1)

    sums = {0}
    for i in hidden:
        if i != index:
            sums = {s + v for s in sums for v in domain(i) if s + v <= total}
    return {v for v in domain(index) if total - shown - v in sums}


def test_counts_of_1_to_4_read_fewer_than_5_and_others_are_shown() -> None:
    assert [shown_count(n) for n in (0, 1, 4, 5, 12)] == ["0", FEWER_THAN, FEWER_THAN, "5", "12"]


def test_a_single_small_count_beside_a_shown_total_hides_one_more_cell() -> None:
    cells = suppress([("A", 3), ("B", 20), ("C", 30)])
    assert [cell.shown for cell in cells] == [FEWER_THAN, HIDDEN_LARGE, "30"]


def test_nothing_is_hidden_when_nothing_is_small() -> None:
    assert not any(cell.hidden for cell in suppress([("A", 5), ("B", 9)]))


@given(counts)
def test_no_shown_cell_holds_1_to_4(values: list[int]) -> None:
    cells = suppress([(f"Org {i}", v) for i, v in enumerate(values)])
    assert all(cell.hidden for cell in cells if 0 < cell.count < 5)
    assert all(cell.shown not in {"1", "2", "3", "4"} for cell in cells)
    assert [cell.count for cell in cells] == values  # order and counts are kept


@given(counts)
def test_the_total_never_gives_a_small_count_away_while_any_cell_is_shown(values: list[int]) -> None:
    cells = suppress([(f"Org {i}", v) for i, v in enumerate(values)])
    total = sum(values)
    if all(cell.hidden for cell in cells):
        return  # the documented limit: nothing left to hide behind
    for i, cell in enumerate(cells):
        if cell.shown == FEWER_THAN:
            assert len(feasible_values(cells, i, total)) > 1, (values, i)


def test_protect_sums_hides_small_parts_and_a_second_so_the_total_gives_none_away() -> None:
    assert protect_sums([7, 3, 9, 0]) == {0, 1}
    assert protect_sums([7, 9, 0]) == set()
    assert protect_sums([2, 2, 1, 8]) == {0, 1, 2}  # together they rest on 5 payments
    assert protect_sums([0, 0]) == set()


@given(st.lists(st.integers(min_value=0, max_value=12), max_size=8))
def test_protect_sums_never_leaves_a_hidden_remainder_of_one_to_four(counts: list[int]) -> None:
    hidden = protect_sums(counts)
    assert all(not is_small(counts[i]) for i in range(len(counts)) if i not in hidden)
    if not is_small(sum(counts)):
        assert not is_small(sum(counts[i] for i in hidden))
