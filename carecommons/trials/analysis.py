"""The standard analyses of a two-arm trial, pure: arrays in, numbers out, no database (issue 14).

Formulas are those of `shared/reference/instruments.md`, section 7:

- ANCOVA: ordinary least squares of the outcome on an intercept, the baseline, the arm (1 for the
  treatment arm) and any covariates (numeric as they are; categorical as indicator columns for
  every level but the first in sorted order, as patsy's treatment coding does). The arm's
  coefficient is the adjusted mean difference, treatment minus the other arm; its standard error
  is from sigma^2 (X'X)^-1 with n - p degrees of freedom, its interval and p-value from Student's t
  (Vickers & Altman 2001, BMJ 323:1123).
- Hedges' g on the outcome: Cohen's d over the pooled SD, times J = 1 - 3/(4N - 9), variance
  N/(n1 n2) + g^2/(2(N - 3.94)) (Hedges & Olkin 1985; statsmodels' `effectsize_smd` uses the same).
- Morris d_ppc2: c_p [(post_T - pre_T) - (post_C - pre_C)] / SD_pre,pooled with c_p = 1 - 3/(4(N-2) - 1),
  and Morris' (2008, Organizational Research Methods 11:364) large-sample variance with the pre-post
  correlation pooled within the arms (so a difference between the arms does not inflate it).
- Multiple imputation by chained equations for the missing outcomes and baselines: m draws, each
  a proper Bayesian linear-regression imputation (coefficients and residual variance drawn from
  their posterior) cycled over the incomplete variables, then ANCOVA on each completed data set and
  Rubin's rules (total variance W + (1 + 1/m) B, Rubin's degrees of freedom).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

Floats = NDArray[np.float64]
IMPUTATIONS = 20
CYCLES = 10
SEED = 20140601
CHUNK = 1 << 16
Z95 = 1.959963984540054


class TrialDataError(ValueError):
    """The data cannot be analysed as asked (one arm only, too few rows, no variation)."""


@dataclass(frozen=True)
class Estimate:
    estimate: float
    se: float
    ci95: tuple[float, float]
    p: float


@dataclass(frozen=True)
class EffectSize:
    value: float
    ci95: tuple[float, float]


@dataclass(frozen=True)
class Covariate:
    """One value per person. Categorical values may be any sortable type (text, or integer codes)."""

    name: str
    values: Sequence[float] | Sequence[str] | NDArray[Any]
    categorical: bool


@dataclass(frozen=True)
class TrialData:
    """One row per randomised person: outcome and baseline (NaN when missing), and the arm."""

    outcome: Floats
    baseline: Floats
    treated: NDArray[np.bool_]
    covariates: Sequence[Covariate] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        n = len(self.treated)
        if len(self.outcome) != n or len(self.baseline) != n:
            raise TrialDataError("Outcome, baseline and arm must have one value per person.")
        if self.treated.all() or not self.treated.any():
            raise TrialDataError("Both arms need people: found only one arm.")


@dataclass(frozen=True)
class Term:
    """One covariate column: the values as they are, or an indicator of one level."""

    values: NDArray[Any]
    level: Any = None

    def column(self, part: slice | NDArray[np.bool_] = slice(None)) -> Floats:
        values = self.values[part]
        return (values == self.level).astype(float) if self.level is not None else values.astype(float)


def covariate_terms(covariates: Sequence[Covariate], rows: NDArray[np.bool_]) -> list[Term]:
    """Numeric covariates as they are; a categorical one as an indicator per level seen in `rows`,
    except the first in sorted order (patsy's treatment coding)."""
    terms: list[Term] = []
    for covariate in covariates:
        values = np.asarray(covariate.values)
        if not covariate.categorical:
            terms.append(Term(values.astype(float)))
            continue
        if values.dtype == object:
            values = values.astype(str)
        terms += [Term(values, level) for level in np.unique(values[rows])[1:]]
    return terms


def covariate_columns(covariates: Sequence[Covariate], rows: NDArray[np.bool_]) -> list[Floats]:
    return [term.column() for term in covariate_terms(covariates, rows)]


def design(
    data: TrialData, outcome: Floats, baseline: Floats, rows: NDArray[np.bool_]
) -> tuple[Floats, Floats]:
    extra = [term.column(rows) for term in covariate_terms(data.covariates, rows)]
    x = np.column_stack([np.ones(rows.sum()), baseline[rows], data.treated[rows].astype(float), *extra])
    return x, outcome[rows]


def ols_arm(x: Floats, y: Floats) -> tuple[float, float, int]:
    """The arm's coefficient (column 2), its variance and the residual degrees of freedom."""
    n, p = x.shape
    if n <= p:
        raise TrialDataError(f"Too few complete rows ({n}) for {p} terms in the model.")
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    residual = y - x @ beta
    sigma2 = float(residual @ residual) / (n - p)
    return float(beta[2]), sigma2 * float(xtx_inv[2, 2]), n - p


def cross_products(data: TrialData, rows: NDArray[np.bool_]) -> Floats:
    """[X y]'[X y] over the complete rows, a chunk at a time, so ten million people need neither
    the whole design in memory nor more than one pass. The outcome and the numeric columns are
    shifted by their first complete values (the arm's coefficient and the residuals do not
    change), which keeps X'X well conditioned and y'y from swamping the residual sum of squares."""
    terms = covariate_terms(data.covariates, rows)
    first = int(np.argmax(rows))
    shift_baseline, shift_outcome = data.baseline[first], data.outcome[first]
    shifts = [float(term.values[first]) if term.level is None else 0.0 for term in terms]
    width = 4 + len(terms)
    total = np.zeros((width, width))
    for start in range(0, len(rows), CHUNK):
        part = slice(start, start + CHUNK)
        chosen = rows[part]
        z = np.empty((int(chosen.sum()), width))
        z[:, 0] = 1
        z[:, 1] = data.baseline[part][chosen] - shift_baseline
        z[:, 2] = data.treated[part][chosen]
        for j, term in enumerate(terms):
            z[:, 3 + j] = term.column(part)[chosen] - shifts[j]
        z[:, -1] = data.outcome[part][chosen] - shift_outcome
        total += z.T @ z
    return total


def ols_arm_from_cross_products(products: Floats, n: int) -> tuple[float, float, int]:
    p = products.shape[0] - 1
    if n <= p:
        raise TrialDataError(f"Too few complete rows ({n}) for {p} terms in the model.")
    if np.linalg.matrix_rank(products[:p, :p]) < p:
        raise TrialDataError("Not every term can be estimated: a score or covariate does not vary.")
    xtx_inv = np.linalg.pinv(products[:p, :p])
    xty = products[:p, p]
    beta = xtx_inv @ xty
    sigma2 = max(float(products[p, p]) - float(beta @ xty), 0.0) / (n - p)
    return float(beta[2]), sigma2 * float(xtx_inv[2, 2]), n - p


def estimate_from(value: float, variance: float, df: float) -> Estimate:
    se = float(np.sqrt(variance))
    t = stats.t.ppf(0.975, df)
    p = float(2 * stats.t.sf(abs(value / se), df)) if se > 0 else 0.0
    return Estimate(estimate=value, se=se, ci95=(value - t * se, value + t * se), p=p)


def complete_rows(data: TrialData) -> NDArray[np.bool_]:
    return ~np.isnan(data.outcome) & ~np.isnan(data.baseline)


def ancova(data: TrialData) -> Estimate:
    """Complete cases: the adjusted mean difference, treatment minus the other arm."""
    rows = complete_rows(data)
    if data.treated[rows].all() or not data.treated[rows].any():
        raise TrialDataError("Complete cases are all in one arm.")
    beta, variance, df = ols_arm_from_cross_products(cross_products(data, rows), int(rows.sum()))
    return estimate_from(beta, variance, df)


def hedges_g(treated: Floats, control: Floats) -> EffectSize:
    n1, n2 = len(treated), len(control)
    n = n1 + n2
    pooled = np.sqrt(((n1 - 1) * treated.var(ddof=1) + (n2 - 1) * control.var(ddof=1)) / (n - 2))
    g = (1 - 3 / (4 * n - 9)) * float(treated.mean() - control.mean()) / float(pooled)
    half = Z95 * np.sqrt(n / n1 / n2 + g**2 / 2 / (n - 3.94))
    return EffectSize(value=g, ci95=(g - half, g + half))


def morris_dppc2(pre_t: Floats, post_t: Floats, pre_c: Floats, post_c: Floats) -> EffectSize:
    n_t, n_c = len(pre_t), len(pre_c)
    n = n_t + n_c
    sd_pre = np.sqrt(((n_t - 1) * pre_t.var(ddof=1) + (n_c - 1) * pre_c.var(ddof=1)) / (n - 2))
    c_p = 1 - 3 / (4 * (n - 2) - 1)
    change = float((post_t.mean() - pre_t.mean()) - (post_c.mean() - pre_c.mean()))
    d = c_p * change / float(sd_pre)
    rho = pooled_correlation((pre_t, post_t), (pre_c, post_c))
    scale = 2 * (1 - rho) * n / (n_t * n_c)
    variance = c_p**2 * (n - 2) / (n - 4) * (scale + d**2) - d**2
    half = Z95 * np.sqrt(max(variance, 0.0))
    return EffectSize(value=d, ci95=(d - half, d + half))


def pooled_correlation(*arms: tuple[Floats, Floats]) -> float:
    """The correlation of two variables within arms: pooled covariance over pooled SDs."""
    deviations = [(x - x.mean(), y - y.mean()) for x, y in arms]
    xy = sum(float(dx @ dy) for dx, dy in deviations)
    xx = sum(float(dx @ dx) for dx, _ in deviations)
    yy = sum(float(dy @ dy) for _, dy in deviations)
    return xy / float(np.sqrt(xx * yy))


def _draw_regression(x: Floats, y: Floats, rng: np.random.Generator) -> Floats:
    """Coefficients drawn from their posterior under a flat prior (a proper imputation)."""
    n, p = x.shape
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    residual = y - x @ beta
    sigma2 = float(residual @ residual) / rng.chisquare(max(n - p, 1))
    drawn = rng.multivariate_normal(beta, sigma2 * xtx_inv, method="cholesky")
    return np.concatenate([drawn, [np.sqrt(sigma2)]])


def _impute_once(data: TrialData, rng: np.random.Generator) -> tuple[Floats, Floats]:
    outcome, baseline = data.outcome.copy(), data.baseline.copy()
    missing = {"outcome": np.isnan(outcome), "baseline": np.isnan(baseline)}
    everyone = np.ones(len(outcome), dtype=bool)
    extra = covariate_columns(data.covariates, everyone)
    arm = data.treated.astype(float)
    for name, values in (("outcome", outcome), ("baseline", baseline)):  # start from observed means
        values[missing[name]] = np.nanmean(values)
    for _ in range(CYCLES if missing["baseline"].any() else 1):
        for name in ("baseline", "outcome"):
            if not missing[name].any():
                continue
            target, other = (outcome, baseline) if name == "outcome" else (baseline, outcome)
            x = np.column_stack([np.ones(len(target)), other, arm, *extra])
            seen = ~missing[name]
            drawn = _draw_regression(x[seen], target[seen], rng)
            beta, sigma = drawn[:-1], drawn[-1]
            gaps = missing[name]
            target[gaps] = x[gaps] @ beta + rng.normal(0, sigma, gaps.sum())
    return outcome, baseline


def ancova_imputed(data: TrialData, *, m: int = IMPUTATIONS, seed: int = SEED) -> Estimate:
    """Everyone randomised, missing outcomes and baselines imputed m times; Rubin's rules."""
    if m < 2:
        raise TrialDataError("Multiple imputation needs at least two imputations.")
    rng = np.random.default_rng(seed)
    everyone = np.ones(len(data.treated), dtype=bool)
    estimates, variances = [], []
    residual_df = 0
    for _ in range(m):
        outcome, baseline = _impute_once(data, rng)
        beta, variance, residual_df = ols_arm(*design(data, outcome, baseline, everyone))
        estimates.append(beta)
        variances.append(variance)
    q = float(np.mean(estimates))
    within = float(np.mean(variances))
    between = float(np.var(estimates, ddof=1))
    total = within + (1 + 1 / m) * between
    if between > 0:
        r = (1 + 1 / m) * between / within
        df_rubin = (m - 1) * (1 + 1 / r) ** 2
        degrees = min(df_rubin, float(residual_df))
    else:
        degrees = float(residual_df)
    return estimate_from(q, total, degrees)
