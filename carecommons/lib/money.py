"""Money as whole pence. Never a float: amounts are typed as text and parsed exactly."""

import re

_AMOUNT = re.compile(r"^(?P<sign>-)?£?(?P<pounds>\d{1,9}(,\d{3})*|\d+)?(\.(?P<pence>\d{1,2}))?$")
MAX_PENCE = 10**11  # £1,000,000,000: far beyond any group, well inside a 64-bit integer.


class AmountError(ValueError):
    """What was typed is not an amount of money."""


def parse_pence(text: str, *, allow_negative: bool = False) -> int:
    """'12', '12.5', '£1,200.05' → pence. Refuses floats' traps: no exponent, at most two decimals."""
    cleaned = text.strip().replace(" ", "")
    match = _AMOUNT.match(cleaned)
    if not cleaned or match is None or (match["pounds"] is None and match["pence"] is None):
        raise AmountError("Enter an amount in pounds and pence, like 12.50.")
    pounds = int((match["pounds"] or "0").replace(",", ""))
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
