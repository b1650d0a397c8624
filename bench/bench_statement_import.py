"""Importing a 100,000-line bank statement: lines per second for the dry run and for the whole
import (dry run + import), against the same work done one ORM call per line.

The statement is made in memory with a seeded generator: a year and a half of a busy account, with
paid-in / paid-out / balance columns, DD/MM/YYYY dates, repeated payments on one day and 0.1 % bad
lines. 1,000 of its payments in are also posted to the ledger as donations first, so the import's
suggestion step has real work. The real side calls the services the pages call: `check_statement`
(the dry run), then `request_import`, whose task runs at once here (the immediate task backend),
exactly as the worker would run it. The anchor reads the same parsed lines and, for each, asks the
database whether it is already there (`exists()`) and adds it with one `create()`, inside one
transaction, on the first 10,000 lines, into another account; the anchor's dry run is the same
without the `create()`. A third line sets the whole import against the issue's budget of 20,000
lines a second (reported, not enforced, as the README says of timing budgets).
"""

import hashlib
import os
import random
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

import support

if TYPE_CHECKING:
    from carecommons.finances.models import Account, Group

LINES, SAMPLE, DONATIONS, SEED = 100_000, 10_000, 1_000, 20261202
BUDGET_LINES_PER_SECOND = 20_000  # issue 16; reported, not enforced (bench/README.md)
BAD_SHARE = 0.001
PAYEES = (
    "TESCO STORES", "SAINSBURYS", "CO-OP FOOD", "ALDI", "BOOTS", "NATIONAL RAIL", "FIRST BUS",
    "EE MOBILE", "YORKSHIRE WATER", "OCTOPUS ENERGY", "ST JAMES HALL RENT", "PHARMACY 24",
)  # fmt: skip
DONORS = ("A KHAN", "J SMITH", "M OKAFOR", "S NOWAK", "P PATEL", "R JONES", "CHURCH COLLECTION")


def make_csv(rng: random.Random) -> tuple[bytes, list[tuple[date, int]]]:
    """The file, and (date, pence) of some payments in, for the ledger to hold."""
    rows = ["Date,Description,Paid in,Paid out,Balance"]
    gifts: list[tuple[date, int]] = []
    day, balance = date(2025, 1, 1), 500_000
    for n in range(LINES):
        if rng.random() < 0.006:
            day += timedelta(days=1)
        if rng.random() < 0.35:
            pence = rng.choice((500, 1000, 2000, 2500, rng.randint(100, 20_000)))
            what, paid_in, paid_out = f"FROM {rng.choice(DONORS)}", pence, 0
            if len(gifts) < DONATIONS and rng.random() < 0.05:
                gifts.append((day, pence))
        else:
            pence = rng.randint(150, 9_000)
            what, paid_in, paid_out = rng.choice(PAYEES), 0, pence
        balance += paid_in - paid_out
        cells = [f"{day:%d/%m/%Y}", what, money(paid_in), money(paid_out), money(balance)]
        if rng.random() < BAD_SHARE:
            cells[rng.choice((0, 2, 3))] = "n/a" if n % 2 else ""
        rows.append(",".join(cells))
    return ("\n".join(rows) + "\n").encode(), gifts


def money(pence: int) -> str:
    if not pence:
        return ""
    return f"{'-' if pence < 0 else ''}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def mapping():  # type: ignore[no-untyped-def]
    from carecommons.statements.csvformat import Mapping

    return Mapping(
        date="Date", description="Description", paid_in="Paid in", paid_out="Paid out", balance="Balance"
    )


def real_import(group: "Group", bank: "Account", raw: bytes) -> tuple[float, float, int]:
    """(dry-run seconds, import seconds, lines imported) through the services the pages use."""
    from carecommons.statements import services
    from carecommons.statements.models import ImportStatus

    started = time.perf_counter()
    statement = services.check_statement(
        group=group, account=bank, filename="year.csv", raw_bytes=raw, mapping=mapping(), by=None
    )
    checked = time.perf_counter()
    statement = services.request_import(statement=statement, skip_bad_rows=True, by=None)
    done = time.perf_counter()
    assert statement.status == ImportStatus.IMPORTED, (statement.status, statement.error)
    support.log(
        f"dry run: {statement.row_count:,} lines, {statement.bad_row_count} bad; "
        f"imported {statement.imported_line_count:,}"
    )
    return checked - started, done - checked, statement.imported_line_count


