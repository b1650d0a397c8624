"""Amounts written the British way (1,234.56) and the European way (1.234,56) read as the same pence."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.money import COMMA, POINT, AmountError, decimal_mark_of, detect_decimal_mark, parse_pence

PENCE = st.integers(min_value=-(10**10), max_value=10**10)


def written(pence: int, mark: str, grouping: str, symbol: str) -> str:
    """How a bank might write it: a thousands separator (or none), the mark, a currency sign."""
    pounds, rest = divmod(abs(pence), 100)
    whole = f"{pounds:,}".replace(",", grouping)
    sign = "-" if pence < 0 else ""
    return f"{sign}{whole}{mark}{rest:02d}{symbol}"


@given(PENCE, st.sampled_from(["", ","]))
def test_amounts_with_a_point_before_the_pence_read_back_as_the_same_pence(pence: int, grouping: str) -> None:
    assert parse_pence(written(pence, POINT, grouping, ""), allow_negative=True) == pence


@given(PENCE, st.sampled_from(["", ".", " ", "\u00a0"]))
def test_amounts_with_a_comma_before_the_pence_read_back_as_the_same_pence(pence: int, grouping: str) -> None:
    text = written(pence, COMMA, grouping, "")
    assert parse_pence(text, allow_negative=True, decimal_mark=COMMA) == pence
    assert decimal_mark_of(text) == COMMA


@given(
    st.lists(PENCE.filter(lambda p: p % 100 != 0), min_size=1, max_size=20), st.sampled_from([POINT, COMMA])
)
def test_a_file_written_one_way_is_detected_as_that_way(amounts: list[int], mark: str) -> None:
    grouping = "," if mark == POINT else "."
    assert detect_decimal_mark(written(p, mark, grouping, "") for p in amounts) == mark


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("1.234,56", 123456), ("-12,50", -1250), ("12,5", 1250), ("1 234,56", 123456), ("1.000.000", 100000000)],
)
def test_european_amounts_are_read_exactly(typed: str, pence: int) -> None:
    assert parse_pence(typed, allow_negative=True, decimal_mark=COMMA) == pence


@pytest.mark.parametrize("typed", ["1,234.56", "12,345", "1.2.3", "12,5,0"])
def test_a_point_where_a_comma_belongs_is_refused(typed: str) -> None:
    with pytest.raises(AmountError):
        parse_pence(typed, decimal_mark=COMMA)


@pytest.mark.parametrize(
    ("typed", "mark"), [("1,234", POINT), ("1.234", COMMA), ("12.5", POINT), ("12,50 €", COMMA), ("12", None)]
)
def test_the_mark_before_the_pence_is_known_from_what_follows_it(typed: str, mark: str | None) -> None:
    assert decimal_mark_of(typed) == mark


def test_a_file_that_mixes_both_ways_is_refused_rather_than_guessed() -> None:
    with pytest.raises(AmountError, match="cannot tell"):
        detect_decimal_mark(["12.50", "3", "1.234,56"])


def test_whole_amounts_alone_read_the_same_either_way() -> None:
    assert detect_decimal_mark(["12", "-3", ""]) == POINT
