"""Plug-in point for a session's page and its closing report (decision 0030 section 5).

An app above `programmes` declares in its own `session_report.py` `SESSION_REPORT = [Part(...)]`:
links the signed-in person may follow from the session's page (open a decision from it), and
lines for the closing report (the outcomes of decisions opened from it). Found through
`lib/plugins.declared`, so `programmes` imports no app above it (decisions 0026, 0028).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from carecommons.lib import plugins
from carecommons.programmes.models import Session


@dataclass(frozen=True)
class Line:
    text: str
    detail: str = ""
    url: str = ""


def nothing(*args: Any) -> list[Line]:
    return []


@dataclass(frozen=True)
class Part:
    """`on_page(user, session)`: links for this person on the session's page; `in_report(session)`:
    lines for its closing report. `heading` titles both."""

    name: str
    heading: str
    on_page: Callable[[Any, Session], list[Line]] = nothing
    in_report: Callable[[Session], list[Line]] = nothing


@cache
def parts() -> list[Part]:
    return [
        part
        for _config, declared in plugins.declared("session_report", "SESSION_REPORT")
        for part in declared
    ]


def page_links(user: Any, session: Session) -> list[tuple[str, list[Line]]]:
    found = [(part.heading, part.on_page(user, session)) for part in parts()]
    return [(heading, lines) for heading, lines in found if lines]


def report_lines(session: Session) -> list[tuple[str, list[Line]]]:
    found = [(part.heading, part.in_report(session)) for part in parts()]
    return [(heading, lines) for heading, lines in found if lines]
