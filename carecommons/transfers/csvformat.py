"""The people and organisations CSV formats: reading, checking and writing rows. No database access.

Field lengths come from the models' metadata so the checks cannot drift from the database.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.template.defaultfilters import filesizeformat

from carecommons.people.models import Affiliation, Organisation, OrganisationKind, Person, Tag
from carecommons.people.services import organisation_name_key

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TAG_SEPARATOR = ";"
SHOWN_LENGTH = 40
ACCEPTED_CONTENT_TYPES = frozenset(
    {
        "",
        "text/csv",
        "text/plain",
        "text/x-csv",
        "text/comma-separated-values",
        "application/csv",
        "application/x-csv",
        # Windows labels .csv files as Excel; some browsers send no better guess than octet-stream.
        # The content itself is checked by decode_upload either way.
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    max_length: int | None = None
    required: bool = False
    check: str = "text"  # text | email | url | kind | tags


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Row:
    """A good row: model field -> cleaned value, for the columns the file has, plus its tags."""

    line: int
    values: dict[str, str]
    tags: tuple[str, ...] | None = None


@dataclass
class CheckedFile:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def bad_lines(self) -> set[int]:
        return {problem.line for problem in self.problems}


class UploadError(ValueError):
    """The upload is not a UTF-8 CSV file; the message says so in plain words."""


def _length(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


PEOPLE_COLUMNS = (
    Column("email", "email", _length(Person, "email"), check="email"),
    Column("first_name", "given_name", _length(Person, "given_name"), required=True),
    Column("last_name", "family_name", _length(Person, "family_name")),
    Column("preferred_name", "preferred_name", _length(Person, "preferred_name")),
    Column("pronouns", "pronouns", _length(Person, "pronouns")),
    Column("phone", "phone", _length(Person, "phone")),
    Column("postal_address", "postal_address"),
    Column("preferred_language", "preferred_language", _length(Person, "preferred_language")),
    Column("accessibility_needs", "accessibility_needs"),
    Column("organisation", "organisation", _length(Organisation, "name")),
    Column("organisation_role", "organisation_role", _length(Affiliation, "role")),
    Column("tags", "tags", _length(Tag, "name"), check="tags"),
)
ORGANISATION_COLUMNS = (
    Column("name", "name", _length(Organisation, "name"), required=True),
    Column("kind", "kind", required=True, check="kind"),
    Column("area", "area", _length(Organisation, "area")),
    Column("website", "website", _length(Organisation, "website"), check="url"),
    Column("email", "email", _length(Organisation, "email"), check="email"),
    Column("phone", "phone", _length(Organisation, "phone")),
    Column("description", "description"),
    Column("tags", "tags", _length(Tag, "name"), check="tags"),
)
COLUMNS: dict[str, tuple[Column, ...]] = {"people": PEOPLE_COLUMNS, "organisations": ORGANISATION_COLUMNS}


def header(kind: str) -> list[str]:
    return [column.name for column in COLUMNS[kind]]


def guard(value: str) -> str:
    """Make a cell safe to open in a spreadsheet; unguard() gives the original back exactly."""
    return "'" + value if value.lstrip("'")[:1] in FORMULA_TRIGGERS else value


def unguard(value: str) -> str:
    if value.startswith("'") and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def join_tags(names: Iterable[str]) -> str:
    return f"{TAG_SEPARATOR} ".join(sorted(names))


def export_record(kind: str, values: Mapping[str, str]) -> list[str]:
    """One CSV record in column order, every cell guarded against formula injection."""
    return [guard(values.get(column.name, "")) for column in COLUMNS[kind]]


def upload_problem(*, filename: str, size: int, max_bytes: int, content_type: str = "") -> str | None:
    if not filename.lower().endswith(".csv"):
        return "Choose a file whose name ends in .csv. Save spreadsheets as “CSV UTF-8” first."
    if content_type.split(";")[0].strip().lower() not in ACCEPTED_CONTENT_TYPES:
        return "This file is not a CSV file. Save your spreadsheet as “CSV UTF-8” and upload that."
    if size > max_bytes:
        return (
            f"This file is {filesizeformat(size)}; the largest file you can import is "
            f"{filesizeformat(max_bytes)}. Split it into smaller files."
        )
    if size == 0:
        return "This file is empty."
    return None


def decode_upload(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise UploadError("This looks like an Excel or zip file. Save it as “CSV UTF-8” and upload that.")
    if b"\x00" in raw:
        raise UploadError("This file holds binary data, not text. Upload a CSV file saved as “CSV UTF-8”.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(
            "This file is not saved as UTF-8 text. In your spreadsheet choose “CSV UTF-8” when saving."
        ) from None


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


class CsvReadError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def read_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, its cells) for each record with something in it.

    Raises CsvReadError if the CSV itself cannot be read (an unclosed quote, a huge field).
    """
    source = io.StringIO(text.removeprefix("\ufeff"), newline="")
    reader = csv.reader(source, delimiter=_delimiter(text), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = f"the file cannot be read from here on: {plain(error)}"
            raise CsvReadError(Problem(start, reason)) from None
        # A guarded blank ("'" before a tab) is still blank: our own export must read back the same.
        if any(unguard(cell).strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1


def plain(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return 'a value opens a quote mark (") that is never closed'
    if "expected after" in message:
        return 'a closing quote mark (") is followed by more text in the same value'
    if "field larger than field limit" in message:
        return "a value is far too long"
    return message


def normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def check_header(kind: str, names: list[str]) -> list[Problem]:
    known = {column.name for column in COLUMNS[kind]}
    problems = []
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in names]
    if missing:
        problems.append(Problem(1, f"the first line must name the column(s) {', '.join(missing)}"))
    unknown = [name for name in names if name and name not in known]
    if unknown:
        allowed = ", ".join(header(kind))
        problems.append(Problem(1, f"unknown column(s) {', '.join(unknown)}; the columns are {allowed}"))
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(Problem(1, f"the column(s) {', '.join(repeated)} appear more than once"))
    return problems


def shown(value: str) -> str:
    return f"'{value[:SHOWN_LENGTH]}…'" if len(value) > SHOWN_LENGTH else f"'{value}'"


KIND_LOOKUP = {
    **{label.lower(): value for value, label in OrganisationKind.choices},
    **{value.lower(): value for value in OrganisationKind.values},
}
KIND_HELP = ", ".join(f"{value} ({label})" for value, label in OrganisationKind.choices)
_url_validator = URLValidator(schemes=["http", "https"])


def clean_cell(column: Column, raw: str) -> tuple[str | tuple[str, ...], list[str]]:
    """The cleaned value of one cell and the reasons it is bad (none if good)."""
    value = unguard(raw).strip()
    if column.check == "tags":
        tags = tuple(sorted({t.strip() for t in value.split(TAG_SEPARATOR) if t.strip()}))
        too_long = [t for t in tags if column.max_length and len(t) > column.max_length]
        return tags, [f"tag {shown(t)} is longer than {column.max_length} characters" for t in too_long]
    if not value:
        return "", [f"{column.name} is empty but must be filled in"] if column.required else []
    if column.check == "email":
        try:
            validate_email(value)
        except ValidationError:
            return value, [f"{column.name} {shown(value)} is not a valid email address"]
    elif column.check == "url":
        if "://" not in value:
            value = f"https://{value}"
        try:
            _url_validator(value)
        except ValidationError:
            return value, [f"{column.name} {shown(raw.strip())} is not a valid web address"]
    elif column.check == "kind":
        if value.lower() not in KIND_LOOKUP:
            return value, [f"kind {shown(value)} is not one of: {KIND_HELP}"]
        value = KIND_LOOKUP[value.lower()]
    if column.max_length is not None and len(value) > column.max_length:
        return value, [
            f"{column.name} is {len(value)} characters long; it can be at most {column.max_length}"
        ]
    return value, []


def clean_record(
    columns: list[Column | None], line: int, cells: list[str]
) -> tuple[Row | None, list[Problem]]:
    extra = [cell for cell in cells[len(columns) :] if cell.strip()]
    if extra:
        reason = f"this row has {len(cells)} values but the first line names only {len(columns)} columns"
        return None, [Problem(line, reason)]
    values: dict[str, str] = {}
    tags: tuple[str, ...] | None = None
    reasons: list[str] = []
    padded = (cells + [""] * len(columns))[: len(columns)]
    for column, raw in zip(columns, padded, strict=True):
        if column is None:
            continue
        cleaned, bad = clean_cell(column, raw)
        reasons.extend(bad)
        if isinstance(cleaned, tuple):
            tags = cleaned
        else:
            values[column.field] = cleaned
    if values.get("organisation_role") and not values.get("organisation"):
        reasons.append("organisation_role is filled in but organisation is empty")
    if reasons:
        return None, [Problem(line, reason) for reason in reasons]
    return Row(line=line, values=values, tags=tags), []


def identity(kind: str, row: Row) -> tuple[str, str]:
    """What makes two rows the same record: how the import matches rows to existing ones too."""
    if kind == "organisations":
        return ("name", organisation_name_key(row.values["name"]))
    if row.values.get("email"):
        return ("email", row.values["email"].lower())
    return ("name", f"{row.values['given_name']}\n{row.values.get('family_name', '')}")


def duplicate_reason(kind: str, row: Row, first_line: int) -> str:
    if kind == "organisations":
        return f"the organisation {shown(row.values['name'])} is also on line {first_line}"
    if row.values.get("email"):
        return f"email {shown(row.values['email'])} is also on line {first_line}"
    name = f"{row.values['given_name']} {row.values.get('family_name', '')}".strip()
    return f"{shown(name)} with no email is also on line {first_line}; add an email to tell them apart"


def read_table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The column names (normalised) and the records under them, for a file whose first line names
    its columns. Raises CsvReadError when the file cannot be read or is empty."""
    records = list(read_records(text))
    if not records:
        raise CsvReadError(Problem(1, "the file is empty; the first line must name the columns"))
    (_, header_cells), *data = records
    return [normalise_header(name) for name in header_cells], data


def check_csv(kind: str, text: str) -> CheckedFile:
    """Every good row, and every bad row's line and reason. The header is line 1."""
    result = CheckedFile()
    try:
        names, data = read_table(text)
    except CsvReadError as error:
        result.problems.append(error.problem)
        return result
    result.row_count = len(data)
    result.problems.extend(check_header(kind, names))
    if result.problems:
        return result
    by_name = {column.name: column for column in COLUMNS[kind]}
    columns = [by_name.get(name) for name in names]
    seen: dict[tuple[str, str], int] = {}
    for line, cells in data:
        row, problems = clean_record(columns, line, cells)
        if row is not None:
            key = identity(kind, row)
            if key in seen:
                problems = [Problem(line, duplicate_reason(kind, row, seen[key]))]
            else:
                seen[key] = line
        if problems:
            result.problems.extend(problems)
        elif row is not None:
            result.rows.append(row)
    return result
