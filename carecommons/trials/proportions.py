"""Two arms' proportions compared: the difference (treatment minus control) with Newcombe's hybrid
score interval, and the number needed to treat with its interval as Altman presents it.

- Each arm's proportion gets a Wilson score interval (l, u). The difference D = p_T - p_C has the
  interval D - sqrt((p_T - l_T)^2 + (u_C - p_C)^2) to D + sqrt((u_T - p_T)^2 + (p_C - l_C)^2):
  method 10 of Newcombe (1998, Statistics in Medicine 17:873), statsmodels'
  `confint_proportions_2indep(method="newcomb")`. Unlike the Wald interval it stays inside
  [-1, 1] and behaves at proportions near 0 or 1 and in small arms.
- The number needed to treat is 1/|D|, "benefit" when the difference favours the treatment arm and
  "harm" when it favours the control. Its interval inverts the difference's limits (Altman 1998,
  BMJ 317:1309). When that interval includes no difference, the NNT interval runs from the
  benefit limit through infinity to the harm limit, written "NNTB 4 to ∞ to NNTH 20".
"""

import math
from dataclasses import dataclass
from typing import Literal

from carecommons.trials.analysis import Z95, TrialDataError

Direction = Literal["benefit", "harm"]


@dataclass(frozen=True)
class Proportion:
    events: int
    n: int

    @property
    def value(self) -> float:
        return self.events / self.n

    def wilson(self) -> tuple[float, float]:
        p, z2 = self.value, Z95**2
        centre = (p + z2 / (2 * self.n)) / (1 + z2 / self.n)
        half = Z95 * math.sqrt(p * (1 - p) / self.n + z2 / (4 * self.n**2)) / (1 + z2 / self.n)
        return centre - half, centre + half


@dataclass(frozen=True)
class Bound:
    """One end of an NNT interval: how many people, and which way."""

    value: float
    direction: Direction

    def text(self) -> str:
        letter = "B" if self.direction == "benefit" else "H"
        return f"NNT{letter} {'∞' if math.isinf(self.value) else f'{self.value:.1f}'}"


@dataclass(frozen=True)
class NumberNeededToTreat:
    """`value` is inf when the arms do not differ (then `direction` is None). `ci95` is ordered by
    size when it does not include no difference (`through_infinity` False); otherwise it is (the
    benefit limit, the harm limit) and the interval passes through infinity between them."""

    value: float
    direction: Direction | None
    ci95: tuple[Bound, Bound]
    through_infinity: bool

    def text(self) -> str:
        point = Bound(self.value, self.direction or "benefit").text()
        if self.direction is None:
            point = "NNT ∞"
        low, high = self.ci95
        joint = " to ∞ to " if self.through_infinity else " to "
        return f"{point} (95% CI {low.text()}{joint}{high.text()})"


def _bound(difference: float, good: bool) -> Bound:
    benefit = (difference > 0) == good
    return Bound(math.inf if difference == 0 else 1 / abs(difference), "benefit" if benefit else "harm")


def number_needed_to_treat(
    difference: float, ci95: tuple[float, float], *, event_is_good: bool = True
) -> NumberNeededToTreat:
    """From a difference in proportions (treatment minus control) and its interval. When the event
    is bad (deterioration), a positive difference is harm."""
    low, high = ci95
    point = _bound(difference, event_is_good)
    direction = None if difference == 0 else point.direction
    if low < 0 < high:
        ends = sorted((_bound(low, event_is_good), _bound(high, event_is_good)), key=lambda b: b.direction)
        return NumberNeededToTreat(point.value, direction, (ends[0], ends[1]), through_infinity=True)
    ends = sorted((_bound(low, event_is_good), _bound(high, event_is_good)), key=lambda b: b.value)
    return NumberNeededToTreat(point.value, direction, (ends[0], ends[1]), through_infinity=False)


@dataclass(frozen=True)
class ProportionDifference:
    treatment: Proportion
    control: Proportion
    difference: float
    ci95: tuple[float, float]
    nnt: NumberNeededToTreat
    method: str = "Newcombe hybrid score (method 10)"


def newcombe_interval(treatment: Proportion, control: Proportion) -> tuple[float, float]:
    (low_t, high_t), (low_c, high_c) = treatment.wilson(), control.wilson()
    p_t, p_c = treatment.value, control.value
    difference = p_t - p_c
    return (
        difference - math.sqrt((p_t - low_t) ** 2 + (high_c - p_c) ** 2),
        difference + math.sqrt((high_t - p_t) ** 2 + (p_c - low_c) ** 2),
    )


def compare_proportions(
    treatment: Proportion, control: Proportion, *, event_is_good: bool = True
) -> ProportionDifference:
    if treatment.n == 0 or control.n == 0:
        raise TrialDataError("Both arms need at least one person to compare proportions.")
    for arm in (treatment, control):
        if not 0 <= arm.events <= arm.n:
            raise TrialDataError(f"{arm.events} events cannot be among {arm.n} people.")
    difference = treatment.value - control.value
    ci95 = newcombe_interval(treatment, control)
    return ProportionDifference(
        treatment=treatment,
        control=control,
        difference=difference,
        ci95=ci95,
        nnt=number_needed_to_treat(difference, ci95, event_is_good=event_is_good),
    )
