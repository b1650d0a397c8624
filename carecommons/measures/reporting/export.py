"""The evaluation export: one tidy CSV row per person × wave × scale, and its data dictionary.

No database access here: the view reads the rows (`SOURCE_FIELDS`, in that order) and this module
turns them into CSV. People appear only as keyed pseudonyms (HMAC-SHA256 of their UUID), so the
same person has the same id in every export made with the same key, and the id cannot be turned
back into the person without the key. Nothing else about the person is written: no name, email,
date of birth or free text. Cohorts and facilitators are pseudonymised the same way, because a
group-delivered course needs its groups in the analysis (partially nested designs).
"""

import csv
import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from uuid import UUID

from django.conf import settings
from django.utils.crypto import salted_hmac

from carecommons.lib.spreadsheets import guard
from carecommons.measures.engine.schema import Instrument, Scale, Threshold
from carecommons.measures.engine.scoring import plain_number
from carecommons.measures.models import ResponseMode, WaveKind
from carecommons.measures.running import waves

PSEUDONYM_LENGTH = 16
KEY_SALT = "carecommons.measures.research-pseudonym"
LINES_PER_CHUNK = 500


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text | integer | number | date | 0/1
    description: str
    allowed: str = ""

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number", "0/1")


def columns(instrument_ids: Iterable[str]) -> tuple[Column, ...]:
    waves_allowed = ", ".join(f"{value} ({label})" for value, label in WaveKind.choices)
    modes = ", ".join(f"{value} ({label})" for value, label in ResponseMode.choices)
    return (
        Column(
            "participant_id",
            "text",
            f"The person's pseudonym: the first {PSEUDONYM_LENGTH} hex digits of an HMAC-SHA256 of their "
            "record's id under the deployment's research key. The same in every export made with the "
            "same key; it cannot be turned back into the person without the key.",
            f"{PSEUDONYM_LENGTH} characters 0-9 a-f",
        ),
        Column("programme", "text", "The programme's name."),
        Column(
            "cohort_code",
            "text",
            "The cohort (course group) the person answered in, pseudonymised like participant_id. "
            "People who share a code were in the same group: use it as the cluster in a partially "
            "nested analysis.",
            f"{PSEUDONYM_LENGTH} characters 0-9 a-f",
        ),
        Column(
            "facilitator_codes",
            "text",
            "The cohort's facilitators, pseudonymised like participant_id, separated by semicolons.",
            f"codes of {PSEUDONYM_LENGTH} characters 0-9 a-f, separated by ';'; empty if none",
        ),
        Column("wave", "text", "Which wave of questionnaires the answers belong to.", waves_allowed),
        Column(
            "weeks_after_end",
            "integer",
            "For a follow-up wave: how many weeks after the cohort's last day it falls; 0 otherwise.",
            "0 or more",
        ),
        Column(
            "wave_date",
            "date",
            "The day the wave falls on for this cohort: baseline on its first day, mid-point halfway, "
            "end on its last day, follow-up the given weeks after the end.",
            "YYYY-MM-DD",
        ),
        Column(
            "days_from_start",
            "integer",
            "Days from the cohort's first day to the day the answers were given; negative when a "
            "baseline was answered before the first session.",
            "any whole number",
        ),
        Column(
            "instrument",
            "text",
            "The questionnaire's id; its scales are described in the scale rows of this dictionary.",
            ", ".join(instrument_ids),
        ),
        Column(
            "instrument_version",
            "text",
            "The version of the questionnaire's definition the answers were scored with.",
            "a version such as 1.0.0",
        ),
        Column("scale", "text", "The scale's id within the questionnaire (see the scale rows)."),
        Column(
            "score",
            "number",
            "The scale's score. Empty when too many of its items were left unanswered to score it.",
            "within the scale's range; empty if not scored",
        ),
        Column(
            "band",
            "text",
            "The severity band the score falls in, for scales that have published bands.",
            "a band label from the scale row; empty if the scale has no bands or no score",
        ),
        Column(
            "complete",
            "0/1",
            "1 when every required item of the questionnaire was answered, scored or not.",
            "1 = yes, 0 = no",
        ),
        Column(
            "prorated",
            "0/1",
            "1 when this scale's score was prorated from the items answered, as the instrument allows.",
            "1 = yes, 0 = no",
        ),
        Column("mode", "text", "How the answers were given.", modes),
    )


class Source(NamedTuple):
    """One sent response, as the view reads it (field paths in SOURCE_FIELDS, in this order)."""

    person: UUID
    cohort_id: int
    cohort: UUID
    programme: str
    starts_on: date
    ends_on: date
    wave_kind: str
    weeks_after_end: int
    instrument: str
    instrument_version: str
    scores: Mapping[str, float | None]
    bands: Mapping[str, str | None]
    complete: bool
    prorated: list[str]
    mode: str
    answered_on: date


SOURCE_FIELDS = (
    "person__uuid",
    "cohort_id",
    "cohort__uuid",
    "cohort__programme__name",
    "cohort__starts_on",
    "cohort__ends_on",
    "wave__kind",
    "wave__weeks_after_end",
    "instrument",
    "instrument_version",
    "scores",
    "bands",
    "complete",
    "prorated",
    "mode",
    "answered_on",
)


def research_key() -> bytes:
    """RESEARCH_PSEUDONYM_KEY, or when it is empty a key derived from SECRET_KEY."""
    if settings.RESEARCH_PSEUDONYM_KEY:
        return settings.RESEARCH_PSEUDONYM_KEY.encode()
    return salted_hmac(KEY_SALT, "research pseudonym key", algorithm="sha256").digest()


