"""The people and organisations CSV formats: reading, checking and writing rows. No database access.

Field lengths come from the models' metadata so the checks cannot drift from the database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models

from carecommons.lib.spreadsheets import CsvReadError, Problem, guard, read_table, shown, unguard
from carecommons.people.models import Affiliation, Organisation, OrganisationKind, Person, Tag
from carecommons.people.services import organisation_name_key

TAG_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    max_length: int | None = None
    required: bool = False
    check: str = "text"  # text | email | url | kind | tags


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


def join_tags(names: Iterable[str]) -> str:
    return f"{TAG_SEPARATOR} ".join(sorted(names))


def export_record(kind: str, values: Mapping[str, str]) -> list[str]:
    """One CSV record in column order, every cell guarded against formula injection."""
    return [guard(values.get(column.name, "")) for column in COLUMNS[kind]]


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
