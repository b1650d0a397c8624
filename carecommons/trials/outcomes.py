"""Every figure for one outcome, and for a trial's primary and secondary outcomes together: the one
entry point the evaluation report and `carecommons analyse_trial` share, so the two cannot disagree.

Counts and effect sizes follow the command's contract: differences are treatment minus control;
everything but `ancova_imputed` is on complete cases (outcome and baseline both present), except
the descriptive summaries, which use everyone with that score. Secondary outcomes carry
Holm-adjusted p-values, each analysis adjusted within its own family (complete-case ANCOVA,
imputed ANCOVA, mixed model); the primary is marked and left unadjusted.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from carecommons.trials.analysis import (
    IMPUTATIONS,
    SEED,
    EffectSize,
    Estimate,
    Floats,
    TrialData,
    TrialDataError,
    ancova,
    ancova_imputed,
    complete_rows,
    hedges_g,
    morris_dppc2,
)
from carecommons.trials.clustered import MixedModel, mixed_model
from carecommons.trials.multiplicity import holm

T = TypeVar("T")
Clusters = Sequence[Any] | NDArray[Any]


@dataclass(frozen=True)
class ByArm(Generic[T]):
    treatment: T
    control: T


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float  # NaN when n is 0
    sd: float  # NaN when n < 2


@dataclass(frozen=True)
class HolmAdjusted:
    ancova: float
    ancova_imputed: float
    mixed: float | None


@dataclass(frozen=True)
class OutcomeResult:
    n_randomised: int
    n_complete: int
    n_complete_by_arm: ByArm[int]
    baseline: ByArm[Summary]
    outcome: ByArm[Summary]
    ancova: Estimate
    ancova_imputed: Estimate
    hedges_g: EffectSize
    morris_dppc2: EffectSize
    mixed: Estimate | None = None
    icc: float | None = None
    mixed_model: MixedModel | None = None
    primary: bool = True
    holm: HolmAdjusted | None = None  # secondary outcomes only


def summary(values: Floats) -> Summary:
    seen = values[~np.isnan(values)]
    n = len(seen)
    return Summary(
        n=n,
        mean=float(seen.mean()) if n else float("nan"),
        sd=float(seen.std(ddof=1)) if n > 1 else float("nan"),
    )


def by_arm_summary(values: Floats, treated: NDArray[np.bool_]) -> ByArm[Summary]:
    return ByArm(treatment=summary(values[treated]), control=summary(values[~treated]))


def analyse_outcome(
    data: TrialData, *, clusters: Clusters | None = None, m: int = IMPUTATIONS, seed: int = SEED
) -> OutcomeResult:
    rows = complete_rows(data)
    treated, control = rows & data.treated, rows & ~data.treated
    if not treated.any() or not control.any():
        raise TrialDataError("Complete cases are all in one arm.")
    fitted = mixed_model(data, clusters) if clusters is not None else None
    return OutcomeResult(
        n_randomised=len(data.treated),
        n_complete=int(rows.sum()),
        n_complete_by_arm=ByArm(treatment=int(treated.sum()), control=int(control.sum())),
        baseline=by_arm_summary(data.baseline, data.treated),
        outcome=by_arm_summary(data.outcome, data.treated),
        ancova=ancova(data),
        ancova_imputed=ancova_imputed(data, m=m, seed=seed),
        hedges_g=hedges_g(data.outcome[treated], data.outcome[control]),
        morris_dppc2=morris_dppc2(
            data.baseline[treated], data.outcome[treated], data.baseline[control], data.outcome[control]
        ),
        mixed=fitted.arm if fitted else None,
        icc=fitted.icc if fitted else None,
        mixed_model=fitted,
    )


def analyse_outcomes(
    primary: tuple[str, TrialData],
    secondaries: Mapping[str, TrialData],
    *,
    clusters: Clusters | None = None,
    m: int = IMPUTATIONS,
    seed: int = SEED,
) -> dict[str, OutcomeResult]:
    """By outcome name, the primary first, then the secondaries in the order given."""
    name, data = primary
    if name in secondaries:
        raise TrialDataError(f"{name} is both the primary and a secondary outcome.")
    first = analyse_outcome(data, clusters=clusters, m=m, seed=seed)
    others = {
        other: replace(analyse_outcome(values, clusters=clusters, m=m, seed=seed), primary=False)
        for other, values in secondaries.items()
    }
    return {name: first, **holm_adjusted(others)}


def holm_adjusted(secondaries: Mapping[str, OutcomeResult]) -> dict[str, OutcomeResult]:
    """The secondaries with Holm-adjusted p-values among themselves, each analysis on its own
    (the mixed model's only when every secondary has one)."""
    results = list(secondaries.values())
    complete = holm([r.ancova.p for r in results])
    imputed = holm([r.ancova_imputed.p for r in results])
    mixed_fits = [r.mixed for r in results]
    mixed = holm([f.p for f in mixed_fits if f is not None]) if all(f is not None for f in mixed_fits) else []
    return {
        other: replace(
            result,
            primary=False,
            holm=HolmAdjusted(
                ancova=complete[i], ancova_imputed=imputed[i], mixed=mixed[i] if mixed else None
            ),
        )
        for i, (other, result) in enumerate(secondaries.items())
    }
