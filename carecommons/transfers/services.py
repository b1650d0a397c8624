"""Checking and running CSV imports, and writing CSV exports. Each leaves an audit event of counts and ids."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib import spreadsheets
from carecommons.lib.spreadsheets import Problem
from carecommons.lib.words import plural
from carecommons.people.models import Affiliation, Organisation, OrganisationKind, Person
from carecommons.people.services import (
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    add_affiliation,
    create_organisation,
    create_person,
    organisation_name_key,
    reindex_once,
    update_organisation,
    update_person,
)
from carecommons.transfers import csvformat
from carecommons.transfers.csvformat import CheckedFile, Row
from carecommons.transfers.models import ImportBatch, ImportKind, ImportStatus

CHUNK = 500
T = TypeVar("T", str, int)


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass
class Existing:
    """The directory rows an import's rows may match, loaded in a few queries."""

    people: dict[tuple[str, str], list[Person]] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    affiliations: set[tuple[int, int, str]] = field(default_factory=set)


def chunks(values: Iterable[T]) -> Iterator[list[T]]:
    items = sorted(set(values))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def person_key(person: Person) -> tuple[str, str]:
    if person.email:
        return ("email", person.email.lower())
    return ("name", f"{person.given_name}\n{person.family_name}")


def load_existing(kind: str, rows: list[Row]) -> Existing:
    existing = Existing()
    name_field = "organisation" if kind == ImportKind.PEOPLE else "name"
    names = [row.values[name_field] for row in rows if row.values.get(name_field)]
    for keys in chunks(organisation_name_key(name) for name in names):
        existing.organisations.update(
            (org.name_key, org)
            for org in Organisation.objects.filter(name_key__in=keys).prefetch_related("tags")
        )
    if kind != ImportKind.PEOPLE:
        return existing
    emails = [row.values["email"].lower() for row in rows if row.values.get("email")]
    given_names = [row.values["given_name"] for row in rows if not row.values.get("email")]
    found: list[Person] = []
    for some_emails in chunks(emails):
        found.extend(Person.objects.filter(email__in=some_emails).prefetch_related("tags"))
    for some_names in chunks(given_names):
        found.extend(Person.objects.filter(email="", given_name__in=some_names).prefetch_related("tags"))
    for person in found:
        existing.people.setdefault(person_key(person), []).append(person)
    for some_ids in chunks(person.pk for person in found):
        existing.affiliations.update(
            Affiliation.objects.filter(person_id__in=some_ids).values_list(
                "person_id", "organisation_id", "role"
            )
        )
    return existing


def check_against_directory(kind: str, checked: CheckedFile) -> tuple[CheckedFile, Existing]:
    """The file's own checks plus one that needs the database: a row matching several people."""
    existing = load_existing(kind, checked.rows)
    if kind != ImportKind.PEOPLE:
        return checked, existing
    good: list[Row] = []
    problems = list(checked.problems)
    for row in checked.rows:
        matches = existing.people.get(csvformat.identity(kind, row), [])
        if len(matches) > 1:
            what = "have this email" if row.values.get("email") else "have this name and no email"
            reason = f"{len(matches)} people in the directory {what}; merge them before importing"
            problems.append(Problem(row.line, reason))
        else:
            good.append(row)
    problems.sort(key=lambda problem: problem.line)
    return CheckedFile(rows=good, problems=problems, row_count=checked.row_count), existing


def check_content(kind: str, text: str) -> tuple[CheckedFile, Existing]:
    return check_against_directory(kind, csvformat.check_csv(kind, text))


