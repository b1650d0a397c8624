"""Plug-in point for sections of the evaluation report that apps above `trials` write.

An app declares in its own `evaluation_report.py` `REPORT_SECTIONS = [Section(...)]`; each is
written for the trial's programme, once for the full version and once for the shared one, and put
where the report keeps what happened beyond the trial (the ripple effects of the programme).
Found through `lib/plugins.declared`, so `trials` imports no app above it (decisions 0026, 0028).

A section's HTML goes into the PDF as it is, and the PDF fetches nothing: charts are inline SVG.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from django.utils.safestring import SafeString

from carecommons.lib import plugins
from carecommons.programmes.models import Programme

NOTHING_YET = "Nothing has been recorded for this programme yet."


@dataclass(frozen=True)
class Section:
    """`render(programme, shared)`: the section's body, without its heading; `shared` is True for
    the version shared beyond the evaluation team (counts of 1 to 4 hidden). None when there is
    nothing to report yet: the report then says `empty`."""

    key: str
    heading: str
    render: Callable[[Programme, bool], SafeString | None]
    empty: str = NOTHING_YET


@dataclass(frozen=True)
class Written:
    key: str
    heading: str
    body: SafeString | None
    empty: str


@cache
def declared_sections() -> list[Section]:
    return [
        section
        for _config, declared in plugins.declared("evaluation_report", "REPORT_SECTIONS")
        for section in declared
    ]


def written(
    programme: Programme, *, shared: bool, sections: Sequence[Section] | None = None
) -> list[Written]:
    """Every section for this programme, in the order the apps are installed and declare them."""
    chosen = declared_sections() if sections is None else sections
    return [
        Written(section.key, section.heading, section.render(programme, shared), section.empty)
        for section in chosen
    ]
