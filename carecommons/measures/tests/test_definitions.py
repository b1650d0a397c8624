import copy
import json
from pathlib import Path
from typing import Any

import pytest

from carecommons.measures.engine.definitions import (
    INSTRUMENTS_DIR,
    DefinitionError,
    load_definition,
    load_instruments,
    parse_definition,
)

SHIPPED_IDS = {
    "phq9", "gad7", "core10", "scs_sf", "swemwbs", "ceas_self", "ceas_from_others", "ceas_to_others",
    "fscrs", "oas2", "eiss",
}  # fmt: skip


def minimal() -> dict[str, Any]:
    return {
        "schema": 1,
        "id": "tiny",
        "version": "1.0.0",
        "name": "Tiny scale",
        "short_name": "TINY",
        "citation": "Nobody 2024.",
        "licence": {
            "status": "licence-required",
            "may_ship_text": False,
            "holder": "Nobody",
            "terms": "Ask.",
            "url": "https://example.org/",
        },
        "response_sets": {"often": {"min": 0, "max": 3}},
        "items": [
            {"id": "1", "response_set": "often"},
            {"id": "2", "response_set": "often", "reverse": True},
        ],
        "scales": [
            {
                "id": "total",
                "name": "Total",
                "method": "sum",
                "items": ["1", "2"],
                "range": [0, 6],
                "higher_is": "worse",
            }
        ],
    }


def test_every_shipped_definition_loads() -> None:
    assert set(load_instruments()) == SHIPPED_IDS


def test_the_minimal_definition_is_valid() -> None:
    instrument = parse_definition(minimal(), where="tiny.json")
    assert instrument.items[1].reverse
    assert instrument.scale("total").range == (0, 6)


def broken(change: str) -> dict[str, Any]:
    data = minimal()
    exec(change, {"data": data})  # noqa: S102 - the cases below are fixed strings in this file
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("del data['id']", "tiny.json: missing 'id'"),
        ("data['version'] = '1.0'", "'version' must be a version like 1.0.0"),
        ("data['schema'] = 2", "schema must be 1"),
        ("data['items'][0]['revers'] = True", r"items\[0\]: unknown field\(s\) revers"),
        ("data['items'][1]['response_set'] = 'rarely'", "unknown response_set 'rarely'"),
        ("data['items'][1]['id'] = '1'", "item ids must be unique"),
        ("data['scales'][0]['items'] = ['1', '9']", r"scales\[0\]: unknown item\(s\) 9"),
        ("data['scales'][0]['range'] = [0, 7]", r"range \[0.0, 7.0\] does not match .* give \[0, 6\]"),
        ("data['scales'][0]['method'] = 'median'", "'method' must be one of sum, mean, lookup"),
        ("data['scales'][0]['prorate_at_most'] = 2", "prorate_at_most must be at least 0 and fewer"),
        (
            "data['scales'][0]['items'] = ['1']; data['scales'][0]['range'] = [0, 3]",
            'item 2 is in no scale but not marked "scored": false',
        ),
        ("data['items'][0]['scored'] = False", 'item 1 is in a scale but marked "scored": false'),
        (
            "data['scales'][0]['bands'] = [{'from': 1, 'label': 'x'}]",
            "bands must start at the scale's minimum",
        ),
        (
            "data['scales'][0]['bands'] = [{'from': 0, 'label': 'a'}, {'from': 0, 'label': 'b'}]",
            "bands must .* rise",
        ),
        ("data['scales'][0]['method'] = 'lookup'", "'lookup' is needed by, and only by, the lookup method"),
        (
            "data['scales'][0].update(method='lookup', lookup={str(raw): raw for raw in range(6)})",
            "'lookup' must give every raw score from 0 to 6",
        ),
        (
            "data['scales'][0].update(method='lookup', lookup={str(raw): 6 - raw for raw in range(7)})",
            "'lookup' values must not fall",
        ),
        (
            "data['licence']['may_ship_text'] = True",
            "whose licence is 'licence-required' may not ship its text",
        ),
        ("data['licence']['status'] = 'free'", "'status' must be one of"),
        (
            "data['risk_rules'] = [dict(id='r', item='1', at_least=4, severity='critical', source='s')]",
            "at_least 4 is not an answer item 1 can have",
        ),
        (
            "data['response_sets']['often']['labelled'] = [0, 7]",
            "labelled must list distinct values from 0 to 3",
        ),
        ("data['items'] = 'none'", "'items' must be a list"),
    ],
)
def test_a_broken_definition_is_refused_with_a_clear_error(change: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        parse_definition(broken(change), where="tiny.json")


def test_a_definition_that_is_not_json_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text('{"schema": 1,\n "id": }', encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"tiny.json: not valid JSON: .*line 2"):
        load_definition(path)


def test_a_definition_must_be_named_after_its_id(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text(json.dumps(minimal()), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"other\.json: id 'tiny' must match the file name"):
        load_instruments(tmp_path)


def test_shipped_definitions_record_their_unconfirmed_choices_in_notes() -> None:
    for instrument_id in ("core10", "swemwbs", "eiss", "oas2", "phq9"):
        assert any("UNCONFIRMED" in note for note in load_instruments()[instrument_id].notes), instrument_id
    eiss = load_instruments()["eiss"]
    assert not eiss.scale("external").confirmed and eiss.scale("total").confirmed


def test_definitions_never_carry_item_wording() -> None:
    """Wording belongs in text files; a definition with an item 'text' field is refused."""
    data = copy.deepcopy(minimal())
    data["items"][0]["text"] = "Some wording"
    with pytest.raises(DefinitionError, match=r"unknown field\(s\) text"):
        parse_definition(data, where="tiny.json")
    for path in INSTRUMENTS_DIR.glob("*.json"):
        assert '"text"' not in path.read_text(encoding="utf-8")
