"""Importing bank statements and matching their lines to the books. Every write is audited with ids
and counts, never the statement's words or amounts."""

import hashlib
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.finances.models import MONEY_KINDS, Account, Entry, Group
from carecommons.lib.spreadsheets import UploadError
from carecommons.lib.words import plural
from carecommons.statements import csvformat, matching, queries
from carecommons.statements.csvformat import CheckedStatement, Mapping
from carecommons.statements.models import (
    ImportStatus,
    Match,
    MatchState,
    Rejection,
    StatementImport,
    StatementLine,
)
from carecommons.statements.uploads import decode_statement, upload_problem

REPORT_LIMIT = 1000
BATCH_SIZE = 2000


def person(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


def latest_mapping(group: Group, account: Account | None = None) -> Mapping:
    """The mapping used last time for this account (or any of the group's), to fill the form."""
    earlier = StatementImport.objects.filter(group=group)
    if account is not None and earlier.filter(account=account).exists():
        earlier = earlier.filter(account=account)
    last = earlier.order_by("-created_at", "-id").values_list("mapping", flat=True).first()
    return Mapping.from_dict(last) if last else csvformat.DEFAULT_MAPPING


def check_content(statement: StatementImport) -> CheckedStatement:
    return csvformat.check_statement(statement.content, Mapping.from_dict(statement.mapping))


def fill_report(statement: StatementImport, checked: CheckedStatement) -> set[tuple[date, int, str, int]]:
    """Set the dry run's figures; returns the keys of the lines imported before."""
    known = queries.known_keys(statement.account, checked.lines)
    statement.problems = [problem.as_dict() for problem in checked.problems[:REPORT_LIMIT]]
    statement.mapping_problems = checked.mapping_problems
    statement.headings = checked.headings
    statement.preview = [
        {
            "line": line.line,
            "date": line.occurred_on.isoformat(),
            "description": line.description,
            "amount_pence": line.amount_pence,
            "balance_pence": line.balance_pence,
        }
        for line in checked.lines[: csvformat.PREVIEW_LINES]
    ]
    statement.row_count = checked.row_count
    statement.bad_row_count = len(checked.bad_lines)
    statement.known_line_count = sum(1 for line in checked.lines if line.key in known)
    statement.new_line_count = len(checked.lines) - statement.known_line_count
    statement.starts_on, statement.ends_on = checked.starts_on, checked.ends_on
    statement.closing_balance_pence = checked.closing_balance_pence
    return known


def check_account(group: Group, account: Account) -> None:
    if account.group_id != group.pk or account.kind not in MONEY_KINDS:
        raise ValidationError({"account": "Choose one of this group's bank or cash accounts."})


def report_detail(statement: StatementImport) -> dict[str, object]:
    return {
        "account": str(statement.account.uuid),
        "rows": statement.row_count,
        "bad_rows": statement.bad_row_count,
        "new_lines": statement.new_line_count,
        "known_lines": statement.known_line_count,
    }


@transaction.atomic
def check_statement(
    *, group: Group, account: Account, filename: str, raw_bytes: bytes, mapping: Mapping, by: User | None
) -> StatementImport:
    """The dry run: read the file with the mapping and keep the report; no line is imported.
    A file already imported into this account gives back that import instead."""
    check_account(group, account)
    refusal = upload_problem(filename=filename, size=len(raw_bytes))
    if refusal:
        raise ValidationError({"file": refusal})
    try:
        text = decode_statement(raw_bytes)
    except UploadError as error:
        raise ValidationError({"file": str(error)}) from None
    digest = hashlib.sha256(raw_bytes).hexdigest()
    earlier = StatementImport.objects.filter(account=account, sha256=digest, status=ImportStatus.IMPORTED)
    if earlier.exists():
        return earlier.get()
    statement = StatementImport(
        group=group,
        account=account,
        uploaded_by=person(by),
        filename=filename[:255],
        sha256=digest,
        content=text,
        mapping=mapping.as_dict(),
    )
    fill_report(statement, csvformat.check_statement(text, mapping))
    statement.save()
    record_event(actor=by, action="statements.checked", target=statement, detail=report_detail(statement))
    return statement


@transaction.atomic
def recheck_statement(*, statement: StatementImport, mapping: Mapping, by: User | None) -> StatementImport:
    """Read the same file again with another mapping (only before it is imported)."""
    locked = StatementImport.objects.select_for_update().get(pk=statement.pk)
    if locked.status != ImportStatus.DRY_RUN:
        return locked
    locked.mapping = mapping.as_dict()
    fill_report(locked, csvformat.check_statement(locked.content, mapping))
    locked.save()
    record_event(actor=by, action="statements.checked", target=locked, detail=report_detail(locked))
    return locked


def refuse_unreadable(statement: StatementImport, skip_bad_rows: bool) -> None:
    if not statement.readable:
        raise ValidationError("Nothing was imported: the columns cannot be read. Change the mapping first.")
    if statement.bad_row_count and not skip_bad_rows:
        raise ValidationError(
            f"Nothing was imported: {plural(statement.bad_row_count, 'line has', 'lines have')} problems. "
            "Fix the file or the mapping, or choose to skip those lines."
        )


@transaction.atomic
def request_import(*, statement: StatementImport, skip_bad_rows: bool, by: User | None) -> StatementImport:
    """Queue a checked statement for the worker; asking twice queues it once."""
    from carecommons.statements.tasks import import_statement

    refuse_unreadable(statement, skip_bad_rows)
    claimed = StatementImport.objects.filter(pk=statement.pk, status=ImportStatus.DRY_RUN).update(
        status=ImportStatus.QUEUED,
        skip_bad_rows=skip_bad_rows,
        imported_by=person(by),
        updated_at=timezone.now(),
    )
    if claimed:
        record_event(actor=by, action="statements.import_requested", target=statement)
        import_statement.enqueue(statement.pk)
    statement.refresh_from_db()
    return statement


def run_queued_import(statement_id: int) -> StatementImport:
    """What the worker does: the import, or the reason it could not be done, in plain words."""
    statement = StatementImport.objects.select_related("account").get(pk=statement_id)
    try:
        return run_import(
            statement=statement, skip_bad_rows=statement.skip_bad_rows, by=statement.imported_by
        )
    except ValidationError as error:
        with transaction.atomic():
            StatementImport.objects.filter(pk=statement.pk, status=ImportStatus.QUEUED).update(
                status=ImportStatus.FAILED, error=" ".join(error.messages), updated_at=timezone.now()
            )
            record_event(actor=statement.imported_by, action="statements.import_failed", target=statement)
        statement.refresh_from_db()
        return statement


@transaction.atomic
def run_import(*, statement: StatementImport, skip_bad_rows: bool, by: User | None) -> StatementImport:
    """Add the statement's new lines in one transaction and suggest matches for them. A statement
    is imported at most once, and a line already imported from another statement is not added."""
    # One import per account at a time (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions
    # already queue writers), so two overlapping statements cannot both add the same line.
    Account.objects.select_for_update().filter(pk=statement.account_id).first()
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = StatementImport.objects.filter(
                pk=statement.pk, status__in=[ImportStatus.DRY_RUN, ImportStatus.QUEUED]
            ).update(status=ImportStatus.IMPORTED, imported_at=now, imported_by=person(by), updated_at=now)
    except IntegrityError:
        raise ValidationError(
            "Nothing was imported: this file was imported into this account before."
        ) from None
    if not claimed:
        statement.refresh_from_db()
        return statement
    checked = check_content(statement)
    known = fill_report(statement, checked)
    refuse_unreadable(statement, skip_bad_rows)
    new = [line for line in checked.lines if line.key not in known]
    try:
        insert_lines(statement, new)
    except IntegrityError:
        raise ValidationError(
            "Nothing was imported: the bank lines changed while importing. Try again."
        ) from None
    statement.imported_line_count = len(new)
    statement.status, statement.imported_at, statement.content = ImportStatus.IMPORTED, now, ""
    statement.skip_bad_rows, statement.imported_by = skip_bad_rows, person(by)
    statement.save()
    suggested = suggest_matches(account=statement.account)
    record_event(
        actor=by,
        action="statements.imported",
        target=statement,
        detail={**report_detail(statement), "imported": len(new), "suggested": suggested},
    )
    return statement


LINE_COLUMNS = (
    "created_at", "updated_at", "statement_id", "group_id", "account_id", "line_number", "occurred_on",
    "description", "amount_pence", "balance_pence", "occurrence", "reconciled",
)  # fmt: skip


def insert_lines(statement: StatementImport, lines: list[csvformat.Line]) -> None:
    """Write the lines with one executemany. bulk_create prepares each of the 12 values of each
    line through the field API (about 0.17 ms a line: 17 s for a 100,000-line file, in 83-row
    batches under SQLite's 999-parameter limit); here only the dates need adapting. A test checks
    `LINE_COLUMNS` against the model, so a new field cannot be left out."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (
            now, now, statement.pk, statement.group_id, statement.account_id, line.line,
            ops.adapt_datefield_value(line.occurred_on),
            line.description, line.amount_pence, line.balance_pence, line.occurrence, False,
        )
        for line in lines
    ]  # fmt: skip
    columns = ", ".join(ops.quote_name(name) for name in LINE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(LINE_COLUMNS))
    sql = f"INSERT INTO {ops.quote_name(StatementLine._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def discard_statement(*, statement: StatementImport, by: User | None) -> bool:
    discarded = StatementImport.objects.filter(pk=statement.pk, status=ImportStatus.DRY_RUN).update(
        status=ImportStatus.DISCARDED, content="", updated_at=timezone.now()
    )
    if discarded:
        record_event(actor=by, action="statements.discarded", target=statement)
    return bool(discarded)


def suggest_matches(*, account: Account) -> int:
    """Suggest an entry for every line of the account with neither a match nor a suggestion.
    Three queries whatever the size: the open lines, the free entries in their dates, refusals."""
    rows = list(
        StatementLine.objects.filter(account=account, reconciled=False, match__isnull=True)
        .order_by()
        .values_list("pk", "occurred_on", "amount_pence")
    )
    if not rows:
        return 0
    span = timedelta(days=matching.WINDOW_DAYS)
    first = min(on for _, on, _ in rows) - span
    last = max(on for _, on, _ in rows) + span
    entries = [
        matching.Dated(*entry)
        for entry in Entry.objects.filter(
            account=account,
            transaction__posted=True,
            transaction__occurred_on__range=(first, last),
            statement_match__isnull=True,
        )
        .order_by()
        .values_list("pk", "transaction__occurred_on", "amount_pence")
    ]
    # A line can only match an entry of its amount: the others need not become Dated at all.
    amounts = {entry.pence for entry in entries}
    lines = [matching.Dated(*row) for row in rows if row[2] in amounts]
    refused = set(
        Rejection.objects.filter(line__account=account, line__reconciled=False).values_list(
            "line_id", "entry_id"
        )
    )
    chosen = matching.suggest(lines, entries, refused=refused)
    Match.objects.bulk_create(
        (Match(line_id=line_id, entry_id=entry_id) for line_id, entry_id in chosen.items()),
        batch_size=BATCH_SIZE,
    )
    return len(chosen)


@transaction.atomic
def suggest_again(*, statement: StatementImport, by: User | None) -> int:
    Account.objects.select_for_update().filter(pk=statement.account_id).first()
    suggested = suggest_matches(account=statement.account)
    record_event(actor=by, action="statements.suggested", target=statement, detail={"suggested": suggested})
    return suggested


def match_detail(line: StatementLine, entry_id: int) -> dict[str, object]:
    txn = Entry.objects.filter(pk=entry_id).values_list("transaction__uuid", flat=True).first()
    return {"line": line.pk, "entry": entry_id, "transaction": str(txn)}


@transaction.atomic
def confirm_match(*, line: StatementLine, by: User | None) -> bool:
    """Confirm the line's suggested entry. A second confirmation (a double click) does nothing."""
    now = timezone.now()
    confirmed = Match.objects.filter(line=line, state=MatchState.SUGGESTED).update(
        state=MatchState.CONFIRMED, confirmed_by=person(by), confirmed_at=now, updated_at=now
    )
    if not confirmed:
        return False
    StatementLine.objects.filter(pk=line.pk).update(reconciled=True, updated_at=now)
    entry_id = Match.objects.filter(line=line).values_list("entry_id", flat=True).get()
    record_event(
        actor=by,
        action="statements.match_confirmed",
        target=line.statement,
        detail=match_detail(line, entry_id),
    )
    return True


@transaction.atomic
def reject_match(*, line: StatementLine, by: User | None) -> bool:
    """Say the line's suggested (or confirmed) entry is not it; it is not suggested for it again."""
    match = Match.objects.filter(line=line).first()
    if match is None:
        return False
    deleted, _ = Match.objects.filter(pk=match.pk, state=match.state).delete()
    if not deleted:
        return False
    Rejection.objects.get_or_create(line=line, entry_id=match.entry_id, defaults={"rejected_by": person(by)})
    if match.state == MatchState.CONFIRMED:
        StatementLine.objects.filter(pk=line.pk).update(reconciled=False, updated_at=timezone.now())
    record_event(
        actor=by,
        action="statements.match_rejected",
        target=line.statement,
        detail={**match_detail(line, match.entry_id), "was": match.state},
    )
    return True


@transaction.atomic
def match_line(*, line: StatementLine, entry: Entry, by: User | None) -> Match:
    """A person picked the entry for this line themselves: confirmed at once. An entry suggested
    for another line is taken from it; an entry confirmed for another line cannot be."""
    if entry.account_id != line.account_id or not entry.transaction.posted:
        raise ValidationError({"entry": "Choose a posted entry on this statement's account."})
    if StatementLine.objects.filter(pk=line.pk, reconciled=True).exists():
        raise ValidationError("This line is already matched.")
    if Match.objects.filter(entry=entry, state=MatchState.CONFIRMED).exists():
        raise ValidationError({"entry": "That entry is already matched to another bank line."})
    Match.objects.filter(line=line).delete()
    Match.objects.filter(entry=entry, state=MatchState.SUGGESTED).delete()
    now = timezone.now()
    try:
        with transaction.atomic():
            match = Match.objects.create(
                line=line, entry=entry, state=MatchState.CONFIRMED, confirmed_by=person(by), confirmed_at=now
            )
    except IntegrityError:
        raise ValidationError("Someone matched this line or that entry a moment ago. Look again.") from None
    StatementLine.objects.filter(pk=line.pk).update(reconciled=True, updated_at=now)
    record_event(
        actor=by, action="statements.line_matched", target=line.statement, detail=match_detail(line, entry.pk)
    )
    return match
