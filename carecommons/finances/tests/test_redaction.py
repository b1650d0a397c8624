"""A posted transaction's wording can be pseudonymised, and nothing else of the books can change."""

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from carecommons.audit.models import AuditEvent
from carecommons.finances import services
from carecommons.finances.ledger import Line
from carecommons.finances.models import Balance, Entry, Transaction, TransactionKind
from carecommons.finances.redaction import WORDING, pseudonymise_ledger_text
from carecommons.finances.tests.factories import account, make_group
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)
NAME = "Ifeoma Thistlewood"
PSEUDONYM = "Erased person 0a1b2c3d"


def books() -> dict[int, int]:
    return dict(Balance.objects.values_list("account_id", "pence"))


def named_books() -> tuple[Any, list[Transaction]]:
    group = make_group()
    person = create_person(by=None, given_name="Ifeoma", family_name="Thistlewood")
    donation = services.record_donation(
        group=group, amount_pence=2500, occurred_on=TODAY, by=None, donor=NAME, donor_public=True
    )
    cash = services.record_cash(
        group=group, amount_pence=700, occurred_on=TODAY, collected_by=person, by=None
    )
    reversal = services.reverse_transaction(txn=donation, reason=f"{NAME} asked for it back", by=None)
    return person, [donation, cash, reversal]


def test_the_database_lets_the_wording_of_a_posted_transaction_change() -> None:
    group = make_group()
    txn = services.record_donation(group=group, amount_pence=1000, occurred_on=TODAY, by=None, donor=NAME)
    balances = books()
    Transaction.objects.filter(pk=txn.pk).update(description="Donation from someone", counterparty="Someone")
    txn.refresh_from_db()
    assert (txn.description, txn.counterparty, txn.posted) == ("Donation from someone", "Someone", True)
    assert books() == balances
    call_command("check_books", verbosity=0)


def test_the_database_still_refuses_any_other_change_to_a_posted_transaction_and_any_entry_change() -> None:
    group = make_group()
    other = make_group("Southside Mutual Aid")
    txn = services.record_donation(group=group, amount_pence=1000, occurred_on=TODAY, by=None, donor=NAME)
    earlier = services.record_donation(group=group, amount_pence=300, occurred_on=TODAY, by=None)
    entry = Entry.objects.filter(transaction=txn).first()
    assert entry is not None
    same = Transaction.objects.filter(pk=txn.pk)
    refusals: list[Callable[[], object]] = [
        lambda: same.update(occurred_on=TODAY - timedelta(days=1)),
        lambda: same.update(description="Renamed", occurred_on=TODAY - timedelta(days=1)),
        lambda: same.update(kind=TransactionKind.TRANSFER),
        lambda: same.update(posted=False),
        lambda: same.update(group=other),
        lambda: same.update(counterparty_public=True),
        lambda: same.update(reverses=earlier),
        lambda: same.update(created_at=txn.created_at - timedelta(days=9)),
        lambda: same.delete(),
        lambda: Entry.objects.filter(pk=entry.pk).update(amount_pence=5),
        lambda: Entry.objects.filter(pk=entry.pk).update(account=account(group, "Cash box")),
        lambda: Entry.objects.filter(pk=entry.pk).delete(),
        lambda: Entry.objects.create(transaction=txn, account=entry.account, amount_pence=1),
    ]
    for attempt in refusals:
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            attempt()
    assert Transaction.objects.get(pk=txn.pk).occurred_on == TODAY
    assert Entry.objects.get(pk=entry.pk).amount_pence == entry.amount_pence


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL compares whole rows")
def test_the_sqlite_trigger_holds_every_column_but_the_wording_final() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            ["finances_transaction_posted_is_final"],
        )
        (sql,) = cursor.fetchone()
    columns = {f.column for f in Transaction._meta.concrete_fields} - set(WORDING)
    assert {c for c in columns if f"NEW.{c} IS NOT OLD.{c}" not in sql} == set()


def test_pseudonymising_replaces_the_name_in_the_wording_and_records_ids_only() -> None:
    person, named = named_books()
    stranger = services.record_donation(
        group=named[0].group, amount_pence=100, occurred_on=TODAY, by=None, donor="Ifeoma Thistlewoods"
    )
    balances = books()
    changed = pseudonymise_ledger_text(person=person, mentions=[NAME], pseudonym=PSEUDONYM, by=None)
    assert changed == 3
    donation, cash, reversal = (Transaction.objects.get(pk=t.pk) for t in named)
    assert (donation.counterparty, donation.description) == (PSEUDONYM, f"Donation from {PSEUDONYM}")
    assert cash.description == f"Cash collected by {PSEUDONYM}"
    assert NAME not in reversal.description and PSEUDONYM in reversal.description
    assert Transaction.objects.get(pk=stranger.pk).counterparty == "Ifeoma Thistlewoods"
    assert books() == balances
    events = AuditEvent.objects.filter(action="finances.ledger_text_pseudonymised")
    assert {e.target_id for e in events} == {str(t.uuid) for t in named}
    assert all(e.detail["person"] == str(person.uuid) and NAME not in json.dumps(e.detail) for e in events)
    call_command("check_books", verbosity=0)
    call_command("check_audit", verbosity=0)


def test_pseudonymising_twice_changes_nothing_more() -> None:
    person, _ = named_books()
    pseudonymise_ledger_text(person=person, mentions=[NAME], pseudonym=PSEUDONYM, by=None)
    events = AuditEvent.objects.count()
    assert pseudonymise_ledger_text(person=person, mentions=[NAME], pseudonym=PSEUDONYM, by=None) == 0
    assert AuditEvent.objects.count() == events


def test_the_wording_stays_within_its_column_when_the_pseudonym_is_longer_than_the_name() -> None:
    group = make_group()
    person = create_person(by=None, given_name="Al", family_name="Ng")
    txn = services.post_transaction(
        group=group,
        kind=TransactionKind.TRANSFER,
        occurred_on=TODAY,
        description=("Float " * 48) + "for Al Ng",
        lines=[Line(account(group, "Cash box").pk, 50), Line(account(group, "Bank account").pk, -50)],
        by=None,
    )
    pseudonymise_ledger_text(person=person, mentions=["Al Ng"], pseudonym=PSEUDONYM, by=None)
    description = Transaction.objects.get(pk=txn.pk).description
    assert len(description) == Transaction._meta.get_field("description").max_length
    assert "Al Ng" not in description
