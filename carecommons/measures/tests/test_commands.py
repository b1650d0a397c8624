import hashlib
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from carecommons.audit.models import AuditEvent
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.tests.test_texts import LICENSED_STAND_IN

ROOT = Path(django_settings.BASE_DIR)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_score_prints_one_json_object_with_scores_bands_and_flags() -> None:
    result = json.loads(run("score", "phq9", "0,1,2,3,0,1,2,3,1"))
    assert result == {
        "instrument": "phq9",
        "version": "1.0.0",
        "complete": True,
        "scores": {"total": 13},
        "bands": {"total": "moderate"},
        "flags": ["phq9_item9"],
        "prorated": [],
    }


def test_score_with_a_missing_answer_is_incomplete_and_unscored() -> None:
    result = json.loads(run("score", "phq9", "0,1,,3,0,0,1,2,0"))
    assert result["complete"] is False
    assert result["scores"] == {"total": None}
    assert result["bands"] == {"total": None}


def test_score_flags_core10_item_6_and_prorates_one_missing_item() -> None:
    result = json.loads(run("score", "core10", "2,2,2,2,2,1,2,2,2,"))
    assert result["flags"] == ["core10_item6"]
    assert result["prorated"] == ["total"]
    assert result["scores"]["total"] == pytest.approx(170 / 9)


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("phq10", "0", "unknown instrument 'phq10'"),
        ("gad7", "0,1,2", "GAD-7 takes 7 answers"),
        ("gad7", "0,1,2,3,0,1,9", "GAD-7 item 7: 9 is out of range"),
        ("gad7", "0,1,2,3,0,1,two", "answer 7 ('two') is not a whole number"),
    ],
)
def test_score_refuses_bad_input_with_a_clear_error(instrument: str, answers: str, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("score", instrument, answers)


def test_instruments_list_names_every_instrument_and_where_its_text_is(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path
    lines = run("instruments", "list").splitlines()
    assert lines[0].split() == ["id", "version", "scales", "text"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert len(rows) == 11
    assert "inadequate_self, hated_self, reassured_self" in rows["fscrs"]
    assert rows["phq9"].endswith("shipped")
    assert "none (licence-required" in rows["swemwbs"]


@pytest.mark.django_db
def test_load_text_checks_and_stores_licensed_text_for_the_loader(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path / "instrument-text"
    source = tmp_path / "my-swemwbs.txt"
    source.write_text(LICENSED_STAND_IN, encoding="utf-8")
    output = run("instruments", "load-text", str(source))
    assert "Loaded SWEMWBS text (7 items)" in output
    assert (tmp_path / "instrument-text" / "swemwbs.txt").read_text(encoding="utf-8") == LICENSED_STAND_IN
    assert (
        "loaded (" in {line.split()[0]: line for line in run("instruments", "list").splitlines()}["swemwbs"]
    )


@pytest.mark.django_db
def test_loading_a_text_is_audited_with_what_was_loaded_and_a_refused_one_is_not(
    settings: Any, tmp_path: Path
) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path / "instrument-text"
    source = tmp_path / "my-swemwbs.txt"
    source.write_text(LICENSED_STAND_IN.replace("item 7: Stand-in item 7", ""), encoding="utf-8")
    with pytest.raises(CommandError):
        run("instruments", "load-text", str(source))
    assert not AuditEvent.objects.exists()
    source.write_text(LICENSED_STAND_IN, encoding="utf-8")
    run("instruments", "load-text", str(source))
    event = AuditEvent.objects.get()
    assert event.action == "measures.instrument_text_loaded"
    assert event.detail == {
        "instrument": "swemwbs",
        "version": get_instrument("swemwbs").version,
        "items": 7,
        "sha256": hashlib.sha256(LICENSED_STAND_IN.encode("utf-8")).hexdigest(),
        "path": str(tmp_path / "instrument-text" / "swemwbs.txt"),
    }


def test_instruments_list_reports_a_loaded_text_that_no_longer_fits(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path
    (tmp_path / "swemwbs.txt").write_text(LICENSED_STAND_IN.replace("item 7:", "item 8:"), encoding="utf-8")
    rows = {line.split()[0]: line for line in run("instruments", "list").splitlines()}
    assert "unusable: " in rows["swemwbs"] and "no item '8'" in rows["swemwbs"]


def test_load_text_refuses_a_file_with_the_wrong_number_of_items_and_stores_nothing(
    settings: Any, tmp_path: Path
) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path / "instrument-text"
    source = tmp_path / "short.txt"
    source.write_text(LICENSED_STAND_IN.replace("item 7: Stand-in item 7", ""), encoding="utf-8")
    with pytest.raises(CommandError, match="SWEMWBS has 7 items but the file gives 6"):
        run("instruments", "load-text", str(source))
    assert not (tmp_path / "instrument-text").exists()


def test_load_text_refuses_unknown_instruments_and_unreadable_files(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path
    source = tmp_path / "other.txt"
    source.write_text("instrument: wemwbs\ntitle: x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown instrument 'wemwbs'"):
        run("instruments", "load-text", str(source))
    with pytest.raises(CommandError, match="cannot read it"):
        run("instruments", "load-text", str(tmp_path / "absent.txt"))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carecommons.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_score_on_the_command_line_prints_exactly_one_json_object() -> None:
    done = cli("score", "gad7", "3,3,3,3,3,0,")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["complete"] is False


def test_bad_input_on_the_command_line_exits_non_zero_with_the_error_on_stderr() -> None:
    done = cli("score", "gad7", "3,3,3")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "GAD-7 takes 7 answers" in done.stderr
