"""The CSV of groups a host starts at once (docs/guide/starting-a-group.md). Pure: no database.

Reading uses the shared spreadsheet helpers (lib/spreadsheets.py): UTF-8 only, formula
guards undone, line numbers as a spreadsheet shows them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from carecommons.finances.models import Group
from carecommons.groups.models import CommunityGroup
from carecommons.lib.money import AmountError, parse_pence
from carecommons.lib.spreadsheets import (
    CsvReadError,
    Problem,
    read_table,
    shown,
    unguard,
)

COLUMNS = (
    "name",
    "slug",
    "treasurer_email",
    "treasurer_name",
    "approval_threshold",
    "approvals_over_threshold",
    "treasurer_term_months",
)
REQUIRED = ("name", "treasurer_email")
NAME_LENGTH = CommunityGroup._meta.get_field("name").max_length or 200
SLUG_LENGTH = Group._meta.get_field("slug").max_length or 80


@dataclass(frozen=True)
class NewGroup:
    name: str
    slug: str
    treasurer_email: str
    treasurer_name: str = ""
    approval_threshold_pence: int = 0
    approvals_over_threshold: int = 2
    treasurer_term_months: int | None = None


@dataclass
class GroupsFile:
    rows: list[tuple[int, NewGroup]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def whole_number(value: str, column: str, smallest: int) -> tuple[int | None, str | None]:
    if not value.isdigit() or int(value) < smallest:
        return None, f"{column} {shown(value)} must be a whole number, at least {smallest}"
    return int(value), None


def read_row(line: int, values: dict[str, str]) -> tuple[NewGroup | None, list[str]]:
    reasons = [f"{name} is empty but must be filled in" for name in REQUIRED if not values.get(name)]
    name, email = values.get("name", ""), values.get("treasurer_email", "").lower()
    slug = values.get("slug") or slugify(name)[:SLUG_LENGTH]
    if len(name) > NAME_LENGTH:
        reasons.append(f"name is {len(name)} characters long; it can be at most {NAME_LENGTH}")
    if name and (slug != slugify(slug) or not slug or len(slug) > SLUG_LENGTH):
        reasons.append(
            f"slug {shown(slug)} may hold only small letters, digits and hyphens, at most {SLUG_LENGTH}"
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(f"treasurer_email {shown(email)} is not a valid email address")
    threshold = 0
    if values.get("approval_threshold"):
        try:
            threshold = parse_pence(values["approval_threshold"])
        except AmountError as problem:
            reasons.append(f"approval_threshold: {problem}")
    approvals: int | None = 2
    term: int | None = None
    if values.get("approvals_over_threshold"):
        approvals, bad = whole_number(values["approvals_over_threshold"], "approvals_over_threshold", 1)
        reasons += [bad] if bad else []
    if values.get("treasurer_term_months"):
        term, bad = whole_number(values["treasurer_term_months"], "treasurer_term_months", 1)
        reasons += [bad] if bad else []
    if reasons:
        return None, reasons
    group = NewGroup(name, slug, email, values.get("treasurer_name", ""), threshold, approvals or 2, term)
    return group, []


def check_groups_csv(text: str) -> GroupsFile:
    """Every good row with its line, and every bad row's line and reasons. The header is line 1."""
    result = GroupsFile()
    try:
        names, data = read_table(text)
    except CsvReadError as error:
        result.problems.append(error.problem)
        return result
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in names]
    if unknown or missing or len(set(names)) != len(names):
        reason = (
            f"the first line must name the columns {', '.join(REQUIRED)}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
        result.problems.append(Problem(1, reason + (f" (not {', '.join(unknown)})" if unknown else "")))
        return result
    slugs: dict[str, int] = {}
    for line, cells in data:
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            result.problems.append(Problem(line, f"this row has more values than the {len(names)} columns"))
            continue
        values = {name: unguard(cell).strip() for name, cell in zip(names, cells, strict=False)}
        group, reasons = read_row(line, values)
        if group is not None and group.slug in slugs:
            reasons = [f"slug {shown(group.slug)} is also on line {slugs[group.slug]}"]
        elif group is not None:
            slugs[group.slug] = line
        if reasons:
            result.problems.extend(Problem(line, reason) for reason in reasons)
        elif group is not None:
            result.rows.append((line, group))
    return result
