"""Money as whole pence. Never a float: amounts are typed as text and parsed exactly."""

import re
from collections.abc import Iterable

_AMOUNT = re.compile(r"^(?P<sign>-)?£?(?P<pounds>\d{1,9}(,\d{3})*|\d+)?(\.(?P<pence>\d{1,2}))?$")
# "1.234,56": the other way round, as most of Europe writes it (spaces are taken out first).
_COMMA_AMOUNT = re.compile(r"^(?P<sign>-)?£?(?P<pounds>\d{1,9}(\.\d{3})*|\d+)?(,(?P<pence>\d{1,2}))?$")
POINT, COMMA = ".", ","
MAX_PENCE = 10**11  # £1,000,000,000: far beyond any group, well inside a 64-bit integer.


class AmountError(ValueError):
    """What was typed is not an amount of money."""


def parse_pence(text: str, *, allow_negative: bool = False, decimal_mark: str = POINT) -> int:
    """'12', '12.5', '£1,200.05' → pence. Refuses floats' traps: no exponent, at most two decimals.
    With `decimal_mark=","` the marks swap: '1.200,05' and '1 200,05' → 120005."""
    cleaned = "".join(text.split())
    match = (_COMMA_AMOUNT if decimal_mark == COMMA else _AMOUNT).match(cleaned)
    if not cleaned or match is None or (match["pounds"] is None and match["pence"] is None):
        example = "12,50" if decimal_mark == COMMA else "12.50"
        raise AmountError(f"Enter an amount in pounds and pence, like {example}.")
    pounds = int((match["pounds"] or "0").replace(",", "").replace(".", ""))
    pence = int((match["pence"] or "0").ljust(2, "0"))
    value = pounds * 100 + pence
    if match["sign"]:
        if not allow_negative:
            raise AmountError("Enter an amount without a minus sign.")
        value = -value
    if abs(value) >= MAX_PENCE:
        raise AmountError("That amount is too large.")
    return value


def format_pence(pence: int, *, sign: bool = False) -> str:
    """1234567 → '£12,345.67'; negative amounts as '−£5.00' (a true minus sign)."""
    prefix = "−" if pence < 0 else ("+" if sign and pence > 0 else "")
    pounds, rest = divmod(abs(pence), 100)
    return f"{prefix}£{pounds:,}.{rest:02d}"


_LAST_MARK = re.compile(r"(?P<mark>[.,])(?P<digits>\d+)\D*$")


def decimal_mark_of(text: str) -> str | None:
    """The mark this amount puts before its pence: the last mark, when one or two digits follow it
    ('1.234,56' and '12,5' → comma). Three digits after the last mark can only be thousands, since
    pence never run to three digits ('1.234' → comma, '1,234' → point). None when no mark shows."""
    match = _LAST_MARK.search("".join(text.split()))
    if match is None:
        return None
    mark, digits = match["mark"], match["digits"]
    other = COMMA if mark == POINT else POINT
    if len(digits) <= 2:
        return mark
    return other if len(digits) == 3 else None


def detect_decimal_mark(texts: Iterable[str]) -> str:
    """The one mark every amount that shows one agrees on; POINT when none shows one (whole
    amounts read the same either way). Raises AmountError when amounts disagree, rather than
    guess and misread some of them a hundred or a thousand times over."""
    seen: dict[str, str] = {}
    for text in texts:
        mark = decimal_mark_of(text)
        if mark is not None:
            seen.setdefault(mark, text.strip())
        if len(seen) == 2:
            raise AmountError(
                f"some amounts are written like {seen[POINT]} (a point before the pence) and others like "
                f"{seen[COMMA]} (a comma before the pence), so we cannot tell how to read them"
            )
    return next(iter(seen), POINT)
