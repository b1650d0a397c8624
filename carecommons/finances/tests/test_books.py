from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from carecommons.audit.models import AuditEvent
from carecommons.finances import services
from carecommons.finances.ledger import Line
from carecommons.finances.models import Balance, Entry, Transaction, TransactionKind
from carecommons.finances.tests.factories import account, make_group

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def balance(group, name: str) -> int:  # type: ignore[no-untyped-def]
    row = Balance.objects.filter(account=account(group, name)).first()
    return row.pence if row else 0


def test_a_donation_posts_two_balanced_entries_and_moves_both_balances() -> None:
    group = make_group()
    txn = services.record_donation(group=group, amount_pence=2500, occurred_on=TODAY, by=None, donor="Ann")
    assert sorted(Entry.objects.filter(transaction=txn).values_list("amount_pence", flat=True)) == [
        -2500,
        2500,
    ]
    assert balance(group, "Bank account") == 2500
    assert balance(group, "Donations") == -2500
    assert AuditEvent.objects.filter(action="finances.transaction_posted", target_id=str(txn.uuid)).exists()


def test_an_unbalanced_posting_is_refused_and_writes_nothing() -> None:
    group = make_group()
    bank, food = account(group, "Bank account"), account(group, "Food and essentials")
    with pytest.raises(ValidationError, match="must be equal"):
        services.post_transaction(
            group=group,
            kind=TransactionKind.TRANSFER,
            occurred_on=TODAY,
            description="Oops",
            lines=[Line(food.pk, 1000), Line(bank.pk, -999)],
            by=None,
        )
    assert not Transaction.objects.exists() and not Entry.objects.exists()


def test_the_database_refuses_to_post_an_unbalanced_transaction() -> None:
    group = make_group()
    bank = account(group, "Bank account")
    txn = Transaction.objects.create(group=group, kind="transfer", occurred_on=TODAY, description="By hand")
    Entry.objects.create(transaction=txn, account=bank, amount_pence=500)
    Entry.objects.create(transaction=txn, account=account(group, "Donations"), amount_pence=-400)
    with pytest.raises(DatabaseError, match="must balance"), transaction.atomic():
        Transaction.objects.filter(pk=txn.pk).update(posted=True)
    assert not Balance.objects.filter(account=bank).exists()


def test_the_database_refuses_to_change_or_delete_posted_books() -> None:
    group = make_group()
    txn = services.record_donation(group=group, amount_pence=1000, occurred_on=TODAY, by=None)
    entry = Entry.objects.filter(transaction=txn).first()
    assert entry is not None
    refusals = [
        lambda: Entry.objects.filter(pk=entry.pk).update(amount_pence=5),
        lambda: Entry.objects.filter(pk=entry.pk).delete(),
        lambda: Transaction.objects.filter(pk=txn.pk).update(occurred_on=date(2026, 1, 1)),
        lambda: Transaction.objects.filter(pk=txn.pk).delete(),
        lambda: Entry.objects.create(transaction=txn, account=entry.account, amount_pence=1),
    ]
    for attempt in refusals:
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            attempt()
    assert Entry.objects.get(pk=entry.pk).amount_pence == entry.amount_pence
    assert Transaction.objects.get(pk=txn.pk).occurred_on == txn.occurred_on


def test_a_transaction_cannot_be_born_posted_or_use_another_groups_account() -> None:
    group, other = make_group(), make_group("Southside Mutual Aid")
    with pytest.raises(DatabaseError), transaction.atomic():
        Transaction.objects.create(
            group=group, kind="transfer", occurred_on=TODAY, description="x", posted=True
        )
    txn = Transaction.objects.create(group=group, kind="transfer", occurred_on=TODAY, description="x")
    with pytest.raises(DatabaseError, match="same group"), transaction.atomic():
        Entry.objects.create(transaction=txn, account=account(other, "Bank account"), amount_pence=1)


def test_a_reversal_cancels_a_transaction_exactly_and_only_once() -> None:
    group = make_group()
    txn = services.record_donation(group=group, amount_pence=4200, occurred_on=TODAY, by=None)
    reversal = services.reverse_transaction(txn=txn, reason="Bounced", by=None)
    assert reversal.reverses == txn
    assert balance(group, "Bank account") == 0 and balance(group, "Donations") == 0
    with pytest.raises(ValidationError, match="already been reversed"):
        services.reverse_transaction(txn=txn, reason="Again", by=None)
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        services.reverse_transaction(txn=reversal, reason="Undo", by=None)
    assert Transaction.objects.count() == 2


def test_a_grant_is_spent_only_on_what_it_allows_and_never_below_nothing() -> None:
    group = make_group()
    food, travel = account(group, "Food and essentials"), account(group, "Travel")
    fund = services.create_fund(
        group=group, name="Food grant", conditions="Food only", categories=[food], by=None
    )
    services.record_grant(
        group=group, fund=fund, amount_pence=10_000, occurred_on=TODAY, funder="Council", by=None
    )
    bank = account(group, "Bank account")

    def spend(category_pk: int, pence: int) -> Transaction:
        return services.post_transaction(
            group=group,
            kind=TransactionKind.EXPENSE,
            occurred_on=TODAY,
            description="Spend",
            lines=[Line(category_pk, pence, fund.pk), Line(bank.pk, -pence, fund.pk)],
            by=None,
        )

    with pytest.raises(ValidationError, match="only on what it allows"):
        spend(travel.pk, 500)
    spend(food.pk, 6000)
    with pytest.raises(ValidationError, match="does not hold enough"):
        spend(food.pk, 4001)
    assert services.fund_balance(fund) == 4000


def test_balances_kept_by_the_database_equal_the_sum_of_posted_entries() -> None:
    group = make_group()
    for pence in (100, 250, 999):
        services.record_donation(group=group, amount_pence=pence, occurred_on=TODAY, by=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT account_id, SUM(amount_pence) FROM finances_entry GROUP BY account_id ORDER BY account_id"
        )
        summed = dict(cursor.fetchall())
    assert {b.account_id: b.pence for b in Balance.objects.all()} == summed


def test_check_books_finds_a_balance_changed_behind_the_ledgers_back() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    group = make_group()
    services.record_donation(group=group, amount_pence=1500, occurred_on=TODAY, by=None)
    out = StringIO()
    call_command("check_books", stdout=out)
    assert "The books balance" in out.getvalue()
    bank = account(group, "Bank account")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="never written directly"), transaction.atomic():
            Balance.objects.filter(account=bank).update(pence=99)
    else:  # SQLite cannot refuse it; the check must catch it
        Balance.objects.filter(account=bank).update(pence=99)
        with pytest.raises(CommandError, match="1 problem"):
            call_command("check_books", stdout=StringIO(), stderr=StringIO())


def test_an_entry_cannot_use_another_groups_fund() -> None:
    group, other = make_group(), make_group("Southside Mutual Aid")
    fund = services.create_fund(
        group=other,
        name="Grant",
        conditions="Food",
        categories=[account(other, "Food and essentials")],
        by=None,
    )
    txn = Transaction.objects.create(group=group, kind="transfer", occurred_on=TODAY, description="x")
    with pytest.raises(DatabaseError, match="fund of the same group"), transaction.atomic():
        Entry.objects.create(
            transaction=txn, account=account(group, "Bank account"), fund=fund, amount_pence=1
        )
