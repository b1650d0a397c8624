"""The primary analysis when whole groups were randomised: a linear mixed model with a random
intercept per cluster, fitted by REML (issue 14; the model statsmodels' MixedLM fits by default).

    y = X b + u_cluster + e,   u ~ N(0, s_u^2),  e ~ N(0, s^2),   X = [1, baseline, arm, covariates]

Within a cluster of n_j people V_j = s^2 (I + g 11') with g = s_u^2 / s^2, so every quantity is a sum
over clusters in closed form: V_j^-1 = (I - g/(1 + g n_j) 11') / s^2 and |V_j| = s^(2 n_j) (1 + g n_j).
For a given g the fixed effects are generalised least squares and s^2 = r'V^-1 r / (n - p); the REML
likelihood profiled over b and s^2 is maximised over g >= 0 by solving its derivative for zero
(scipy.optimize.brentq), so the optimum is found to machine precision rather than to an optimiser's
tolerance.

The arm's standard error is statsmodels': the inverse of the observed information for (b, g) jointly,
so it carries the uncertainty in g (slightly wider than s^2 (X'V^-1X)^-1 alone). Its interval and
p-value use the normal distribution, as statsmodels' MixedLM summary does; with few clusters that
is optimistic, which the guide says. The ICC is s_u^2 / (s_u^2 + s^2).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, stats

from carecommons.trials.analysis import (
    Z95,
    Estimate,
    Floats,
    TrialData,
    TrialDataError,
    complete_rows,
    design,
)

ARM = 2  # the arm's column in the design


@dataclass(frozen=True)
class MixedModel:
    arm: Estimate
    icc: float
    between_variance: float
    within_variance: float
    clusters: int


@dataclass(frozen=True)
class _Sums:
    """Per-cluster sums of the design and outcome, and their cross-products."""

    sizes: Floats
    x_sums: Floats
    y_sums: Floats
    xtx: Floats
    xty: Floats
    y: Floats
    x: Floats

    @property
    def residual_df(self) -> int:
        return len(self.y) - int(self.x.shape[1])


@dataclass(frozen=True)
class _Fit:
    shrink: Floats  # 1 / (1 + g n_j)
    xvx: Floats  # X'V^-1 X with s^2 = 1
    beta: Floats
    residual_sums: Floats
    rvr: float  # r'V^-1 r with s^2 = 1


def _sums(x: Floats, y: Floats, codes: NDArray[np.intp], clusters: int) -> _Sums:
    x_sums = np.zeros((clusters, x.shape[1]))
    np.add.at(x_sums, codes, x)
    return _Sums(
        sizes=np.bincount(codes, minlength=clusters).astype(float),
        x_sums=x_sums,
        y_sums=np.bincount(codes, weights=y, minlength=clusters).astype(float),
        xtx=x.T @ x,
        xty=x.T @ y,
        y=y,
        x=x,
    )


def _fit(sums: _Sums, ratio: float) -> _Fit:
    shrink = 1 / (1 + ratio * sums.sizes)
    weight = (ratio * shrink)[:, None]
    xvx = sums.xtx - (sums.x_sums * weight).T @ sums.x_sums
    beta = np.linalg.solve(xvx, sums.xty - (sums.x_sums * weight).T @ sums.y_sums).astype(float)
    residual = sums.y - sums.x @ beta
    residual_sums = sums.y_sums - sums.x_sums @ beta
    rvr = float(residual @ residual) - float(np.sum(ratio * shrink * residual_sums**2))
    return _Fit(shrink=shrink, xvx=xvx, beta=beta, residual_sums=residual_sums, rvr=rvr)


def _first_derivatives(sums: _Sums, fit: _Fit) -> tuple[Floats, float]:
    """d(X'V^-1X)/dg and d(r'V^-1r)/dg: V^-1 Z Z' V^-1 is shrink_j^2 11' in cluster j."""
    squared = fit.shrink**2
    return -(sums.x_sums * squared[:, None]).T @ sums.x_sums, -float(np.sum(squared * fit.residual_sums**2))


def _slope(sums: _Sums, ratio: float) -> float:
    """The derivative of the profiled REML log-likelihood with respect to g (b at its GLS value)."""
    fit = _fit(sums, ratio)
    dxvx, drvr = _first_derivatives(sums, fit)
    log_det_v = float(np.sum(sums.sizes * fit.shrink))
    log_det_xvx = float(np.trace(np.linalg.solve(fit.xvx, dxvx)))
    return -0.5 * log_det_v - 0.5 * log_det_xvx - 0.5 * sums.residual_df * drvr / fit.rvr


def _variance_ratio(sums: _Sums) -> float:
    if _slope(sums, 0.0) <= 0:
        return 0.0
    high = 1.0
    while _slope(sums, high) > 0:
        high *= 2
        if high > 1e12:
            raise TrialDataError("The between-cluster variance does not settle: check the clusters.")
    return float(optimize.brentq(lambda ratio: _slope(sums, ratio), 0.0, high, xtol=1e-15, rtol=1e-15))


def _arm_variance(sums: _Sums, fit: _Fit) -> float:
    """The arm's entry of the inverse observed information for (b, g), as statsmodels computes it."""
    dxvx, drvr = _first_derivatives(sums, fit)
    cubed = 2 * sums.sizes * fit.shrink**3
    d2xvx = (sums.x_sums * cubed[:, None]).T @ sums.x_sums
    d2rvr = float(np.sum(cubed * fit.residual_sums**2))
    inverse = np.linalg.inv(fit.xvx)
    first = inverse @ dxvx
    df = sums.residual_df
    ratio_ratio = (
        0.5 * float(np.sum(sums.sizes**2 * fit.shrink**2))
        - 0.5 * (float(np.trace(inverse @ d2xvx)) - float(np.trace(first @ first)))
        - 0.5 * df * (d2rvr / fit.rvr - (drvr / fit.rvr) ** 2)
    )
    beta_ratio = -df * ((sums.x_sums * (fit.shrink**2)[:, None]).T @ fit.residual_sums) / fit.rvr
    beta_beta = -df * fit.xvx / fit.rvr
    hessian = np.block([[beta_beta, beta_ratio[:, None]], [beta_ratio[None, :], np.array([[ratio_ratio]])]])
    return float(np.linalg.inv(-hessian)[ARM, ARM])


