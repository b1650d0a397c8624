"""NHS Talking Therapies style outcomes and cohort change, worked by hand and as properties.

Thresholds come from the shipped definitions: PHQ-9 case at 10 or more, reliable change 6 points;
GAD-7 case at 8 or more, reliable change 4 points.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.small_numbers import FEWER_THAN, HIDDEN_LARGE, pinned
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.reporting import outcomes
from carecommons.measures.reporting.outcomes import Observation, Paired, Tally, classify, pair, tally

PHQ9 = outcomes.outcome_scale(get_instrument("phq9"))
GAD7 = outcomes.outcome_scale(get_instrument("gad7"))
CORE10 = get_instrument("core10").scale("total")
CEAS = get_instrument("ceas_self").scale("engagement")


def outcome(
    phq: tuple[float, float], gad: tuple[float, float], rule: outcomes.ChangeRule = "nhs"
) -> outcomes.Outcome:
    return classify(Paired(phq, gad), PHQ9, GAD7, rule)


def test_the_thresholds_come_from_the_definitions() -> None:
    assert PHQ9.caseness is not None and PHQ9.caseness.at_least == 10
    assert PHQ9.reliable_change is not None and PHQ9.reliable_change.at_least == 6
    assert GAD7.caseness is not None and GAD7.caseness.at_least == 8
    assert GAD7.reliable_change is not None and GAD7.reliable_change.at_least == 4


def test_a_scale_without_thresholds_cannot_be_an_outcome_measure() -> None:
    with pytest.raises(ValueError, match="no scale with both"):
        outcomes.outcome_scale(get_instrument("ceas_self"))


def test_an_unknown_change_rule_is_refused() -> None:
    assert outcomes.change_rule("either") == "either"
    with pytest.raises(ValueError, match="nhs, either"):
        outcomes.change_rule("loose")


def test_a_case_who_falls_below_both_cut_offs_by_reliable_amounts_is_reliably_recovered() -> None:
    result = outcome((14, 8), (9, 5))
    assert result.case_at_start and result.recovered
    assert result.reliably_improved and result.reliably_recovered
    assert not result.reliably_deteriorated


def test_scores_exactly_at_the_cut_offs_are_cases() -> None:
    assert outcome((10, 0), (0, 0)).case_at_start
    assert outcome((0, 0), (8, 0)).case_at_start
    assert not outcome((9, 9), (7, 7)).case_at_start


def test_a_change_of_exactly_the_threshold_is_reliable_and_one_less_is_not() -> None:
    assert outcome((12, 6), (3, 3)).reliably_improved
    assert not outcome((12, 7), (3, 3)).reliably_improved
    assert outcome((3, 3), (8, 4)).reliably_improved
    assert not outcome((3, 3), (8, 5)).reliably_improved
    assert outcome((3, 9), (3, 3)).reliably_deteriorated
    assert not outcome((3, 8), (3, 3)).reliably_deteriorated


def test_still_a_case_on_one_measure_at_the_end_is_not_recovery() -> None:
    result = outcome((14, 4), (12, 8))  # depression well below, anxiety exactly at the cut-off
    assert result.case_at_start and not result.recovered
    assert result.reliably_improved and not result.reliably_recovered


def test_recovery_without_a_reliable_change_is_not_reliable_recovery() -> None:
    result = outcome((11, 8), (5, 5))
    assert result.recovered and not result.reliably_improved and not result.reliably_recovered


def test_a_case_on_anxiety_alone_can_recover() -> None:
    result = outcome((4, 4), (12, 6))
    assert result.case_at_start and result.recovered and result.reliably_recovered


def test_someone_not_a_case_at_the_start_can_improve_but_never_recovers() -> None:
    result = outcome((9, 2), (7, 1))
    assert not result.case_at_start and not result.recovered
    assert result.reliably_improved and not result.reliably_recovered


def test_under_the_nhs_rule_opposite_reliable_changes_cancel_out() -> None:
    result = outcome((20, 12), (5, 10))  # depression 8 better, anxiety 5 worse
    assert not result.reliably_improved and not result.reliably_deteriorated


def test_under_the_either_rule_opposite_reliable_changes_count_both_ways() -> None:
    result = outcome((20, 12), (5, 10), "either")
    assert result.reliably_improved and result.reliably_deteriorated


def test_reliable_deterioration_on_one_measure_with_the_other_steady() -> None:
    result = outcome((5, 12), (3, 3))
    assert result.reliably_deteriorated and not result.reliably_improved and not result.case_at_start


def test_pairing_runs_from_the_first_round_answered_to_the_last() -> None:
    seen = [
        Observation((2, 0), 8, 5),  # end
        Observation((0, 0), 14, 9),  # baseline
        Observation((1, 0), None, 7),  # mid-point, a score missing there does not matter
    ]
    assert pair(seen) == Paired((14, 8), (9, 5))


def test_a_missing_gad7_at_the_start_or_end_leaves_the_person_unpaired() -> None:
    assert pair([Observation((0, 0), 14, None), Observation((2, 0), 8, 5)]) == "score missing"
    assert pair([Observation((0, 0), 14, 9), Observation((3, 4), 8, None)]) == "score missing"


def test_one_round_of_answers_cannot_show_change() -> None:
    assert pair([Observation((0, 0), 14, 9)]) == "one wave"
    assert pair([]) == "one wave"


def test_a_tally_counts_recovery_among_cases_and_change_among_everyone_paired() -> None:
    episodes: list[Paired | outcomes.Unpaired] = [
        Paired((14, 8), (9, 5)),  # case, recovered, reliably improved and recovered
        Paired((11, 8), (5, 5)),  # case, recovered only
        Paired((15, 12), (6, 6)),  # case, nothing
        Paired((9, 2), (7, 1)),  # not a case, reliably improved
        Paired((5, 12), (3, 3)),  # not a case, reliably deteriorated
        "one wave",
        "score missing",
    ]
    result = tally(episodes, PHQ9, GAD7, "nhs")
    assert result == Tally(
        answered=7,
        one_wave=1,
        score_missing=1,
        paired=5,
        cases=3,
        recovered=2,
        reliably_improved=2,
        reliably_recovered=1,
        reliably_deteriorated=1,
    )
    assert result + Tally(answered=1, paired=1) == Tally(
        answered=8,
        one_wave=1,
        score_missing=1,
        paired=6,
        cases=3,
        recovered=2,
        reliably_improved=2,
        reliably_recovered=1,
        reliably_deteriorated=1,
    )


def test_shown_figures_hide_small_counts_and_their_percentages() -> None:
    figures = {row.cell.label: row for row in outcomes.shown_tally(Tally(paired=12, cases=8, recovered=3))}
    assert figures["paired"].count == "12" and figures["paired"].share == ""
    assert figures["cases"].count == "8" and figures["cases"].share == "67%"
    assert figures["recovered"].count == FEWER_THAN and figures["recovered"].share == "–"
    assert figures["reliably_improved"].count == "0" and figures["reliably_improved"].share == "0%"
    assert figures["cases"].of_words == "of those with paired scores"
    assert figures["recovered"].of_words == "of cases at the start"


def test_a_percentage_of_a_hidden_count_is_hidden_even_when_the_part_is_shown() -> None:
    figures = {row.cell.label: row for row in outcomes.shown_tally(Tally(paired=4, cases=0))}
    assert figures["paired"].count == FEWER_THAN
    assert figures["cases"].count == "0" and figures["cases"].share == "–"
    empty = {row.cell.label: row for row in outcomes.shown_tally(Tally())}
    assert empty["recovered"].share == "–"


def test_a_breakdown_hides_one_more_count_when_the_total_would_give_a_small_one_away() -> None:
    rows = outcomes.shown_breakdown(
        [("Cohort A", Tally(paired=10, recovered=3)), ("Cohort B", Tally(paired=12, recovered=7))]
    )
    shown = {label: {row.cell.label: row.count for row in cells} for label, cells in rows}
    assert shown["Cohort A"]["recovered"] == FEWER_THAN
    assert shown["Cohort B"]["recovered"] == HIDDEN_LARGE  # else 10 - 7 gives the 3 away
    assert shown["Cohort A"]["paired"] == "10" and shown["Cohort B"]["paired"] == "12"
    assert shown["Cohort A"]["reliably_deteriorated"] == "0"


def test_zeros_are_never_hidden_as_five_or_more() -> None:
    cells = outcomes.suppress_parts([("a", 0), ("b", 3), ("c", 9), ("d", 0)])
    assert [cell.shown for cell in cells] == ["0", FEWER_THAN, HIDDEN_LARGE, "0"]


def test_parts_that_would_give_a_small_one_away_whatever_is_hidden_are_all_withheld() -> None:
    cells = outcomes.suppress_parts([("improved", 5), ("no change", 1), ("deteriorated", 0)])
    assert [cell.shown for cell in cells] == ["hidden", "hidden", "hidden"]
    rows = outcomes.shown_breakdown([("A", Tally(paired=5)), ("B", Tally(paired=1))])
    assert [cells[0].count for _, cells in rows] == ["hidden", "hidden"]
    assert [cells[1].share for _, cells in rows] == ["–", "–"]


def test_a_spread_of_fewer_than_five_scores_is_hidden() -> None:
    few = outcomes.spread([10, 12, 14, 16])
    assert few.n == 4 and few.shown_n == FEWER_THAN
    assert few.shown_mean == "hidden" and few.shown_sd == "hidden"
    enough = outcomes.spread([10, 12, 14, 16, 18])
    assert enough.shown_n == "5" and enough.shown_mean == "14.0" and enough.shown_sd == "3.2"
    nobody = outcomes.spread([])
    assert nobody.shown_n == "0" and nobody.shown_mean == "–"
    one = outcomes.spread([7])
    assert one.sd is None and one.mean == 7


def test_cohort_change_counts_reliable_change_among_people_with_both_scores() -> None:
    pairs = [(20.0, 12.0), (14, 8), (15, 13), (9, 10), (6, 13), (11, 4)]  # PHQ-9, lower is better
    result = outcomes.change(pairs, PHQ9)
    assert result.n == 6
    assert result.spread.mean == pytest.approx((-8 - 6 - 2 + 1 + 7 - 7) / 6)
    assert result.shown_reliable == [
        ("Reliably improved", FEWER_THAN),
        ("No reliable change", FEWER_THAN),
        ("Reliably deteriorated", FEWER_THAN),
    ]
    counts = [cell.count for cell in result.reliable or []]
    assert counts == [3, 2, 1]


def test_cohort_change_shows_reliable_counts_of_five_or_more() -> None:
    pairs = [(20.0, 12.0)] * 5 + [(10.0, 10.0)] * 6
    assert outcomes.change(pairs, PHQ9).shown_reliable == [
        ("Reliably improved", "5"),
        ("No reliable change", "6"),
        ("Reliably deteriorated", "0"),
    ]


def test_cohort_change_of_fewer_than_five_people_hides_every_reliable_count_even_zeros() -> None:
    result = outcomes.change([(20.0, 12.0), (14, 8), (15, 13)], PHQ9)
    assert [shown for _, shown in result.shown_reliable] == ["hidden"] * 3
    assert result.spread.shown_mean == "hidden"


def test_a_scale_with_no_reliable_change_threshold_has_no_reliable_counts() -> None:
    result = outcomes.change([(30.0, 40.0)] * 5, CEAS)
    assert result.reliable is None and result.shown_reliable == []
    assert result.spread.mean == 10


# --- Properties ---------------------------------------------------------------------------------

phq = st.integers(0, 27).map(float)
gad = st.integers(0, 21).map(float)
pairs = st.builds(Paired, st.tuples(phq, phq), st.tuples(gad, gad))
rules = st.sampled_from(outcomes.CHANGE_RULES)


@given(pairs, rules)
def test_reliable_recovery_is_recovery_and_reliable_improvement(
    paired: Paired, rule: outcomes.ChangeRule
) -> None:
    result = classify(paired, PHQ9, GAD7, rule)
    assert result.reliably_recovered == (result.recovered and result.reliably_improved)
    assert not result.recovered or result.case_at_start


@given(pairs)
def test_under_the_nhs_rule_nobody_both_improves_and_deteriorates(paired: Paired) -> None:
    result = classify(paired, PHQ9, GAD7, "nhs")
    assert not (result.reliably_improved and result.reliably_deteriorated)


@given(pairs)
def test_the_nhs_rule_counts_a_subset_of_what_the_either_rule_counts(paired: Paired) -> None:
    strict, loose = classify(paired, PHQ9, GAD7, "nhs"), classify(paired, PHQ9, GAD7, "either")
    assert not strict.reliably_improved or loose.reliably_improved
    assert not strict.reliably_deteriorated or loose.reliably_deteriorated
    assert (strict.case_at_start, strict.recovered) == (loose.case_at_start, loose.recovered)


@given(pairs, rules)
def test_running_time_backwards_swaps_improvement_and_deterioration(
    paired: Paired, rule: outcomes.ChangeRule
) -> None:
    forwards = classify(paired, PHQ9, GAD7, rule)
    backwards = classify(Paired(paired.depression[::-1], paired.anxiety[::-1]), PHQ9, GAD7, rule)
    assert forwards.reliably_improved == backwards.reliably_deteriorated
    assert forwards.reliably_deteriorated == backwards.reliably_improved


@given(st.lists(st.one_of(pairs, st.sampled_from(["one wave", "score missing"]))), rules)
def test_a_tally_adds_up(episodes: list[Paired | outcomes.Unpaired], rule: outcomes.ChangeRule) -> None:
    result = tally(episodes, PHQ9, GAD7, rule)
    assert result.answered == len(episodes) == result.one_wave + result.score_missing + result.paired
    assert result.reliably_recovered <= result.recovered <= result.cases <= result.paired
    assert result.reliably_recovered <= result.reliably_improved <= result.paired


@given(st.lists(st.integers(0, 40), max_size=12))
def test_no_shown_part_is_small_no_zero_reads_five_or_more_and_no_small_one_can_be_worked_out(
    counts: list[int],
) -> None:
    cells = outcomes.suppress_parts([(str(index), count) for index, count in enumerate(counts)])
    for cell in cells:
        assert cell.shown not in {"1", "2", "3", "4"}
        assert cell.count or cell.shown in {"0", "hidden"}
    if not any(cell.withheld for cell in cells):
        hidden = [cell.count for cell in cells if cell.hidden]
        assert not pinned(hidden, sum(hidden))


@given(st.lists(st.floats(-50, 50, allow_nan=False), max_size=40))
def test_a_mean_lies_between_the_lowest_and_highest_score(values: list[float]) -> None:
    result = outcomes.spread(values)
    assert result.n == len(values)
    if values:
        assert result.mean is not None and min(values) - 1e-9 <= result.mean <= max(values) + 1e-9
        assert result.sd is None or (result.sd >= 0 and not math.isnan(result.sd))
    assert result.enough == (len(values) >= 5)


@given(st.lists(st.tuples(st.integers(0, 40).map(float), st.integers(0, 40).map(float)), max_size=30))
def test_reliable_change_counts_cover_everyone_with_both_scores(pairs_: list[tuple[float, float]]) -> None:
    result = outcomes.change(pairs_, CORE10)
    assert result.reliable is not None and sum(cell.count for cell in result.reliable) == len(pairs_)
