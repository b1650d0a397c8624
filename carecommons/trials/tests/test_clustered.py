"""The mixed model for cluster allocation against statsmodels' MixedLM (REML, its default), to 1e-6.

statsmodels is asked to converge tightly (gtol=1e-12) so the comparison is of the two models, not
of its optimiser's default tolerance; at that setting the figures agree to about 1e-12."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from carecommons.trials.analysis import Covariate, TrialData, TrialDataError
from carecommons.trials.clustered import mixed_model


def cohorts(seed: int, *, clusters: int = 24, people: int = 300, spread: float = 1.5) -> pd.DataFrame:
    """Whole cohorts randomised (odd-numbered ones to the programme), two sites, some outcomes missing."""
    rng = np.random.default_rng(seed)
    cohort = rng.integers(0, clusters, people)
    arm = np.where(cohort % 2 == 1, "radsec", "waiting")
    site = np.where(cohort < clusters // 2, "Hackney", "Salford")
    baseline = rng.normal(14, 5, people)
    outcome = (
        2
        + 0.6 * baseline
        - 2.0 * (arm == "radsec")
        + (site == "Salford") * 1.0
        + rng.normal(0, spread, clusters)[cohort]
        + rng.normal(0, 3, people)
    )
    outcome[rng.random(people) < 0.1] = np.nan
    return pd.DataFrame(
        {"arm": arm, "site": site, "cohort": cohort, "baseline": baseline, "outcome": outcome}
    )


def trial(frame: pd.DataFrame) -> TrialData:
    return TrialData(
        outcome=frame["outcome"].to_numpy(float),
        baseline=frame["baseline"].to_numpy(float),
        treated=(frame["arm"] == "radsec").to_numpy(),
        covariates=[Covariate(name="site", values=list(frame["site"]), categorical=True)],
    )


def statsmodels_fit(frame: pd.DataFrame) -> object:
    complete = frame.dropna(subset=["outcome", "baseline"]).assign(
        treated=lambda f: (f.arm == "radsec") * 1.0
    )
    model = smf.mixedlm("outcome ~ baseline + treated + C(site)", complete, groups=complete["cohort"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(gtol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3, 2024])
def test_mixed_model_equals_statsmodels_mixedlm_reml(seed: int) -> None:
    frame = cohorts(seed)
    ours = mixed_model(trial(frame), frame["cohort"].to_numpy())
    fit = statsmodels_fit(frame)
    low, high = fit.conf_int().loc["treated"]  # type: ignore[attr-defined]
    assert ours.arm.estimate == pytest.approx(fit.fe_params["treated"], abs=1e-6)  # type: ignore[attr-defined]
    assert ours.arm.se == pytest.approx(fit.bse_fe["treated"], abs=1e-6)  # type: ignore[attr-defined]
    assert ours.arm.p == pytest.approx(fit.pvalues["treated"], abs=1e-6)  # type: ignore[attr-defined]
    assert ours.arm.ci95 == pytest.approx((low, high), abs=1e-6)
    between = float(fit.cov_re.iloc[0, 0])  # type: ignore[attr-defined]
    assert ours.between_variance == pytest.approx(between, abs=1e-6)
    assert ours.within_variance == pytest.approx(fit.scale, abs=1e-6)  # type: ignore[attr-defined]
    assert ours.icc == pytest.approx(between / (between + fit.scale), abs=1e-6)  # type: ignore[attr-defined]
    assert ours.clusters == frame.dropna(subset=["outcome"])["cohort"].nunique()


def test_icc_is_near_zero_without_a_cluster_effect_and_large_with_one() -> None:
    none, strong = cohorts(5, spread=0.0, people=600), cohorts(5, spread=4.0, people=600)
    assert mixed_model(trial(none), none["cohort"].to_numpy()).icc < 0.05
    assert mixed_model(trial(strong), strong["cohort"].to_numpy()).icc > 0.4


def test_cluster_labels_may_be_text() -> None:
    frame = cohorts(8)
    by_number = mixed_model(trial(frame), frame["cohort"].to_numpy())
    by_name = mixed_model(trial(frame), [f"cohort {c}" for c in frame["cohort"]])
    assert by_name.arm.estimate == pytest.approx(by_number.arm.estimate, abs=1e-12)
    assert by_name.arm.se == pytest.approx(by_number.arm.se, abs=1e-12)
    assert by_name.icc == pytest.approx(by_number.icc, abs=1e-12)


@pytest.mark.parametrize(
    ("labels", "message"),
    [(lambda n: ["one"] * n, "at least two clusters"), (lambda n: ["a"] * (n - 1), "one label per person")],
)
def test_unusable_clusters_are_refused(labels: object, message: str) -> None:
    frame = cohorts(4)
    with pytest.raises(TrialDataError, match=message):
        mixed_model(trial(frame), labels(len(frame)))  # type: ignore[operator]