@transaction.atomic
def check_upload(*, kind: str, filename: str, raw_bytes: bytes, by: User | None) -> ImportBatch:
    """The dry run: decode and check the file, keep it with its report, import nothing."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": "Choose whether the file holds people or organisations."})
    refusal = spreadsheets.upload_problem(
        filename=filename, size=len(raw_bytes), max_bytes=settings.CSV_IMPORT_MAX_BYTES
    )
    if refusal:
        raise ValidationError({"file": refusal})
    try:
        text = spreadsheets.decode_upload(raw_bytes)
    except spreadsheets.UploadError as error:
        raise ValidationError({"file": str(error)}) from None
    checked, _ = check_content(kind, text)
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        content=text,
        report=[problem.as_dict() for problem in checked.problems],
        row_count=checked.row_count,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    record_event(
        actor=by,
        action="import.checked",
        target=batch,
        detail={"kind": kind, "rows": batch.row_count, "bad_rows": batch.bad_row_count},
    )
    return batch


def refuse_bad_rows(batch: ImportBatch, skip_bad_rows: bool) -> None:
    bad_rows = batch.bad_row_count
    if bad_rows and not skip_bad_rows:
        raise ValidationError(
            f"Nothing was imported: {plural(bad_rows, 'row has', 'rows have')} problems. "
            "Fix them and upload the file again, or choose to skip them."
        )


@transaction.atomic
def request_import(*, batch: ImportBatch, skip_bad_rows: bool, by: User | None) -> ImportBatch:
    """Queue a checked batch for the worker; a second request for the same batch does nothing.

    The task row is written in this same transaction (database task backend), so a batch is never
    marked as queued without its task, nor queued twice."""
    from carecommons.transfers.tasks import import_batch

    refuse_bad_rows(batch, skip_bad_rows)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED,
        skip_bad_rows=skip_bad_rows,
        imported_by=by if by is not None and by.is_authenticated else None,
        updated_at=timezone.now(),
    )
    if claimed:
        record_event(actor=by, action="import.requested", target=batch, detail={"kind": batch.kind})
        import_batch.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch


def run_queued_import(batch_id: int) -> ImportBatch:
    """What the worker does: run the import, or record plainly why it could not run."""
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        return run_import(batch=batch, skip_bad_rows=batch.skip_bad_rows, by=batch.imported_by)
    except ValidationError as error:
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.QUEUED).update(
                status=ImportStatus.FAILED, result={"error": " ".join(error.messages)}, content=""
            )
            record_event(
                actor=batch.imported_by, action="import.failed", target=batch, detail={"kind": batch.kind}
            )
        batch.refresh_from_db()
        return batch


@transaction.atomic
def run_import(*, batch: ImportBatch, skip_bad_rows: bool, by: User | None) -> ImportBatch:
    """Import the good rows in one transaction. A batch is imported at most once, however often asked."""
    now = timezone.now()
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportStatus.CHECKED, ImportStatus.QUEUED]
    ).update(status=ImportStatus.IMPORTED, imported_at=now, updated_at=now)
    if not claimed:
        batch.refresh_from_db()
        return batch
    checked, existing = check_content(batch.kind, batch.content)
    bad_rows = len(checked.bad_lines)
    if bad_rows and not skip_bad_rows:
        raise ValidationError(
            f"Nothing was imported: {plural(bad_rows, 'row has', 'rows have')} problems. "
            "Fix them and upload the file again, or choose to skip them."
        )
    if not checked.rows:
        raise ValidationError("Nothing was imported: the file has no rows without problems.")
    apply = apply_person_row if batch.kind == ImportKind.PEOPLE else apply_organisation_row
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": bad_rows}
    if batch.kind == ImportKind.PEOPLE:
        counts["organisations_created"] = 0
    with reindex_once():
        for row in checked.rows:
            try:
                for outcome in apply(row, existing, by):
                    counts[outcome] += 1
            except (ValidationError, IntegrityError) as error:
                raise ValidationError(
                    f"Nothing was imported: line {row.line} could not be saved ({saving_problem(error)}). "
                    "Fix that line and upload the file again."
                ) from error
    batch.refresh_from_db()
    batch.report = [problem.as_dict() for problem in checked.problems]
    batch.result = counts
    batch.content = ""
    batch.save(update_fields=["report", "result", "content", "updated_at"])
    record_event(actor=by, action="import.completed", target=batch, detail={"kind": batch.kind, **counts})
    return batch


@transaction.atomic
def discard_batch(*, batch: ImportBatch, by: User | None) -> ImportBatch:
    discarded = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.DISCARDED, content="", updated_at=timezone.now()
    )
    batch.refresh_from_db()
    if discarded:
        record_event(actor=by, action="import.discarded", target=batch, detail={"kind": batch.kind})
    return batch


def saving_problem(error: ValidationError | IntegrityError) -> str:
    # Database messages can quote the values that clashed, so only validation messages are shown.
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return "the database refused it"


def changed_values(
    obj: Person | Organisation, values: dict[str, str], fields: Iterable[str]
) -> dict[str, str]:
    """Fields the row fills in that differ; an empty cell never clears what is already there."""
    return {name: values[name] for name in fields if values.get(name) and getattr(obj, name) != values[name]}


def tags_to_set(obj: Person | Organisation, tags: tuple[str, ...] | None) -> list[str] | None:
    """The tags after adding the row's; None if it adds none. Imports add tags, never remove them."""
    current = {tag.name for tag in obj.tags.all()}
    if not tags or current.issuperset(tags):
        return None
    return sorted(current | set(tags))


