"""Cohen's kappa per capital: equal to statsmodels' `cohens_kappa` (kappa, the Fleiss, Cohen &
Everitt standard error, the 95% interval) to 1e-6 on seeded data, and to printed worked examples."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa as statsmodels_kappa

from carecommons.ripples.agreement import Table, agreement_by_capital, cohens_kappa
from carecommons.ripples.capitals import CAPITAL_IDS

# statsmodels' own NaNs where a variance is zero (see below) warn; they are compared on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")


def assert_equals_statsmodels(table: Table) -> None:
    """Where the variance is zero (perfect agreement, or a coder who never varies) statsmodels'
    arithmetic can leave it a hair below zero, a NaN standard error; ours is held at zero."""
    found = cohens_kappa(table)
    assert found is not None
    expected = statsmodels_kappa(
        [[table.both_yes, table.first_only], [table.second_only, table.both_no]], return_results=True
    )
    assert found.value == pytest.approx(expected.kappa, abs=1e-6)
    if expected.var_kappa < 0:
        assert expected.var_kappa > -1e-12
        assert found.standard_error == 0.0 and found.ci95 == (found.value, found.value)
        return
    assert found.standard_error == pytest.approx(expected.std_kappa, abs=1e-6)
    assert found.ci95 == pytest.approx((expected.kappa_low, expected.kappa_upp), abs=1e-6)


def test_kappa_per_capital_equals_statsmodels_on_seeded_codes() -> None:
    rng = random.Random(20250515)
    for _ in range(40):
        ripples = range(rng.randint(5, 120))
        tendency = {capital: rng.random() for capital in CAPITAL_IDS}
        first = {r: {c for c in CAPITAL_IDS if rng.random() < tendency[c]} for r in ripples}
        # The second coder mostly follows the first, and sometimes codes on their own.
        second = {r: {c for c in CAPITAL_IDS if (c in first[r]) != (rng.random() < 0.2)} for r in ripples}
        for agreement in agreement_by_capital(first, second):
            if agreement.kappa is not None:
                assert_equals_statsmodels(agreement.table)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    table = Table(*(draw(st.integers(0, 60)) for _ in range(4)))
    if table.n in (0, table.both_yes, table.both_no):
        table = Table(table.both_yes, table.first_only + 1, table.second_only, table.both_no + 1)
    return table


@settings(max_examples=300, deadline=None)
@given(tables())
def test_kappa_and_its_interval_equal_statsmodels_for_any_defined_table(table: Table) -> None:
    assert_equals_statsmodels(table)


def test_the_grant_proposals_example_of_two_readers() -> None:
    """The worked example of Wikipedia's "Cohen's kappa" article (also at
    howcodex.com/statistics/cohen_kappa_coefficient.htm): 50 proposals, both readers yes 20, A yes B
    no 5, A no B yes 10, both no 15; "p_o = 0.70", chance agreement 0.50, kappa 0.40."""
    [agreement] = agreement_by_capital(
        {i: {"social"} if i < 25 else set() for i in range(50)},
        {i: {"social"} if i < 20 or 25 <= i < 35 else set() for i in range(50)},
        capitals=["social"],
    )
    assert agreement.table == Table(both_yes=20, first_only=5, second_only=10, both_no=15)
    assert agreement.observed == pytest.approx(0.70)
    assert agreement.kappa is not None
    assert agreement.kappa.value == pytest.approx(0.40)


def test_elisa_against_ultrasound_agrees_as_watson_and_petrie_print() -> None:
    """Watson & Petrie (2010), Theriogenology 73:1167, page 1170, on Silva et al. (2007): ELISA and
    ultrasound both positive 596, ELISA only 61, ultrasound only 29, both negative 987; kappa 0.89
    (95% CI 0.86 to 0.91). Read as the example of epiR's `epi.kappa` quotes it; the paper itself was
    not at hand."""
    kappa = cohens_kappa(Table(596, 61, 29, 987))
    assert kappa is not None
    assert round(kappa.value, 2) == 0.89
    assert (round(kappa.ci95[0], 2), round(kappa.ci95[1], 2)) == (0.86, 0.91)


def test_the_standard_error_matches_fleiss_and_paiks_formula_as_statpsych_prints_it() -> None:
    """Bonett's R package statpsych, `ci.kappa(.05, 31, 12, 4, 58)` (after Fleiss & Paik 2003,
    Statistical Methods for Rates and Proportions), prints Cohen's kappa 0.6756757, SE 0.07344761,
    95% CI 0.5317210 to 0.8196303. Its f11 is both yes and f00 both no."""
    kappa = cohens_kappa(Table(both_yes=58, first_only=4, second_only=12, both_no=31))
    assert kappa is not None
    assert kappa.value == pytest.approx(0.6756757, abs=1e-7)
    assert kappa.standard_error == pytest.approx(0.07344761, abs=1e-8)
    assert kappa.ci95 == pytest.approx((0.5317210, 0.8196303), abs=1e-7)


def test_kappa_is_not_defined_when_both_coders_gave_every_ripple_the_same_code() -> None:
    assert cohens_kappa(Table(12, 0, 0, 0)) is None
    assert cohens_kappa(Table(0, 0, 0, 12)) is None
    assert cohens_kappa(Table(0, 0, 0, 0)) is None
    [agreement] = agreement_by_capital({1: set(), 2: set()}, {1: set(), 2: set()}, capitals=["built"])
    assert agreement.kappa is None and agreement.observed == 1.0


def test_coders_who_never_vary_but_always_differ_have_kappa_zero() -> None:
    kappa = cohens_kappa(Table(0, 9, 0, 0))
    assert kappa is not None and kappa.value == 0.0


def test_ripples_coded_by_one_coder_only_are_left_out() -> None:
    first = {1: {"human"}, 2: {"human", "social"}, 3: {"human"}}
    second = {1: {"human"}, 2: {"social"}, 4: {"human"}}
    by_capital = {a.capital: a for a in agreement_by_capital(first, second)}
    assert by_capital["human"].table == Table(both_yes=1, first_only=1, second_only=0, both_no=0)
    assert by_capital["social"].table == Table(both_yes=1, first_only=0, second_only=0, both_no=1)
    assert by_capital["built"].table == Table(both_yes=0, first_only=0, second_only=0, both_no=2)
    assert [a.capital for a in agreement_by_capital(first, second)] == list(CAPITAL_IDS)
    assert agreement_by_capital({}, second)[0].observed is None
