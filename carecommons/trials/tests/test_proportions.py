"""Proportions by arm: Newcombe's interval against statsmodels to 1e-6, and the number needed to
treat against two published worked inversions."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from carecommons.trials.analysis import TrialDataError
from carecommons.trials.proportions import Proportion, compare_proportions, number_needed_to_treat


@st.composite
def arms(draw: st.DrawFn) -> tuple[int, int, int, int]:
    n_t, n_c = draw(st.integers(1, 400)), draw(st.integers(1, 400))
    return draw(st.integers(0, n_t)), n_t, draw(st.integers(0, n_c)), n_c


@settings(max_examples=200, deadline=None)
@given(arms())
def test_the_difference_and_its_interval_equal_statsmodels_newcombe(
    counts: tuple[int, int, int, int],
) -> None:
    events_t, n_t, events_c, n_c = counts
    found = compare_proportions(Proportion(events_t, n_t), Proportion(events_c, n_c))
    expected = confint_proportions_2indep(events_t, n_t, events_c, n_c, method="newcomb", compare="diff")
    assert found.difference == pytest.approx(events_t / n_t - events_c / n_c, abs=1e-12)
    assert found.ci95 == pytest.approx(expected, abs=1e-6)
    assert found.ci95[0] <= found.difference <= found.ci95[1]
    assert Proportion(events_t, n_t).wilson() == pytest.approx(
        proportion_confint(events_t, n_t, method="wilson"), abs=1e-6
    )


def test_a_significant_difference_inverts_to_an_nnt_interval_barrowman_2002() -> None:
    """Barrowman (2002), CMAJ 166:1676, worked example: absolute risk reduction 16.6 % (95 % CI
    0.9 % to 32.2 %) gives NNT 1/0.166 "approximately 6", with 95 % CI "1/0.009 to 1/0.322 or
    approximately 3.1–111.1". A risk reduction is a difference in a good outcome."""
    nnt = number_needed_to_treat(0.166, (0.009, 0.322))
    assert round(nnt.value) == 6 and nnt.direction == "benefit" and not nnt.through_infinity
    low, high = nnt.ci95
    assert (round(low.value, 1), round(high.value, 1)) == (3.1, 111.1)
    assert low.direction == high.direction == "benefit"
    assert nnt.text() == "NNTB 6.0 (95% CI NNTB 3.1 to NNTB 111.1)"
    # The same trial counted by its bad outcome: treatment minus control is -16.6 points of harm avoided.
    assert number_needed_to_treat(-0.166, (-0.322, -0.009), event_is_good=False) == nnt


def test_an_interval_that_includes_no_difference_runs_through_infinity_altman_1998() -> None:
    """Altman (1998), BMJ 317:1309, as Newcombe's reply (BMJ rapid response, 5 January 1999) states
    it: an absolute risk reduction CI "from, say, -5% to +25% inverts to a confidence interval that
    goes from a number needed to treat to benefit (NNTB) of 4, through infinity to a number needed
    to treat to harm (NNTH) of 20"."""
    nnt = number_needed_to_treat(0.10, (-0.05, 0.25))
    assert nnt.through_infinity
    (low, high) = nnt.ci95
    assert (low.direction, high.direction) == ("benefit", "harm")
    assert (low.value, high.value) == pytest.approx((4.0, 20.0))
    assert nnt.text() == "NNTB 10.0 (95% CI NNTB 4.0 to ∞ to NNTH 20.0)"


def test_no_difference_has_an_infinite_nnt() -> None:
    found = compare_proportions(Proportion(5, 20), Proportion(5, 20))
    assert math.isinf(found.nnt.value) and found.nnt.direction is None
    assert found.nnt.text().startswith("NNT ∞ (95% CI NNTB")


def test_a_bad_event_more_common_with_treatment_is_harm() -> None:
    found = compare_proportions(Proportion(30, 50), Proportion(10, 50), event_is_good=False)
    assert found.difference == pytest.approx(0.4)
    assert found.nnt.direction == "harm" and found.nnt.value == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("treatment", "control"), [(Proportion(1, 0), Proportion(1, 2)), (Proportion(3, 2), Proportion(1, 2))]
)
def test_impossible_counts_are_refused(treatment: Proportion, control: Proportion) -> None:
    with pytest.raises(TrialDataError):
        compare_proportions(treatment, control)