def apply_person_row(row: Row, existing: Existing, by: User | None) -> list[str]:
    values = {name: value for name, value in row.values.items() if name in PERSON_FIELDS and value}
    if "email" in values:
        values["email"] = values["email"].lower()
    key = csvformat.identity(ImportKind.PEOPLE, row)
    if key in existing.people:
        person = existing.people[key][0]
        changes = changed_values(person, values, PERSON_FIELDS)
        tags = tags_to_set(person, row.tags)
        if changes or tags is not None:
            update_person(person=person, by=by, tags=tags, **changes)
        outcome = "updated" if changes or tags is not None else "unchanged"
    else:
        person = create_person(by=by, tags=row.tags or (), **values)
        existing.people[key] = [person]
        outcome = "created"
    affiliated, organisation_created = add_missing_affiliation(person, row, existing, by)
    if affiliated and outcome == "unchanged":
        outcome = "updated"
    return [outcome, "organisations_created"] if organisation_created else [outcome]


def add_missing_affiliation(
    person: Person, row: Row, existing: Existing, by: User | None
) -> tuple[bool, bool]:
    """Affiliate the person with the row's organisation, creating it if needed: (affiliated, created)."""
    name = row.values.get("organisation", "")
    if not name:
        return False, False
    key = organisation_name_key(name)
    organisation = existing.organisations.get(key)
    created = organisation is None
    if organisation is None:
        organisation = create_organisation(by=by, name=name, kind=OrganisationKind.OTHER)
        existing.organisations[key] = organisation
    role = row.values.get("organisation_role", "")
    if (person.pk, organisation.pk, role) in existing.affiliations:
        return False, created
    add_affiliation(person=person, organisation=organisation, role=role, by=by)
    existing.affiliations.add((person.pk, organisation.pk, role))
    return True, created


def apply_organisation_row(row: Row, existing: Existing, by: User | None) -> list[str]:
    key = organisation_name_key(row.values["name"])
    organisation = existing.organisations.get(key)
    if organisation is None:
        values = {name: value for name, value in row.values.items() if value}
        existing.organisations[key] = create_organisation(by=by, tags=row.tags or (), **values)
        return ["created"]
    changes = changed_values(organisation, row.values, ORGANISATION_FIELDS)
    tags = tags_to_set(organisation, row.tags)
    if not changes and tags is None:
        return ["unchanged"]
    update_organisation(organisation=organisation, by=by, tags=tags, **changes)
    return ["updated"]


def person_cells(person: Person) -> dict[str, str]:
    affiliation = next(iter(person.affiliations.all()), None)
    return {
        "email": person.email,
        "first_name": person.given_name,
        "last_name": person.family_name,
        "preferred_name": person.preferred_name,
        "pronouns": person.pronouns,
        "phone": person.phone,
        "postal_address": person.postal_address,
        "preferred_language": person.preferred_language,
        "accessibility_needs": person.accessibility_needs,
        "organisation": affiliation.organisation.name if affiliation else "",
        "organisation_role": affiliation.role if affiliation else "",
        "tags": csvformat.join_tags(tag.name for tag in person.tags.all()),
    }


def organisation_cells(organisation: Organisation) -> dict[str, str]:
    cells = {name: str(getattr(organisation, name)) for name in ORGANISATION_FIELDS}
    cells["tags"] = csvformat.join_tags(tag.name for tag in organisation.tags.all())
    return cells


@transaction.atomic
def export_people_csv(*, user: User, out: Writable) -> int:
    """Write everyone the user may see as CSV; the same format the import reads. Returns the row count."""
    people = Person.objects.visible_to(user).prefetch_related(
        "tags",
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(ended_on__isnull=True).select_related("organisation"),
        ),
    )
    count = write_csv(out, ImportKind.PEOPLE, (person_cells(p) for p in people.iterator(chunk_size=1000)))
    record_event(actor=user, action="export.people", target=None, detail={"rows": count})
    return count


@transaction.atomic
def export_organisations_csv(*, user: User, out: Writable) -> int:
    organisations = Organisation.objects.prefetch_related("tags")
    count = write_csv(
        out,
        ImportKind.ORGANISATIONS,
        (organisation_cells(o) for o in organisations.iterator(chunk_size=1000)),
    )
    record_event(actor=user, action="export.organisations", target=None, detail={"rows": count})
    return count


def write_csv(out: Writable, kind: str, records: Iterable[dict[str, str]]) -> int:
    out.write("\ufeff")  # so spreadsheet programs recognise UTF-8
    writer = csv.writer(out)
    writer.writerow(csvformat.header(kind))
    count = 0
    for record in records:
        writer.writerow(csvformat.export_record(kind, record))
        count += 1
    return count
