"""Change person by person, compared between arms: reliable change (Jacobson & Truax 1991) with the
reliability taken from the trial's own baseline answers, and recovery from per-person caseness.

- Cronbach's alpha over k items: k/(k - 1) (1 - sum of the item variances / variance of the total),
  on the people who answered every item.
- Reliable change index RC = (post - pre) / S_diff with S_diff = SD_pre sqrt(2) sqrt(1 - r_xx)
  (Jacobson & Truax 1991, J Consult Clin Psychol 59:12, with Christensen & Mendoza's 1986 sqrt(2)).
  |RC| > 1.96 is reliable; which sign is improvement depends on whether lower scores are better.
- NHS Talking Therapies' fixed thresholds (PHQ-9 6, GAD-7 4) and caseness live in
  `measures.engine.scoring` and `measures.reporting.outcomes`; here recovery takes their verdicts as
  booleans: recovered = a case at baseline and not a case at the end, counted among baseline cases.

Each by-arm figure is a `ProportionDifference` (treatment minus control, Newcombe's interval, NNT).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from carecommons.measures.engine.scoring import Change
from carecommons.trials.analysis import Z95, Floats, TrialDataError
from carecommons.trials.proportions import Proportion, ProportionDifference, compare_proportions

Flags = NDArray[np.bool_]


def cronbach_alpha(items: Floats) -> float:
    """Rows are people, columns items; a row with any missing answer is left out."""
    grid = np.asarray(items, dtype=float)
    if grid.ndim != 2 or grid.shape[1] < 2:
        raise TrialDataError("Cronbach's alpha needs a table of at least two items.")
    complete = grid[~np.isnan(grid).any(axis=1)]
    if len(complete) < 2:
        raise TrialDataError("Cronbach's alpha needs at least two people who answered every item.")
    k = int(grid.shape[1])
    total = float(complete.sum(axis=1).var(ddof=1))
    if total == 0:
        raise TrialDataError("Every complete answer has the same total: alpha is undefined.")
    return k / (k - 1) * (1 - float(complete.var(axis=0, ddof=1).sum()) / total)


def difference_standard_error(sd_pre: float, reliability: float) -> float:
    if not 0 <= reliability < 1:
        raise TrialDataError(f"Reliability must be at least 0 and below 1, not {reliability}.")
    return sd_pre * float(np.sqrt(2)) * float(np.sqrt(1 - reliability))


@dataclass(frozen=True)
class ReliableChange:
    """Per person: `index` is RC (NaN without both scores); `improved` and `deteriorated` are False
    there, and `paired` says who had both."""

    s_diff: float
    smallest_reliable_change: float  # 1.96 S_diff, in the scale's own points
    index: Floats
    paired: Flags
    improved: Flags
    deteriorated: Flags

    def verdicts(self) -> list[Change | None]:
        verdict: list[Change | None] = []
        for paired, better, worse in zip(self.paired, self.improved, self.deteriorated, strict=True):
            if not paired:
                verdict.append(None)
            else:
                verdict.append("improved" if better else "deteriorated" if worse else "no reliable change")
        return verdict


def reliable_change(
    pre: Floats, post: Floats, *, reliability: float, lower_is_better: bool, sd_pre: float | None = None
) -> ReliableChange:
    """SD_pre is the baseline SD of everyone with a baseline score unless given (a norm, say)."""
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    if pre.shape != post.shape:
        raise TrialDataError("Baseline and end scores must have one value per person.")
    seen = pre[~np.isnan(pre)]
    if sd_pre is None:
        if len(seen) < 2:
            raise TrialDataError("The baseline SD needs at least two baseline scores.")
        sd_pre = float(seen.std(ddof=1))
    s_diff = difference_standard_error(sd_pre, reliability)
    if s_diff == 0:
        raise TrialDataError(
            "With no spread or perfect reliability every change is reliable: RC is undefined."
        )
    paired = ~np.isnan(pre) & ~np.isnan(post)
    index = (post - pre) / s_diff
    better = -index if lower_is_better else index
    reliable = paired & (np.abs(np.where(paired, index, 0.0)) > Z95)
    return ReliableChange(
        s_diff=s_diff,
        smallest_reliable_change=Z95 * s_diff,
        index=index,
        paired=paired,
        improved=reliable & (np.where(paired, better, 0.0) > 0),
        deteriorated=reliable & (np.where(paired, better, 0.0) < 0),
    )


def by_arm(
    events: Flags, among: Flags, treated: Flags, *, event_is_good: bool = True
) -> ProportionDifference:
    """The share of `among` with the event in each arm, compared."""
    events, among, treated = (np.asarray(a, dtype=bool) for a in (events, among, treated))
    if not events.shape == among.shape == treated.shape:
        raise TrialDataError("Events, eligibility and arm must have one value per person.")

    def arm(rows: Flags) -> Proportion:
        return Proportion(events=int((events & rows).sum()), n=int(rows.sum()))

    return compare_proportions(arm(among & treated), arm(among & ~treated), event_is_good=event_is_good)


def reliable_improvement_by_arm(change: ReliableChange, treated: Flags) -> ProportionDifference:
    return by_arm(change.improved, change.paired, treated)


def reliable_deterioration_by_arm(change: ReliableChange, treated: Flags) -> ProportionDifference:
    return by_arm(change.deteriorated, change.paired, treated, event_is_good=False)


def recovery_by_arm(case_at_start: Flags, case_at_end: Flags, treated: Flags) -> ProportionDifference:
    """Among people who were a case at baseline and have an end verdict (pass only those people)."""
    start = np.asarray(case_at_start, dtype=bool)
    return by_arm(start & ~np.asarray(case_at_end, dtype=bool), start, treated)
