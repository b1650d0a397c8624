"""Holm's step-down adjustment against statsmodels' multipletests(method="holm") and a printed example."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from carecommons.trials.multiplicity import holm

pvalues = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None)  # multipletests takes ~0.1 s a call
@given(pvalues)
def test_holm_equals_statsmodels_and_is_monotone_and_capped(raw: list[float]) -> None:
    adjusted = holm(raw)
    assert adjusted == pytest.approx(list(multipletests(raw, method="holm")[1]), abs=1e-12)
    assert all(p <= a <= 1 for p, a in zip(raw, adjusted, strict=True))
    order = np.argsort(raw, kind="stable")
    assert all(np.diff(np.array(adjusted)[order]) >= 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_holm_equals_statsmodels_on_seeded_pvalues(seed: int) -> None:
    raw = np.random.default_rng(seed).uniform(0, 0.2, 9)
    assert holm(list(raw)) == pytest.approx(list(multipletests(raw, method="holm")[1]), abs=1e-6)


def test_the_printed_example_of_pingouins_documentation() -> None:
    """pingouin.holm's documented example (Holm 1979 cited): p = .50, .003, .32, .054, .0003 adjust
    to 0.64, 0.012, 0.64, 0.162, 0.0015. A software manual's example, not a textbook's: no textbook
    example with printed Holm-adjusted p-values could be found from here."""
    assert holm([0.50, 0.003, 0.32, 0.054, 0.0003]) == pytest.approx([0.64, 0.012, 0.64, 0.162, 0.0015])


def test_one_pvalue_is_unchanged_and_none_is_nothing() -> None:
    assert holm([0.03]) == [0.03]
    assert holm([]) == []


@pytest.mark.parametrize("bad", [[0.1, float("nan")], [1.2], [-0.1]])
def test_a_pvalue_outside_0_to_1_is_refused(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="from 0 to 1"):
        holm(bad)
