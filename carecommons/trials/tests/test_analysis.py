"""The trial analyses against statsmodels on seeded data (to 1e-6), and against a worked example."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.meta_analysis import effectsize_smd

from carecommons.trials.analysis import (
    Covariate,
    TrialData,
    TrialDataError,
    ancova,
    ancova_imputed,
    hedges_g,
    morris_dppc2,
)


def seeded(n: int = 240, seed: int = 7, missing: float = 0.15) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = rng.permutation(np.repeat(["radsec", "waiting"], n // 2))
    site = rng.choice(["Hackney", "Salford", "Leeds"], n)
    age = rng.integers(18, 70, n).astype(float)
    baseline = rng.normal(14, 5, n)
    effect = np.where(arm == "radsec", -3.0, 0.0)
    outcome = 2 + 0.6 * baseline + effect + np.where(site == "Salford", 1.0, 0.0) + 0.02 * age
    outcome = outcome + rng.normal(0, 3.5, n)
    outcome[rng.random(n) < missing] = np.nan
    return pd.DataFrame({"arm": arm, "site": site, "age": age, "baseline": baseline, "outcome": outcome})


def trial(frame: pd.DataFrame, *covariates: str) -> TrialData:
    return TrialData(
        outcome=frame["outcome"].to_numpy(float),
        baseline=frame["baseline"].to_numpy(float),
        treated=(frame["arm"] == "radsec").to_numpy(),
        covariates=[
            Covariate(name=c, values=list(frame[c]), categorical=not pd.api.types.is_numeric_dtype(frame[c]))
            for c in covariates
        ],
    )


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_ancova_equals_statsmodels_ols_with_a_numeric_and_a_categorical_covariate(seed: int) -> None:
    frame = seeded(seed=seed)
    ours = ancova(trial(frame, "age", "site"))
    complete = frame.dropna(subset=["outcome", "baseline"]).assign(
        treated=lambda f: (f.arm == "radsec") * 1.0
    )
    fit = smf.ols("outcome ~ baseline + treated + age + C(site)", data=complete).fit()
    low, high = fit.conf_int().loc["treated"]
    assert ours.estimate == pytest.approx(fit.params["treated"], abs=1e-6)
    assert ours.se == pytest.approx(fit.bse["treated"], abs=1e-6)
    assert ours.p == pytest.approx(fit.pvalues["treated"], abs=1e-6)
    assert ours.ci95 == pytest.approx((low, high), abs=1e-6)


def test_ancova_equals_statsmodels_across_chunks_and_with_scores_far_from_zero() -> None:
    """ANCOVA sums [X y]'[X y] a chunk of rows at a time: 150,000 people span three chunks, and
    scores near 10,000 with a small spread would lose digits if y'y were summed unshifted."""
    frame = seeded(n=150_000, seed=5).assign(
        baseline=lambda f: f.baseline / 50 + 10_000, outcome=lambda f: f.outcome / 50 + 10_000
    )
    ours = ancova(trial(frame, "site"))
    complete = frame.dropna(subset=["outcome", "baseline"]).assign(
        treated=lambda f: (f.arm == "radsec") * 1.0
    )
    fit = smf.ols("outcome ~ baseline + treated + C(site)", data=complete).fit()
    assert ours.estimate == pytest.approx(fit.params["treated"], abs=1e-6)
    assert ours.se == pytest.approx(fit.bse["treated"], rel=1e-6)
    assert ours.p == pytest.approx(fit.pvalues["treated"], abs=1e-6)


def test_hedges_g_equals_statsmodels_effectsize_smd() -> None:
    frame = seeded(missing=0.0)
    t = frame.loc[frame.arm == "radsec", "outcome"].to_numpy()
    c = frame.loc[frame.arm == "waiting", "outcome"].to_numpy()
    ours = hedges_g(t, c)
    smd, var = effectsize_smd(t.mean(), t.std(ddof=1), len(t), c.mean(), c.std(ddof=1), len(c))
    assert ours.value == pytest.approx(smd, abs=1e-6)
    half = 1.959963984540054 * np.sqrt(var)
    assert ours.ci95 == pytest.approx((smd - half, smd + half), abs=1e-6)


