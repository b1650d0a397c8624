"""A group's whole ledger as a file it can take to another Care Commons (docs/guide/group-money.md).

JSON (`carecommons-ledger`, version 1) holds everything needed to rebuild the books: the group's
rules, accounts, restricted funds, budgets and every posted transaction with its entries, plus the
balance of each account so the importer can prove nothing changed on the way. CSV holds the same
entries one per row, for spreadsheets and auditors. People, expenses, receipts and payee details
are not in the file: they stay with the host that holds them (and payee details never leave it).
"""

import csv
import io
import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.finances import ledger
from carecommons.finances.models import (
    Account,
    Balance,
    Budget,
    Entry,
    Fund,
    Group,
    Host,
    Transaction,
    TransactionKind,
)
from carecommons.finances.services import (
    POLICY_FIELDS,
    ROLE_POLICY,
    policy_of,
    post_transaction,
    start_money_group,
    starting_purpose,
)
from carecommons.lib.spreadsheets import guard

FORMAT, VERSION = "carecommons-ledger", 1
CSV_HEADER = [
    "transaction",
    "date",
    "kind",
    "description",
    "counterparty",
    "counterparty_public",
    "reverses",
    "account",
    "account_kind",
    "fund",
    "amount_pence",
    "amount",
]


def transactions_of(group: Group) -> list[Transaction]:
    entries = Entry.objects.select_related("account", "fund").order_by("id")
    return list(
        Transaction.objects.filter(group=group, posted=True)
        .select_related("reverses")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("id")
    )


def export_json(*, group: Group, by: User | None) -> dict[str, Any]:
    balances = dict(Balance.objects.filter(account__group=group).values_list("account__uuid", "pence"))
    accounts = list(Account.objects.filter(group=group).order_by("id"))
    funds = list(Fund.objects.filter(group=group).prefetch_related("allowed_categories").order_by("id"))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_on": timezone.localdate().isoformat(),
        "group": {"name": group.name, "slug": group.slug, **policy_of(group)},
        "accounts": [
            {
                "id": str(a.uuid),
                "name": a.name,
                "kind": a.kind,
                "purpose": a.purpose,
                "balance_pence": balances.get(a.uuid, 0),
            }
            for a in accounts
        ],
        "funds": [
            {
                "id": str(f.uuid),
                "name": f.name,
                "conditions": f.conditions,
                "allowed_categories": sorted(str(a.uuid) for a in f.allowed_categories.all()),
            }
            for f in funds
        ],
        "budgets": [
            {
                "category": str(b.category.uuid),
                "starts_on": b.starts_on.isoformat(),
                "ends_on": b.ends_on.isoformat(),
                "amount_pence": b.amount_pence,
            }
            for b in Budget.objects.filter(group=group).select_related("category").order_by("id")
        ],
        "transactions": [
            {
                "id": str(t.uuid),
                "kind": t.kind,
                "occurred_on": t.occurred_on.isoformat(),
                "description": t.description,
                "counterparty": t.counterparty,
                "counterparty_public": t.counterparty_public,
                "reverses": str(t.reverses.uuid) if t.reverses else None,
                "entries": [
                    {
                        "account": str(e.account.uuid),
                        "fund": str(e.fund.uuid) if e.fund else None,
                        "amount_pence": e.amount_pence,
                    }
                    for e in t.entries.all()
                ],
            }
            for t in transactions_of(group)
        ],
    }
    record_event(actor=by, action="finances.ledger_exported", target=group, detail={"format": "json"})
    return document


