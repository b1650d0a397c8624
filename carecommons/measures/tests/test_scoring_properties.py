"""Property tests: the rules hold for every shipped instrument and any answers, not just the vectors."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecommons.measures.engine.definitions import load_instruments
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.engine.scoring import Answer, score, score_batch

INSTRUMENTS = list(load_instruments().values())
PROPERTY = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def answers_for(instrument: Instrument, *, missing: bool = True) -> st.SearchStrategy[list[Answer]]:
    def one(low: int, high: int) -> st.SearchStrategy[Answer]:
        given_answer = st.integers(low, high)
        return st.one_of(st.none(), given_answer, given_answer) if missing else given_answer

    return st.tuples(*(one(item.response_set.min, item.response_set.max) for item in instrument.items)).map(
        list
    )


@st.composite
def instrument_and_answers(draw: st.DrawFn, *, missing: bool = True) -> tuple[Instrument, list[Answer]]:
    instrument = draw(st.sampled_from(INSTRUMENTS))
    return instrument, draw(answers_for(instrument, missing=missing))


@st.composite
def instrument_and_rows(draw: st.DrawFn) -> tuple[Instrument, list[list[Answer]]]:
    instrument = draw(st.sampled_from(INSTRUMENTS))
    return instrument, draw(st.lists(answers_for(instrument), min_size=1, max_size=25))


@PROPERTY
@given(instrument_and_rows())
def test_batch_and_single_scoring_agree_exactly(case: tuple[Instrument, list[list[Answer]]]) -> None:
    instrument, rows = case
    grid = np.array([[np.nan if answer is None else answer for answer in row] for row in rows], dtype=float)
    batch = score_batch(instrument, grid)
    for index, row in enumerate(rows):
        assert batch.row(index) == score(instrument, row)


@PROPERTY
@given(instrument_and_answers())
def test_every_score_lies_within_its_scales_range(case: tuple[Instrument, list[Answer]]) -> None:
    instrument, answers = case
    result = score(instrument, answers)
    for scale in instrument.scales:
        value = result.scores[scale.id]
        assert value is None or scale.range[0] <= value <= scale.range[1]
        assert (value is None) == (result.bands[scale.id] is None) or not scale.bands


@PROPERTY
@given(instrument_and_answers(missing=False), st.data())
def test_raising_an_answer_moves_each_score_the_way_its_item_is_keyed(
    case: tuple[Instrument, list[Answer]], data: st.DataObject
) -> None:
    instrument, answers = case
    item = data.draw(st.sampled_from([item for item in instrument.items if item.scored]))
    answer = answers[item.position - 1]
    assert answer is not None
    if answer == item.response_set.max:
        return
    raised = [*answers]
    raised[item.position - 1] = answer + 1
    before, after = score(instrument, answers).scores, score(instrument, raised).scores
    sign = -1 if item.reverse else 1
    for scale in instrument.scales:
        old, new = before[scale.id], after[scale.id]
        assert old is not None and new is not None
        if item not in scale.items:
            assert new == old
        elif scale.method == "sum":
            assert new - old == sign
        else:
            assert (new - old) * sign > 0


@PROPERTY
@given(instrument_and_answers(missing=False))
def test_mirrored_answers_give_the_mirrored_score(case: tuple[Instrument, list[Answer]]) -> None:
    """Reversal is symmetric: answering every item from the other end flips sums and means."""
    instrument, answers = case
    mirrored = [
        item.response_set.min + item.response_set.max - answer
        for item, answer in zip(instrument.items, answers, strict=True)
        if answer is not None
    ]
    plain, flipped = score(instrument, answers).scores, score(instrument, mirrored).scores
    for scale in instrument.scales:
        if scale.method != "lookup":
            assert plain[scale.id] + flipped[scale.id] == pytest.approx(sum(scale.range))  # type: ignore[operator]


@PROPERTY
@given(instrument_and_answers(missing=False), st.data())
def test_a_scale_scores_only_while_its_missing_items_are_within_the_prorating_limit(
    case: tuple[Instrument, list[Answer]], data: st.DataObject
) -> None:
    instrument, answers = case
    scale = data.draw(st.sampled_from(instrument.scales))
    dropped = data.draw(st.sets(st.sampled_from(scale.items), min_size=1))
    holey = [
        None if item in dropped else answer for item, answer in zip(instrument.items, answers, strict=True)
    ]
    result = score(instrument, holey)
    if len(dropped) > scale.prorate_at_most:
        assert result.scores[scale.id] is None
        assert scale.id not in result.prorated
        return
    assert scale.id in result.prorated
    answered = [item.scored_value(holey[item.position - 1]) for item in scale.items if item not in dropped]  # type: ignore[arg-type]
    expected = sum(answered) / len(answered) * (len(scale.items) if scale.method == "sum" else 1)
    assert result.scores[scale.id] == pytest.approx(expected)


@PROPERTY
@given(instrument_and_answers(), st.data())
def test_unscored_items_never_change_a_score(
    case: tuple[Instrument, list[Answer]], data: st.DataObject
) -> None:
    instrument, answers = case
    unscored = [item for item in instrument.items if not item.scored]
    if not unscored:
        return
    changed = [*answers]
    for item in unscored:
        changed[item.position - 1] = data.draw(
            st.none() | st.integers(item.response_set.min, item.response_set.max)
        )
    assert score(instrument, changed).scores == score(instrument, answers).scores


@PROPERTY
@given(instrument_and_answers())
def test_a_risk_flag_is_raised_exactly_when_its_item_reaches_the_threshold(
    case: tuple[Instrument, list[Answer]],
) -> None:
    instrument, answers = case
    flags = score(instrument, answers).flags
    for rule in instrument.risk_rules:
        answer = answers[rule.item.position - 1]
        assert (rule.id in flags) == (answer is not None and answer >= rule.at_least)
        assert (rule.unanswered_flag in flags) == (answer is None and rule.if_unanswered)


@PROPERTY
@given(instrument_and_answers())
def test_a_response_is_complete_exactly_when_every_required_item_is_answered(
    case: tuple[Instrument, list[Answer]],
) -> None:
    instrument, answers = case
    required = [answers[item.position - 1] for item in instrument.items if item.required]
    assert score(instrument, answers).complete == (None not in required)
