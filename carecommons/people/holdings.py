"""What each app holds about a person, declared by the app itself (decision 0026).

An app whose rows name a person says so in its own `personal_data.py`, as `PERSONAL_DATA`, a
`Holding`: the sections it adds to the person's own data, which of its rows the audit log may name
by id, and what erasure does to its rows (delete, keep with a reason, refuse while open, unlink).
`people/own_data.py` and `people/erasure.py` find every app's holding here, put the sections and
the kept rows in the order a person reads them, and run the erasure in one transaction. So
`people` never imports an app above it, and an app's rows are described next to its models.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from carecommons.lib import plugins

if TYPE_CHECKING:
    from carecommons.accounts.models import User
    from carecommons.people.models import Person

Row = dict[str, Any]


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, ids as text, containers walked."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def row(**values: Any) -> Row:
    return {key: plain(value) for key, value in values.items()}


def names_of(person: "Person") -> list[str]:
    """How free text elsewhere would name them: the full name and the name they go by, when it
    has two words (a first name alone, "Sam", would match too much), longest first."""
    names = {n for n in (person.full_name, person.display_name) if " " in n.strip()}
    return sorted(names, key=len, reverse=True)


@dataclass(frozen=True)
class Collector:
    """One section of a person's own data: `collect(person)` reads only this app's rows."""

    key: str
    title: str
    collect: Callable[["Person"], list[Row]]
    note: str = ""


@dataclass(frozen=True)
class Kept:
    """Rows erasure keeps, how many there are for a person, and why the law or the books need them."""

    key: str
    what: str
    count: Callable[["Person"], int]
    why: str


@dataclass(frozen=True)
class Erasing:
    """What an erasure replaces and with what, for the apps that unlink or reword kept rows."""

    mentions: list[str]
    pseudonym: str
    by: "User | None"


def delete_files_on_commit(files: list[FieldFile]) -> None:
    """Uploaded files go only once the rows that name them are gone for good."""
    for file in files:
        if file.name:
            transaction.on_commit(partial(file.storage.delete, file.name))


def nothing(person: "Person") -> list[Any]:
    return []


def leave(person: "Person", erasing: Erasing) -> None:
    return None


@dataclass(frozen=True)
class Holding:
    """Everything one app declares about the rows it holds on a person.

    `covers` names each link to Person this holding deals with ("model.field", lower case), so a
    test can find a new link no app has thought about. `audited` lists (model, field) pairs whose
    rows' UUIDs the audit log names as targets. `deleted(person)` gives (what, rows) to delete, in
    the order they must go; `blockers(person)` gives reasons erasure must wait; `unlink` runs
    after the deletions, for kept rows that must stop naming the person.
    """

    covers: Sequence[str] = ()
    sections: Sequence[Collector] = ()
    audited: Sequence[tuple[type[models.Model], str]] = ()
    deleted: Callable[["Person"], list[tuple[str, "models.QuerySet[Any]"]]] = nothing
    kept: Sequence[Kept] = ()
    blockers: Callable[["Person"], list[str]] = nothing
    unlink: Callable[["Person", Erasing], None] = leave
    label: str = field(default="", compare=False)


@cache
def holdings() -> tuple[Holding, ...]:
    """Every app's PERSONAL_DATA, labelled with its app, in INSTALLED_APPS order."""
    return tuple(
        replace(holding, label=config.label)
        for config, holding in plugins.declared("personal_data", "PERSONAL_DATA")
    )


def in_order(found: dict[str, Any], order: Sequence[str], kind: str) -> list[Any]:
    """The declarations in `order`, by key; a key declared but not placed is a mistake to fix."""
    unplaced = sorted(set(found) - set(order))
    if unplaced:
        raise LookupError(f"{kind} declared but not placed in the order: {', '.join(unplaced)}")
    return [found[key] for key in order if key in found]