def test_morris_dppc2_is_the_bias_corrected_difference_in_change_over_the_pooled_baseline_sd() -> None:
    """Morris (2008), Organizational Research Methods 11:364, equation 8, computed by hand on
    seeded scores; equal change in both arms is no effect, and swapping the arms flips the sign."""
    frame = seeded(missing=0.0)
    t, c = frame[frame.arm == "radsec"], frame[frame.arm == "waiting"]
    pre_t, post_t = t["baseline"].to_numpy(), t["outcome"].to_numpy()
    pre_c, post_c = c["baseline"].to_numpy(), c["outcome"].to_numpy()
    found = morris_dppc2(pre_t, post_t, pre_c, post_c)
    n_t, n_c = len(pre_t), len(pre_c)
    c_p = 1 - 3 / (4 * (n_t + n_c - 2) - 1)
    pooled = np.sqrt(((n_t - 1) * pre_t.var(ddof=1) + (n_c - 1) * pre_c.var(ddof=1)) / (n_t + n_c - 2))
    by_hand = c_p * ((post_t.mean() - pre_t.mean()) - (post_c.mean() - pre_c.mean())) / pooled
    assert found.value == pytest.approx(by_hand, abs=1e-12)
    assert found.value < 0 and found.ci95[0] < found.value < found.ci95[1]
    assert morris_dppc2(pre_c, post_c, pre_t, post_t).value == pytest.approx(-found.value, abs=1e-12)
    same = morris_dppc2(pre_t, pre_t + 2.0, pre_c, pre_c + 2.0)
    assert same.value == pytest.approx(0.0, abs=1e-12)


def test_imputation_is_close_to_complete_cases_when_data_are_missing_at_random_and_wider() -> None:
    frame = seeded(n=400, seed=11, missing=0.2)
    data = trial(frame, "site")
    complete, imputed = ancova(data), ancova_imputed(data)
    assert imputed.estimate == pytest.approx(complete.estimate, abs=0.5)
    assert imputed.ci95[0] < -3 < imputed.ci95[1]
    assert ancova_imputed(data) == imputed  # seeded: the same numbers every run


def test_one_arm_only_is_refused() -> None:
    frame = seeded()
    with pytest.raises(TrialDataError, match="one arm"):
        TrialData(
            outcome=frame["outcome"].to_numpy(float),
            baseline=frame["baseline"].to_numpy(float),
            treated=np.ones(len(frame), dtype=bool),
        )


def with_moments(
    rng: np.random.Generator, n: int, means: tuple[float, float], sds: tuple[float, float], r: float
) -> tuple[np.ndarray, np.ndarray]:
    """n pairs whose sample means, SDs and correlation are exactly those given."""
    z = rng.normal(size=(n, 2))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False))).T
    target = np.array([[sds[0] ** 2, r * sds[0] * sds[1]], [r * sds[0] * sds[1], sds[1] ** 2]])
    pairs = z @ np.linalg.cholesky(target).T + np.array(means)
    return pairs[:, 0], pairs[:, 1]


# Morris (2008), Organizational Research Methods 11:364, five training studies from Carlson &
# Schmidt (1999): per arm (pre mean, post mean, pre SD, post SD, n) and the pre-post correlation.
CARLSON_SCHMIDT = [
    ((30.6, 38.5, 15.0, 11.6, 20), (23.1, 19.7, 13.8, 14.8, 20), 0.47),
    ((23.5, 26.8, 3.1, 4.1, 50), (24.9, 25.3, 4.1, 3.3, 42), 0.64),
    ((0.5, 0.7, 0.1, 0.1, 9), (0.6, 0.6, 0.2, 0.2, 9), 0.77),
    ((53.4, 75.9, 14.5, 4.4, 10), (55.7, 60.7, 17.3, 17.9, 11), 0.89),
    ((35.6, 36.0, 4.7, 4.6, 14), (34.8, 33.4, 3.1, 6.9, 14), 0.44),
]


def test_morris_dppc2_reproduces_morris_2008_table_5() -> None:
    """Morris (2008) Table 5, d_ppc2 column: 0.77, 0.80, 1.20, 1.05, 0.44, as metafor's documentation
    (metafor-project.org, analyses:morris2008) reproduces them from the same five studies. Scores
    are generated with exactly the published means, SDs and correlations."""
    rng = np.random.default_rng(1999)
    found = []
    for (m_pre_t, m_post_t, sd_pre_t, sd_post_t, n_t), (
        m_pre_c,
        m_post_c,
        sd_pre_c,
        sd_post_c,
        n_c,
    ), r in CARLSON_SCHMIDT:
        pre_t, post_t = with_moments(rng, n_t, (m_pre_t, m_post_t), (sd_pre_t, sd_post_t), r)
        pre_c, post_c = with_moments(rng, n_c, (m_pre_c, m_post_c), (sd_pre_c, sd_post_c), r)
        effect = morris_dppc2(pre_t, post_t, pre_c, post_c)
        assert effect.ci95[0] < effect.value < effect.ci95[1]
        found.append(round(effect.value, 2))
    assert found == [0.77, 0.80, 1.20, 1.05, 0.44]


def test_a_baseline_that_never_varies_is_refused_with_a_reason_not_a_numerical_error():
    rng = np.random.default_rng(5)
    data = TrialData(
        outcome=rng.normal(10, 3, 40),
        baseline=np.full(40, 12.0),
        treated=np.arange(40) % 2 == 0,
    )
    with pytest.raises(TrialDataError, match="does not vary"):
        ancova(data)
