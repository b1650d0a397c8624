import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.finances import ledger
from carecommons.finances.ledger import Line
from carecommons.lib.money import AmountError, format_pence, parse_pence


def test_lines_that_sum_to_zero_balance() -> None:
    ledger.check_balanced([Line(1, 1250), Line(2, -1000), Line(3, -250)])


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([Line(1, 100)], "at least two"),
        ([Line(1, 100), Line(2, -99)], "must be equal"),
        ([Line(1, 0), Line(2, 0)], "nothing"),
        ([Line(1, 100, fund=7), Line(2, -100)], "within each fund"),
    ],
)
def test_lines_that_do_not_balance_are_refused_with_a_reason(lines: list[Line], problem: str) -> None:
    with pytest.raises(ledger.Unbalanced, match=problem):
        ledger.check_balanced(lines)


def test_a_float_amount_is_refused() -> None:
    with pytest.raises(ledger.Unbalanced, match="whole pence"):
        ledger.check_balanced([Line(1, 1.5), Line(2, -1.5)])  # type: ignore[arg-type]


amounts = st.integers(min_value=1, max_value=10**9)


@st.composite
def balanced_lines(draw: st.DrawFn) -> list[Line]:
    debits = draw(st.lists(amounts, min_size=1, max_size=5))
    fund = draw(st.one_of(st.none(), st.integers(1, 3)))
    lines = [Line(draw(st.integers(1, 20)), pence, fund) for pence in debits]
    return [*lines, Line(draw(st.integers(1, 20)), -sum(debits), fund)]


@given(st.lists(balanced_lines(), min_size=1, max_size=20))
def test_any_balanced_postings_and_their_reversals_leave_every_balance_at_zero(
    postings: list[list[Line]],
) -> None:
    everything = []
    for lines in postings:
        ledger.check_balanced(lines)
        everything += lines + ledger.reversal(lines)
    assert sum(ledger.balances(everything).values()) == 0
    assert set(ledger.balances(everything).values()) == {0}


@given(st.lists(balanced_lines(), min_size=1, max_size=20))
def test_balances_of_balanced_postings_always_sum_to_zero(postings: list[list[Line]]) -> None:
    assert sum(ledger.balances([line for lines in postings for line in lines]).values()) == 0


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("12", 1200), ("12.5", 1250), ("12.05", 1205), ("£1,200.99", 120099), (" 0.01 ", 1), (".5", 50)],
)
def test_amounts_are_read_exactly_as_pence(typed: str, pence: int) -> None:
    assert parse_pence(typed) == pence


@pytest.mark.parametrize("typed", ["", "abc", "1.234", "1e3", "-5", "12,34", "£", "1.2.3", "99999999999"])
def test_anything_that_is_not_an_amount_is_refused(typed: str) -> None:
    with pytest.raises(AmountError):
        parse_pence(typed)


@given(st.integers(min_value=-(10**10), max_value=10**10))
def test_formatting_then_reading_gives_back_the_same_pence(pence: int) -> None:
    shown = format_pence(pence).replace("−", "-")
    assert parse_pence(shown, allow_negative=True) == pence