def cluster_codes(labels: Sequence[Any] | NDArray[Any]) -> tuple[NDArray[np.intp], int]:
    values = np.asarray(labels)
    if values.dtype == object:
        values = values.astype(str)
    levels, codes = np.unique(values, return_inverse=True)
    return codes.astype(np.intp), len(levels)


def mixed_model(data: TrialData, clusters: Sequence[Any] | NDArray[Any]) -> MixedModel:
    """Complete cases, one cluster label per person (the cohort or group each was randomised with)."""
    if len(clusters) != len(data.treated):
        raise TrialDataError("Clusters must have one label per person.")
    rows = complete_rows(data)
    if data.treated[rows].all() or not data.treated[rows].any():
        raise TrialDataError("Complete cases are all in one arm.")
    codes, count = cluster_codes(np.asarray(clusters)[rows])
    if count < 2:
        raise TrialDataError("A mixed model needs at least two clusters.")
    x, y = design(data, data.outcome, data.baseline, rows)
    if len(y) <= x.shape[1]:
        raise TrialDataError(f"Too few complete rows ({len(y)}) for {x.shape[1]} terms in the model.")
    sums = _sums(x, y, codes, count)
    ratio = _variance_ratio(sums)
    fit = _fit(sums, ratio)
    within = fit.rvr / sums.residual_df
    between = ratio * within
    value = float(fit.beta[ARM])
    se = float(np.sqrt(_arm_variance(sums, fit)))
    arm = Estimate(
        estimate=value,
        se=se,
        ci95=(value - Z95 * se, value + Z95 * se),
        p=float(2 * stats.norm.sf(abs(value / se))),
    )
    return MixedModel(
        arm=arm,
        icc=between / (between + within),
        between_variance=between,
        within_variance=within,
        clusters=count,
    )
