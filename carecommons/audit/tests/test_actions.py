"""Every action the code records has plain words, and people's own history shows the words."""

import ast
import math
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from carecommons.audit.actions import ACTIONS, describe
from carecommons.audit.services import record_event

CODE = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
SOURCE = Path(__file__).resolve().parents[2]


def recorded_actions() -> tuple[set[str], set[str]]:
    """Action codes written in the code (keyword `action=`, `action = ...` and the `_audit*`
    helpers' arguments), and the f-string patterns, as regular expressions."""
    codes: set[str] = set()
    patterns: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            values: list[ast.expr] = []
            assigns_action = isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "action" for t in node.targets
            )
            if (isinstance(node, ast.keyword) and node.arg == "action") or assigns_action:
                values = [node.value]  # type: ignore[attr-defined]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("_audit"):
                values = list(node.args)
            for value in values:
                if not isinstance(value, ast.JoinedStr):
                    codes |= {
                        leaf.value
                        for leaf in ast.walk(value)
                        if isinstance(leaf, ast.Constant)
                        and isinstance(leaf.value, str)
                        and CODE.match(leaf.value)
                    }
                else:
                    parts = [
                        re.escape(str(p.value)) if isinstance(p, ast.Constant) else "[a-z_]+"
                        for p in value.values
                    ]
                    patterns.add("^" + "".join(parts) + "$")
    return codes, patterns


def test_the_scan_finds_the_actions_recorded_in_the_code() -> None:
    codes, patterns = recorded_actions()
    assert {"person.viewed", "asset.accepted", "signup.accepted"} <= codes
    assert "^expenses\\.expense_[a-z_]+$" in patterns


def test_every_action_the_code_records_has_plain_words() -> None:
    codes, patterns = recorded_actions()
    assert sorted(codes - set(ACTIONS)) == []
    assert sorted(p for p in patterns if not any(re.match(p, code) for code in ACTIONS)) == []


def test_an_action_nobody_described_still_reads_as_words() -> None:
    assert describe("person.something_new") == "Something new"


@pytest.mark.django_db
def test_a_participants_own_history_shows_words_not_codes(participant, client_for) -> None:
    person = participant.person
    codes = sorted(set(ACTIONS) | recorded_actions()[0])
    for code in codes:
        record_event(actor=None, action=code, target=person)
    client = client_for(participant)
    html = ""
    for page in range(1, math.ceil((len(codes) + 1) / 50) + 2):
        url = reverse("people:person_audit", args=[person.uuid])
        html += client.get(url, {"page": page}).content.decode()
    shown_as_code = [code for code in codes if code in html]
    missing_words = [code for code in codes if escape(describe(code)) not in html]
    assert shown_as_code == [] and missing_words == []
    assert "people.person" not in html