class Pseudonyms:
    """Keyed pseudonyms, remembered: one person's id is worked out once per export, not once per row."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.known: dict[tuple[UUID, str], str] = {}

    def of(self, value: UUID, kind: str = "person") -> str:
        if (value, kind) not in self.known:
            # Cohorts and facilitators are told apart from participants so no two kinds share a code.
            message = str(value) if kind == "person" else f"{kind}:{value}"
            digest = hmac.new(self.key, message.encode(), hashlib.sha256).hexdigest()
            self.known[(value, kind)] = digest[:PSEUDONYM_LENGTH]
        return self.known[(value, kind)]


def number(value: float | int | None) -> str:
    shown = plain_number(value)
    return "" if shown is None else str(shown)


def flag(value: bool) -> str:
    return "1" if value else "0"


def scale_order(source: Source, instruments: Mapping[str, Instrument]) -> list[str]:
    """The definition's order for the scales the response was scored on; any others after, sorted."""
    known = [s.id for s in instruments[source.instrument].scales] if source.instrument in instruments else []
    return [s for s in known if s in source.scores] + sorted(set(source.scores) - set(known))


def records(
    sources: Iterable[Source],
    *,
    pseudonyms: Pseudonyms,
    facilitators: Mapping[int, list[UUID]],
    instruments: Mapping[str, Instrument],
) -> Iterator[list[str]]:
    """One record per scale of each response, in the order of `columns()`."""
    for source in sources:
        codes = ";".join(
            sorted(pseudonyms.of(p, "facilitator") for p in facilitators.get(source.cohort_id, []))
        )
        shared = [
            pseudonyms.of(source.person),
            source.programme,
            pseudonyms.of(source.cohort, "cohort"),
            codes,
            source.wave_kind,
            str(source.weeks_after_end),
            waves.wave_date(
                source.wave_kind, source.weeks_after_end, source.starts_on, source.ends_on
            ).isoformat(),
            str((source.answered_on - source.starts_on).days),
            source.instrument,
            source.instrument_version,
        ]
        for scale in scale_order(source, instruments):
            yield [
                *shared,
                scale,
                number(source.scores[scale]),
                source.bands.get(scale) or "",
                flag(source.complete),
                flag(scale in source.prorated),
                source.mode,
            ]


class _Line:
    """What csv.writer writes to: it hands each formatted line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: list[Column], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text in chunks of lines, for a streaming response. Text cells are guarded against
    formula injection; numeric cells are formatted here from numbers, so a minus sign is a sign."""
    writer = csv.writer(_Line())
    text_cells = [not column.numeric for column in header]
    chunk = ["\ufeff", writer.writerow([column.name for column in header])]
    for row in rows:
        chunk.append(
            writer.writerow([guard(c) if text else c for c, text in zip(row, text_cells, strict=True)])
        )
        if len(chunk) >= LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def row_count(responses_per_instrument: Mapping[str, int], instruments: Mapping[str, Instrument]) -> int:
    """How many rows the export will have, from response counts (each response gives a row per scale)."""
    return sum(
        count * len(instruments[key].scales) if key in instruments else count
        for key, count in responses_per_instrument.items()
    )


DICTIONARY_HEADER = [
    Column("section", "text", ""),
    Column("name", "text", ""),
    Column("type", "text", ""),
    Column("description", "text", ""),
    Column("allowed_values", "text", ""),
    Column("instrument", "text", ""),
    Column("instrument_version", "text", ""),
    Column("scale", "text", ""),
    Column("range", "text", ""),
    Column("higher_is", "text", ""),
    Column("bands", "text", ""),
    Column("caseness", "text", ""),
    Column("reliable_change", "text", ""),
    Column("citation", "text", ""),
    Column("licence", "text", ""),
]


def describe_range(scale: Scale) -> str:
    low, high = scale.range
    return f"{number(low)} to {number(high)}"


def describe_scale(instrument: Instrument, scale: Scale) -> str:
    items = ", ".join(item.id for item in scale.items)
    text = f"{instrument.name}: {scale.name}. The {scale.method} of items {items}"
    if scale.prorate_at_most:
        text += f"; prorated when no more than {scale.prorate_at_most} of them is missing"
    return text + "."


def threshold(value: Threshold | None, wording: str) -> str:
    return f"{wording.format(number(value.at_least))} ({value.source})" if value is not None else ""


def dictionary_records(
    all_columns: Iterable[Column], instruments: Mapping[str, Instrument]
) -> Iterator[list[str]]:
    """A row per column of the export, then a row per scale of every instrument definition."""
    blank_scale = [""] * 10
    for column in all_columns:
        yield ["column", column.name, column.type, column.description, column.allowed, *blank_scale]
    for instrument in instruments.values():
        citation = instrument.citation + (f" doi:{instrument.doi}" if instrument.doi else "")
        licence = f"{instrument.licence.status}; {instrument.licence.holder}; {instrument.licence.url}"
        for scale in instrument.scales:
            bands = "; ".join(f"{number(band.start)}+ {band.label}" for band in scale.bands)
            caseness = threshold(scale.caseness, "{} or more")
            reliable = threshold(scale.reliable_change, "a change of {} or more")
            yield [
                "scale",
                scale.name,
                "number",
                describe_scale(instrument, scale),
                describe_range(scale),
                instrument.id,
                instrument.version,
                scale.id,
                describe_range(scale),
                scale.higher_is,
                bands,
                caseness,
                reliable,
                citation,
                licence,
            ]
