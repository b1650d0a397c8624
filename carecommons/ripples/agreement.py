"""How far two people coding the same ripples agree, capital by capital: Cohen's kappa.

Each coder says, for each ripple, yes or no to each capital; per capital that makes a 2×2 table
(both yes, only the first, only the second, both no). Kappa is the agreement beyond what the two
coders' own rates of saying yes would give by chance: (p_o - p_e) / (1 - p_e) (Cohen 1960,
Educational and Psychological Measurement 20:37). Its standard error is the large-sample one of
Fleiss, Cohen & Everitt (1969, Psychological Bulletin 72:323), not the one under "no agreement",
and the 95% interval is kappa ± 1.96 SE: both as statsmodels' `cohens_kappa` reports them
(`std_kappa`, `kappa_low`, `kappa_upp`). With few ripples the interval is wide, which is the point of
showing it.

Kappa is not defined when chance alone would give full agreement (p_e = 1): both coders gave
every ripple the same code, all yes or all no. Then only the observed agreement is shown. When only
one coder never varies, kappa is 0 by construction and its standard error 0: the table's counts
say more than the figure. Ripples coded by only one of the two are left out of every table.
"""

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist

from carecommons.ripples.capitals import CAPITAL_IDS

Z95 = NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Table:
    """Rows are the first coder, columns the second; "yes" comes first."""

    both_yes: int
    first_only: int
    second_only: int
    both_no: int

    @property
    def n(self) -> int:
        return self.both_yes + self.first_only + self.second_only + self.both_no

    @classmethod
    def of(cls, pairs: Iterable[tuple[bool, bool]]) -> "Table":
        counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
        for pair in pairs:
            counts[pair] += 1
        return cls(counts[True, True], counts[True, False], counts[False, True], counts[False, False])


@dataclass(frozen=True)
class Kappa:
    value: float
    standard_error: float
    ci95: tuple[float, float]


def cohens_kappa(table: Table) -> Kappa | None:
    """Kappa with its standard error and interval; None when it is not defined."""
    n = table.n
    if n == 0 or n in (table.both_yes, table.both_no):
        return None
    cells = (table.both_yes, table.first_only, table.second_only, table.both_no)
    p11, p12, p21, p22 = (count / n for count in cells)
    first_yes, second_yes, first_no, second_no = p11 + p12, p11 + p21, p21 + p22, p12 + p22
    expected = first_yes * second_yes + first_no * second_no
    observed = p11 + p22
    kappa = (observed - expected) / (1 - expected)
    # Fleiss, Cohen & Everitt (1969): the diagonal cells, the two off-diagonal cells, kappa's own term.
    diagonal = (
        p11 * (1 - (first_yes + second_yes) * (1 - kappa)) ** 2
        + p22 * (1 - (first_no + second_no) * (1 - kappa)) ** 2
    )
    off_diagonal = (1 - kappa) ** 2 * (
        p12 * (second_yes + first_no) ** 2 + p21 * (second_no + first_yes) ** 2
    )
    own = (kappa - expected * (1 - kappa)) ** 2
    variance = max(diagonal + off_diagonal - own, 0.0) / ((1 - expected) ** 2 * n)
    error = math.sqrt(variance)
    return Kappa(kappa, error, (kappa - Z95 * error, kappa + Z95 * error))


@dataclass(frozen=True)
class Agreement:
    capital: str
    table: Table
    kappa: Kappa | None

    @property
    def observed(self) -> float | None:
        """The share of ripples both coded the same way; None when no ripple was coded by both."""
        return (self.table.both_yes + self.table.both_no) / self.table.n if self.table.n else None


def agreement_by_capital(
    first: Mapping[int, Collection[str]],
    second: Mapping[int, Collection[str]],
    capitals: Iterable[str] = CAPITAL_IDS,
) -> list[Agreement]:
    """For each capital, how two coders agree over the ripples both coded. `first` and `second`
    map a ripple's id to the capitals that coder gave it (an empty collection is a coded ripple
    with no capital, which counts as "no" to every capital)."""
    both = sorted(first.keys() & second.keys())
    found = []
    for capital in capitals:
        table = Table.of((capital in first[ripple], capital in second[ripple]) for ripple in both)
        found.append(Agreement(capital, table, cohens_kappa(table)))
    return found
