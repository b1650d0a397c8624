"""The arithmetic of the books. Pure: no ORM, so it can be checked with property tests.

A line is (account id, pence, fund id): debits positive, credits negative. A set of lines balances when
it has two or more lines, none of them zero, and they sum to zero within each fund (the general
money being the fund `None`). The database refuses to post anything else (migration 0002); this
module says why in words people can act on before it gets that far.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    account: int
    pence: int
    fund: int | None = None


class Unbalanced(ValueError):
    """The lines cannot be posted as they are."""


def check_balanced(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise Unbalanced("A transaction needs at least two entries.")
    if any(not isinstance(line.pence, int) or isinstance(line.pence, bool) for line in lines):
        raise Unbalanced("Amounts must be whole pence.")
    if any(line.pence == 0 for line in lines):
        raise Unbalanced("An entry of nothing cannot be posted.")
    by_fund: dict[int | None, int] = defaultdict(int)
    for line in lines:
        by_fund[line.fund] += line.pence
    if any(total != 0 for total in by_fund.values()):
        raise Unbalanced("Debits and credits must be equal (within each fund).")


def reversal(lines: Iterable[Line]) -> list[Line]:
    """The lines that cancel these exactly."""
    return [Line(account=line.account, pence=-line.pence, fund=line.fund) for line in lines]


def balances(lines: Iterable[Line]) -> dict[int, int]:
    """Each account's balance: the sum of its lines."""
    totals: dict[int, int] = defaultdict(int)
    for line in lines:
        totals[line.account] += line.pence
    return dict(totals)