def naive_import(group: "Group", account: "Account", raw: bytes, *, write: bool) -> tuple[float, int]:
    """The anchor: parse, then one exists() and (when writing) one create() per line."""
    from django.db import transaction

    from carecommons.statements.csvformat import check_statement
    from carecommons.statements.models import StatementImport, StatementLine
    from carecommons.statements.uploads import decode_statement

    started = time.perf_counter()
    with transaction.atomic():
        statement = StatementImport.objects.create(
            group=group, account=account, sha256=hashlib.sha256(raw).hexdigest(), mapping=mapping().as_dict()
        )
        added = 0
        for line in check_statement(decode_statement(raw), mapping()).lines:
            same = StatementLine.objects.filter(
                account=account,
                occurred_on=line.occurred_on,
                amount_pence=line.amount_pence,
                description=line.description,
                occurrence=line.occurrence,
            )
            if same.exists() or not write:
                continue
            StatementLine.objects.create(
                statement=statement,
                group=group,
                account=account,
                line_number=line.line,
                occurred_on=line.occurred_on,
                description=line.description,
                amount_pence=line.amount_pence,
                balance_pence=line.balance_pence,
                occurrence=line.occurrence,
            )
            added += 1
    return time.perf_counter() - started, added


def main() -> list[str]:
    # Before Django starts: the task backends are read once, when something first enqueues.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    support.setup_django()
    from django.conf import settings

    from carecommons.finances import services as books
    from carecommons.finances.models import Account, AccountKind, AccountPurpose
    from carecommons.statements import services
    from carecommons.statements.models import Match, StatementLine

    settings.STATEMENT_MAX_BYTES = 50 * 1024 * 1024
    rng = random.Random(SEED)
    raw, gifts = make_csv(rng)
    sample = b"".join(raw.splitlines(keepends=True)[: SAMPLE + 1])
    support.log(f"statement: {LINES:,} lines, {len(raw) / 1e6:.1f} MB; {len(gifts)} gifts in the ledger")

    group = books.create_group(name="Bench Mutual Aid", slug="bench", by=None)
    bank = Account.objects.for_purpose(group, AccountPurpose.BANK)
    for day, pence in gifts:
        books.record_donation(group=group, amount_pence=pence, occurred_on=day + timedelta(days=1), by=None)

    dry_seconds, import_seconds, added = real_import(group, bank, raw)
    matched = Match.objects.count()
    support.log(f"dry run {dry_seconds:.2f} s, import {import_seconds:.2f} s; {matched} suggestions")
    assert StatementLine.objects.filter(account=bank).count() == added and matched >= len(gifts) * 0.9

    again = services.check_statement(
        group=group, account=bank, filename="again.csv", raw_bytes=sample + b"\n", mapping=mapping(), by=None
    )
    assert again.new_line_count == 0 and again.known_line_count > 0, "an overlapping file adds nothing"

    other = books.add_account(group=group, name="Second bank", kind=AccountKind.BANK, by=None)
    naive_dry_seconds, _ = naive_import(group, other, sample, write=False)
    naive_seconds, naive_added = naive_import(group, other, sample, write=True)
    support.log(f"naive on {SAMPLE:,} lines: dry run {naive_dry_seconds:.2f} s, import {naive_seconds:.2f} s")
    assert naive_added > SAMPLE * 0.99

    rate = LINES / (dry_seconds + import_seconds)
    return [
        support.line(
            "statement_import_lines_per_second", rate, "lines/s", SAMPLE / (naive_dry_seconds + naive_seconds)
        ),
        support.line("statement_import_lines_per_second_vs_budget", rate, "lines/s", BUDGET_LINES_PER_SECOND),
        support.line(
            "statement_dry_run_lines_per_second", LINES / dry_seconds, "lines/s", SAMPLE / naive_dry_seconds
        ),
    ]


if __name__ == "__main__":
    print(*main(), sep="\n")
