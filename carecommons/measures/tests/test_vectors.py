"""Every shipped instrument's hand-worked vectors, through the single and the batch scorer."""

import json
from pathlib import Path

import numpy as np
import pytest

from carecommons.measures.engine.definitions import INSTRUMENTS_DIR, load_instruments
from carecommons.measures.engine.scoring import score, score_batch

VECTORS_DIR = INSTRUMENTS_DIR / "vectors"
VECTOR_FILES = sorted(VECTORS_DIR.glob("*.json"))


def load_vectors(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_instrument_has_vectors_and_every_vector_file_an_instrument() -> None:
    assert {path.stem for path in VECTOR_FILES} == set(load_instruments())


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda path: path.stem)
def test_vectors_cover_missing_answers_and_the_definitions_version(path: Path) -> None:
    vectors = load_vectors(path)
    instrument = load_instruments()[vectors["instrument"]]
    assert vectors["version"] == instrument.version
    assert any(None in case["answers"] for case in vectors["cases"])
    assert any(not case["complete"] for case in vectors["cases"])


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda path: path.stem)
def test_single_scorer_gives_the_hand_worked_results(path: Path) -> None:
    vectors = load_vectors(path)
    instrument = load_instruments()[vectors["instrument"]]
    for case in vectors["cases"]:
        result = score(instrument, case["answers"])
        expected_bands = {scale.id: None for scale in instrument.scales} | case.get("bands", {})
        assert result.complete == case["complete"], case["name"]
        assert result.scores == pytest.approx(case["scores"], abs=1e-9), case["name"]
        assert result.bands == expected_bands, case["name"]
        assert list(result.flags) == case.get("flags", []), case["name"]
        assert list(result.prorated) == case.get("prorated", []), case["name"]


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda path: path.stem)
def test_batch_scorer_gives_exactly_what_the_single_scorer_gives(path: Path) -> None:
    vectors = load_vectors(path)
    instrument = load_instruments()[vectors["instrument"]]
    width = len(instrument.items)
    rows = [[np.nan if answer is None else answer for answer in case["answers"]] for case in vectors["cases"]]
    grid = np.array([row + [np.nan] * (width - len(row)) for row in rows])
    batch = score_batch(instrument, grid)
    for index, case in enumerate(vectors["cases"]):
        assert batch.row(index) == score(instrument, case["answers"]), case["name"]
