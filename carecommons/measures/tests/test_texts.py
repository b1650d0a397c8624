from pathlib import Path

import pytest

from carecommons.measures.engine.definitions import (
    SHIPPED_TEXT_DIR,
    DefinitionError,
    get_instrument,
    instruments_with_text,
    load_instruments,
    load_text,
)
from carecommons.measures.engine.texts import parse_text

LICENSED_STAND_IN = "\n".join(
    [
        "# Stand-in wording: the real SWEMWBS text is licensed per deployment and never committed.",
        "instrument: swemwbs",
        "title: Stand-in title",
        "instructions: Stand-in instructions",
        "attribution: Stand-in copyright line",
        *(f"label frequency {value}: Stand-in label {value}" for value in range(1, 6)),
        *(f"item {number}: Stand-in item {number}" for number in range(1, 8)),
    ]
)


def test_only_instruments_whose_licence_allows_it_ship_text() -> None:
    shipped = {path.stem for path in SHIPPED_TEXT_DIR.glob("*.txt")}
    assert shipped == {"phq9", "gad7", "core10", "scs_sf"}
    for instrument_id in shipped:
        assert load_instruments()[instrument_id].licence.may_ship_text


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7", "core10", "scs_sf"])
def test_shipped_text_matches_its_definition(instrument_id: str) -> None:
    instrument = get_instrument(instrument_id)
    wording = load_text(instrument, None)
    assert wording is not None
    assert list(wording.items) == [item.id for item in instrument.items]
    assert wording.attribution


def test_gad7_carries_its_attribution_and_the_correct_zero_label() -> None:
    wording = load_text(get_instrument("gad7"), None)
    assert wording is not None
    assert "Pfizer" in wording.attribution
    assert wording.label("frequency", 0) == "Not at all"


def test_instruments_without_shippable_text_still_score_and_report_no_text() -> None:
    status = instruments_with_text(None)
    assert status["swemwbs"] == "none"
    assert status["phq9"] == "shipped"
    assert load_text(get_instrument("ceas_self"), None) is None


def test_a_deployments_loaded_text_is_found_and_wins(tmp_path: Path) -> None:
    (tmp_path / "swemwbs.txt").write_text(LICENSED_STAND_IN, encoding="utf-8")
    wording = load_text(get_instrument("swemwbs"), tmp_path)
    assert wording is not None and wording.items["7"] == "Stand-in item 7"
    assert instruments_with_text(tmp_path)["swemwbs"] == "loaded"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace("item 7: Stand-in item 7", ""),
            "SWEMWBS has 7 items but the file gives 6; missing item",
        ),
        (lambda text: text + "\nitem 8: One too many", "swemwbs has no item '8'"),
        (
            lambda text: text.replace("label frequency 3: Stand-in label 3", ""),
            r"missing response label\(s\) frequency 3",
        ),
        (lambda text: text + "\nlabel frequency 6: Six", "response set 'frequency' runs 1–5"),
        (lambda text: text + "\nlabel often 1: Often", "swemwbs has no response set 'often'"),
        (
            lambda text: text.replace("attribution: Stand-in copyright line", ""),
            "licence asks for an 'attribution' line",
        ),
        (lambda text: text + "\ntitle: Again", "line 18: 'title' given twice"),
        (lambda text: text + "\nitem 1: Again", "item 1 given twice"),
        (lambda text: text + "\nwording without a key", "line 18: expected 'key: text'"),
        (lambda text: text + "\nfootnote: Something", "unknown key 'footnote'"),
        (
            lambda text: text.replace("instrument: swemwbs", "instrument: phq9"),
            "'instrument' must be swemwbs",
        ),
    ],
)
def test_a_text_file_that_does_not_fit_its_instrument_is_refused(change, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError, match=message):
        parse_text(change(LICENSED_STAND_IN), get_instrument("swemwbs"), where="swemwbs.txt")