def export_csv(*, group: Group, by: User | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for t in transactions_of(group):
        for e in t.entries.all():
            # Text typed by people is guarded against formula injection; numbers we wrote are not,
            # so a spreadsheet still reads "-12.50" as a number.
            writer.writerow([
                str(t.uuid), t.occurred_on.isoformat(), t.kind, guard(t.description), guard(t.counterparty),
                "yes" if t.counterparty_public else "no", str(t.reverses.uuid) if t.reverses else "",
                guard(e.account.name), e.account.kind, guard(e.fund.name if e.fund else ""),
                str(e.amount_pence), decimal_pounds(e.amount_pence),
            ])  # fmt: skip
    record_event(actor=by, action="finances.ledger_exported", target=group, detail={"format": "csv"})
    return out.getvalue()


def decimal_pounds(pence: int) -> str:
    """-1250 → "-12.50": exact, no currency sign, for spreadsheets."""
    pounds, rest = divmod(abs(pence), 100)
    return f"{'-' if pence < 0 else ''}{pounds}.{rest:02d}"


def problem(message: str) -> ValidationError:
    return ValidationError(f"This file cannot be imported: {message}")


@transaction.atomic
def import_json(*, document: Any, slug: str, by: User | None, host: Host | None = None) -> Group:
    """Rebuild a group's books from `export_json`'s file: all of it, with the same balances, or
    nothing. Every transaction is posted again through the ledger's checks."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise problem("it is not a Care Commons ledger export.")
    if document.get("version") != VERSION:
        raise problem(f"it is version {document.get('version')}; this Care Commons reads version {VERSION}.")
    try:
        return rebuild(document, slug=slug, by=by, host=host)
    except (KeyError, TypeError, ValueError) as error:
        raise problem(f"a part is missing or malformed ({error}).") from None


def whole(value: Any, what: str) -> int:
    """An amount exactly as written: a JSON integer, never a float, a string or true/false."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be a whole number of pence, not {value!r}")
    return value


def yes_no(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false, not {value!r}")
    return value


def rebuild(document: dict[str, Any], *, slug: str, by: User | None, host: Host | None) -> Group:
    source = document["group"]
    group = Group(slug=slug, host=host)
    for field in POLICY_FIELDS:
        if field != ROLE_POLICY:
            setattr(group, field, source[field])
    # A public page goes live again only when the group says so at its new home.
    group.public_page = False
    group.approval_threshold_pence = whole(source["approval_threshold_pence"], "the approval threshold")
    group.full_clean(exclude=["group"])
    months = source[ROLE_POLICY]
    if months is not None:
        months = whole(months, "the treasurer term")
    group.group = start_money_group(name=str(source["name"]), by=by, treasurer_term_months=months)
    group.save()
    accounts: dict[str, Account] = {}
    purposes: set[str] = set()
    for row in document["accounts"]:
        name, kind = str(row["name"]), str(row["kind"])
        # Files written before accounts had purposes: the starting accounts are known by name.
        purpose = row["purpose"] if "purpose" in row else starting_purpose(name, kind)
        if purpose:
            if purpose in purposes:
                raise ValueError(f"two accounts are used for {purpose!r}")
            purposes.add(purpose)
        account = Account(group=group, name=name, kind=kind, purpose=purpose)
        account.full_clean(exclude=["group"])
        account.save()
        accounts[str(row["id"])] = account
    funds: dict[str, Fund] = {}
    for row in document["funds"]:
        fund = Fund.objects.create(group=group, name=str(row["name"]), conditions=str(row["conditions"]))
        fund.allowed_categories.set([accounts[a] for a in row["allowed_categories"]])
        funds[str(row["id"])] = fund
    for row in document["budgets"]:
        Budget.objects.create(
            group=group, category=accounts[row["category"]], starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]), amount_pence=whole(row["amount_pence"], "a budget"),
        )  # fmt: skip
    posted: dict[str, Transaction] = {}
    for row in document["transactions"]:
        if row["kind"] not in TransactionKind.values:
            raise ValueError(f"unknown kind of transaction {row['kind']!r}")
        lines = [
            ledger.Line(
                accounts[e["account"]].pk,
                whole(e["amount_pence"], "an entry"),
                funds[e["fund"]].pk if e["fund"] else None,
            )
            for e in row["entries"]
        ]
        posted[str(row["id"])] = post_transaction(
            group=group, kind=str(row["kind"]), occurred_on=date.fromisoformat(row["occurred_on"]),
            description=str(row["description"]), lines=lines, by=by, counterparty=str(row["counterparty"]),
            counterparty_public=yes_no(row["counterparty_public"], "counterparty_public"),
            reverses=posted[row["reverses"]] if row["reverses"] else None,
        )  # fmt: skip
    check_balances(document, accounts)
    record_event(
        actor=by,
        action="finances.ledger_imported",
        target=group,
        detail={"transactions": len(posted), "accounts": len(accounts)},
    )
    return group


def check_balances(document: dict[str, Any], accounts: dict[str, Account]) -> None:
    now = dict(Balance.objects.filter(account__in=accounts.values()).values_list("account_id", "pence"))
    for row in document["accounts"]:
        if now.get(accounts[str(row["id"])].pk, 0) != whole(row["balance_pence"], "a balance"):
            raise problem(f"the balance of “{row['name']}” does not match the file; nothing was imported.")


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
