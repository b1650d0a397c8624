"""Reliable change with the trial's own reliability, and recovery, compared between arms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep

from carecommons.trials.analysis import TrialDataError
from carecommons.trials.change import (
    cronbach_alpha,
    recovery_by_arm,
    reliable_change,
    reliable_deterioration_by_arm,
    reliable_improvement_by_arm,
)


def answers(seed: int, people: int = 200, items: int = 9) -> np.ndarray:
    """PHQ-9-like answers 0–3 driven by one trait, so the items hang together; a few left blank."""
    rng = np.random.default_rng(seed)
    trait = rng.normal(0, 1, people)[:, None]
    grid = np.clip(np.round(1.5 + trait + rng.normal(0, 0.8, (people, items))), 0, 3)
    grid[rng.random(grid.shape) < 0.02] = np.nan
    return grid


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cronbach_alpha_equals_the_average_covariance_form_on_complete_rows(seed: int) -> None:
    grid = answers(seed)
    complete = grid[~np.isnan(grid).any(axis=1)]
    k = grid.shape[1]
    cov = np.cov(complete, rowvar=False)
    mean_var, mean_cov = np.mean(np.diag(cov)), (cov.sum() - np.trace(cov)) / (k * (k - 1))
    assert cronbach_alpha(grid) == pytest.approx(k * mean_cov / (mean_var + (k - 1) * mean_cov), abs=1e-12)
    assert 0.7 < cronbach_alpha(grid) < 1


def test_items_that_do_not_hang_together_have_alpha_near_zero() -> None:
    noise = np.random.default_rng(4).integers(0, 4, (500, 9)).astype(float)
    assert abs(cronbach_alpha(noise)) < 0.15


@pytest.mark.parametrize("grid", [np.ones((5, 1)), np.array([[1.0, np.nan], [2.0, 3.0]]), np.ones((4, 3))])
def test_alpha_refuses_what_it_cannot_compute(grid: np.ndarray) -> None:
    with pytest.raises(TrialDataError):
        cronbach_alpha(grid)


def test_reliable_change_is_the_difference_over_s_diff_with_the_sign_set_by_direction() -> None:
    """Jacobson & Truax (1991), J Consult Clin Psychol 59:12: RC = (x2 - x1) / S_diff,
    S_diff = sqrt(2 SE^2), SE = s1 sqrt(1 - r_xx). Computed by hand here: no printed worked example
    with its numbers could be retrieved."""
    pre = np.array([20.0, 20.0, 20.0, 12.0, np.nan, 8.0])
    post = np.array([10.0, 18.0, 28.0, 12.0, 5.0, np.nan])
    found = reliable_change(pre, post, reliability=0.84, lower_is_better=True, sd_pre=5.0)
    s_diff = np.sqrt(2 * (5.0 * np.sqrt(1 - 0.84)) ** 2)
    assert found.s_diff == pytest.approx(s_diff, abs=1e-12)
    assert found.smallest_reliable_change == pytest.approx(1.959963984540054 * s_diff)
    assert found.index[:4] == pytest.approx((post[:4] - pre[:4]) / s_diff)
    assert found.verdicts() == [
        "improved",
        "no reliable change",
        "deteriorated",
        "no reliable change",
        None,
        None,
    ]
    higher = reliable_change(pre, post, reliability=0.84, lower_is_better=False, sd_pre=5.0)
    assert higher.verdicts()[:3] == ["deteriorated", "no reliable change", "improved"]


def test_the_baseline_sd_defaults_to_that_of_everyone_with_a_baseline() -> None:
    pre = np.array([10.0, 14.0, 18.0, np.nan, 22.0])
    found = reliable_change(pre, pre + 1, reliability=0.9, lower_is_better=True)
    assert found.s_diff == pytest.approx(np.nanstd(pre, ddof=1) * np.sqrt(2) * np.sqrt(0.1))


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 0.99), st.floats(0.5, 20), st.floats(-30, 30))
def test_a_change_is_reliable_exactly_when_it_exceeds_the_smallest_reliable_change(
    reliability: float, sd: float, change: float
) -> None:
    found = reliable_change(
        np.array([15.0]), np.array([15.0 + change]), reliability=reliability, lower_is_better=True, sd_pre=sd
    )
    reliable = bool(found.improved[0] or found.deteriorated[0])
    actual = (15.0 + change) - 15.0
    assert reliable == (abs(actual) / found.s_diff > 1.959963984540054)
    assert not (found.improved[0] and found.deteriorated[0])


def test_reliable_change_by_arm_counts_paired_people_and_matches_statsmodels_newcombe() -> None:
    rng = np.random.default_rng(9)
    treated = rng.random(160) < 0.5
    pre = rng.normal(15, 5, 160)
    post = pre - np.where(treated, 5, 1) + rng.normal(0, 4, 160)
    post[rng.random(160) < 0.15] = np.nan
    change = reliable_change(pre, post, reliability=0.85, lower_is_better=True)
    improved = reliable_improvement_by_arm(change, treated)
    paired = ~np.isnan(post)
    events_t, n_t = int((change.improved & treated).sum()), int((paired & treated).sum())
    events_c, n_c = int((change.improved & ~treated).sum()), int((paired & ~treated).sum())
    assert (improved.treatment.events, improved.treatment.n) == (events_t, n_t)
    assert (improved.control.events, improved.control.n) == (events_c, n_c)
    expected = confint_proportions_2indep(events_t, n_t, events_c, n_c, method="newcomb", compare="diff")
    assert improved.ci95 == pytest.approx(expected, abs=1e-6)
    assert improved.difference > 0 and improved.nnt.direction == "benefit"
    worse = reliable_deterioration_by_arm(change, treated)
    assert worse.difference <= 0 and worse.nnt.direction in ("benefit", None)


def test_recovery_is_counted_among_baseline_cases_by_arm() -> None:
    treated = np.array([True] * 6 + [False] * 6)
    case_at_start = np.array([True, True, True, True, False, False, True, True, True, True, True, False])
    case_at_end = np.array([False, False, False, True, False, True, True, True, False, True, True, True])
    found = recovery_by_arm(case_at_start, case_at_end, treated)
    assert (found.treatment.events, found.treatment.n) == (3, 4)
    assert (found.control.events, found.control.n) == (1, 5)
    assert found.difference == pytest.approx(3 / 4 - 1 / 5)
    assert found.nnt.value == pytest.approx(1 / (3 / 4 - 1 / 5))
