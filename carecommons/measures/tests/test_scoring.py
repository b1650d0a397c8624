import numpy as np
import pytest

from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.engine.scoring import (
    AnswerError,
    parse_answers,
    reliable_change,
    score,
    score_batch,
)


def test_empty_slots_are_missing_answers() -> None:
    assert parse_answers(get_instrument("gad7"), "0, 1,,3,0,0, 2") == [0, 1, None, 3, 0, 0, 2]


def test_trailing_optional_items_may_be_left_off() -> None:
    phq9 = get_instrument("phq9")
    assert parse_answers(phq9, "0,0,0,0,0,0,0,0,0") == [0] * 9 + [None]
    assert parse_answers(phq9, "0,0,0,0,0,0,0,0,0,2")[-1] == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,1,2", "GAD-7 takes 7 answers in item order, separated by commas; got 3"),
        ("0,1,2,3,0,1,2,3", "got 8"),
        ("0,1,x,3,0,1,2", "answer 3 ('x') is not a whole number"),
        ("0,1,1.5,3,0,1,2", "answer 3 ('1.5') is not a whole number"),
        ("0,1,4,3,0,1,2", "GAD-7 item 3: 4 is out of range; answers run 0–3"),
        ("0,1,-1,3,0,1,2", "GAD-7 item 3: -1 is out of range"),
        ("", "got 1"),
    ],
)
def test_bad_answers_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(
        AnswerError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        parse_answers(get_instrument("gad7"), text)


def test_phq9_says_how_many_answers_it_takes_when_item_10_is_optional() -> None:
    with pytest.raises(AnswerError, match="PHQ-9 takes 9 to 10 answers"):
        parse_answers(get_instrument("phq9"), "0,0,0")


def test_single_scorer_refuses_answers_that_are_not_whole_numbers() -> None:
    with pytest.raises(AnswerError, match="not a whole number"):
        score(get_instrument("gad7"), [0, 1, 2, 3, 0, 1, True])
    with pytest.raises(AnswerError, match="not a whole number"):
        score(get_instrument("gad7"), [0, 1, 2, 3, 0, 1, 2.0])  # type: ignore[list-item]


def test_batch_refuses_answers_out_of_range_or_fractional_naming_the_row() -> None:
    gad7 = get_instrument("gad7")
    with pytest.raises(AnswerError, match="GAD-7 row 1 item 4: answers must be whole numbers 0–3, got 4"):
        score_batch(gad7, np.array([[0] * 7, [0, 0, 0, 4, 0, 0, 0]], dtype=float))
    with pytest.raises(AnswerError, match=r"row 0 item 1: .* got 0\.5"):
        score_batch(gad7, np.array([[0.5] + [0] * 6]))
    with pytest.raises(AnswerError, match="one column per item"):
        score_batch(gad7, np.zeros((3, 6)))


def test_batch_of_no_responses_is_empty() -> None:
    assert len(score_batch(get_instrument("phq9"), np.zeros((0, 10)))) == 0


def test_reliable_change_follows_the_scales_direction() -> None:
    phq9 = get_instrument("phq9").scale("total")
    assert reliable_change(phq9, 15, 9) == "improved"
    assert reliable_change(phq9, 15, 10) == "no reliable change"
    assert reliable_change(phq9, 15, 21) == "deteriorated"
    metric = get_instrument("swemwbs").scale("metric")
    assert reliable_change(metric, 19.25, 22.35) == "improved"
    assert reliable_change(metric, 22.35, 19.25) == "deteriorated"
    assert reliable_change(get_instrument("oas2").scale("total"), 0, 32) is None


def test_caseness_uses_the_talking_therapies_cut_offs() -> None:
    assert get_instrument("phq9").scale("total").is_case(10)
    assert not get_instrument("phq9").scale("total").is_case(9)
    assert get_instrument("gad7").scale("total").is_case(8)
    assert not get_instrument("gad7").scale("total").is_case(7)
    assert get_instrument("core10").scale("total").is_case(11)
    assert get_instrument("scs_sf").scale("total").is_case(5) is None


def test_json_output_shows_whole_scores_as_integers() -> None:
    result = score(get_instrument("scs_sf"), [3] * 12)
    assert result.as_json()["scores"] == {"total": 3}
    assert isinstance(result.as_json()["scores"]["total"], int)  # type: ignore[index]
