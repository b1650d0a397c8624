"""Whatever people do to two groups' books, in whatever order, the books stay whole.

Each example makes two groups from nothing inside a transaction it rolls back, then plays a
sequence of donations, cash, grants, direct spending (from a fund or not), expense claims moved by
anyone (the claimant, other groups' people), and reversals (twice, or of a reversal). After every
step: each transaction balances within each fund, each group's balances sum to zero, every kept
balance is the sum of its account's posted entries, every paid expense has exactly one payment
and no payment belongs to two expenses, and no fund holds less than nothing. A refused step
changes nothing at all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.expenses import services as claims
from carecommons.expenses.models import Approval, Expense, ExpenseState
from carecommons.finances import services
from carecommons.finances.ledger import Line
from carecommons.finances.models import (
    MONEY_KINDS,
    Account,
    Balance,
    Entry,
    Fund,
    Group,
    GroupRole,
    Transaction,
    TransactionKind,
)
from carecommons.finances.tests.factories import account, join, make_group, person_of
from conftest import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CATEGORIES = ["Food and essentials", "Travel", "Running costs"]
AMOUNTS = [1, 99, 500, 4_999, 5_000, 5_001, 20_000]
ACTIONS = [
    "donation",
    "cash",
    "grant",
    "grant",
    "spend",
    "spend",
    "claim",
    "claim",
    "claim",
    "submit",
    "approve",
    "approve",
    "approve",
    "approve_own",
    "pay",
    "pay",
    "pay",
    "reject",
    "cancel",
    "reverse",
    "reverse",
    "reverse_again",
]
# Each person's roles in group A and group B (a member always); person 6 belongs to neither.
CAST: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = [
    ((), None),
    ((GroupRole.APPROVER,), None),
    ((GroupRole.APPROVER, GroupRole.TREASURER), ()),
    ((GroupRole.TREASURER,), None),
    (None, (GroupRole.APPROVER,)),
    (None, (GroupRole.APPROVER, GroupRole.TREASURER)),
    (None, None),
]

Step = tuple[str, int, int, int, int, int]


@dataclass
class World:
    groups: list[Group]
    people: list[User]
    funds: list[Fund]
    direct_spends: set[int] = field(default_factory=set)


@pytest.fixture
def people() -> list[User]:
    return [make_user(f"person{n}", [Role.PARTICIPANT], totp=False) for n in range(len(CAST))]


def make_world(people: list[User]) -> World:
    """Group A needs two approvals over £50; group B one for anything. A has a food fund and a
    travel fund, B a food fund; none holds money yet."""
    groups = [
        make_group("Group A", approval_threshold_pence=5_000),
        make_group("Group B", approvals_over_threshold=1),
    ]
    for user, roles in zip(people, CAST, strict=True):
        for group, held in zip(groups, roles, strict=True):
            if held is not None:
                join(group, user, *held)
    funds = [
        services.create_fund(
            group=groups[0],
            name="Food fund",
            conditions="Food",
            categories=[account(groups[0], "Food and essentials")],
            by=None,
        ),
        services.create_fund(
            group=groups[0],
            name="Travel fund",
            conditions="Fares",
            categories=[account(groups[0], "Travel")],
            by=None,
        ),
        services.create_fund(
            group=groups[1],
            name="Food fund",
            conditions="Food",
            categories=[account(groups[1], "Food and essentials")],
            by=None,
        ),
    ]
    return World(groups, people, funds)


def money(group: Group, flag: int) -> Account:
    return account(group, "Cash box" if flag % 2 else "Bank account")


def chosen(items: list[Any], which: int) -> Any:
    return items[which % len(items)] if items else None


def act(world: World, step: Step) -> None:
    action, g, who, which, amount, flag = step
    group, other = world.groups[g], world.groups[1 - g]
    by = world.people[who]
    # Mostly this group's things; every fourth choice reaches into the other group.
    owner = other if flag == 3 else group
    fund = chosen([f for f in world.funds if f.group_id == owner.pk], which)
    if action == "donation":
        services.record_donation(
            group=group,
            amount_pence=amount,
            occurred_on=TODAY,
            by=by,
            into=money(group, flag),
            donor="Ann" if flag else "",
            donor_public=flag == 2,
        )
    elif action == "cash":
        services.record_cash(
            group=group,
            amount_pence=amount,
            occurred_on=TODAY,
            collected_by=person_of(by),
            by=by,
            into=money(group, flag),
        )
    elif action == "grant":
        services.record_grant(
            group=group,
            fund=fund,
            amount_pence=amount,
            occurred_on=TODAY,
            funder="Council",
            by=by,
            into=money(group, flag),
        )
    elif action == "spend":
        category = account(owner, chosen(CATEGORIES, which))
        fund_id = fund.pk if flag >= 2 else None
        lines = [Line(category.pk, amount, fund_id), Line(money(group, flag).pk, -amount, fund_id)]
        txn = services.post_transaction(
            group=group,
            kind=TransactionKind.EXPENSE,
            occurred_on=TODAY,
            description="Paid for the lunch",
            lines=lines,
            by=by,
        )
        world.direct_spends.add(txn.pk)
    elif action == "claim":
        category = account(owner, chosen(CATEGORIES, which))
        claims.create_expense(
            group=group,
            by=by,
            amount_pence=amount,
            category=category,
            description="Bus fares and milk",
            spent_on=TODAY,
            fund=fund if flag >= 2 else None,
            submit=flag != 1,
        )
    elif action in ("reverse", "reverse_again"):
        reverse(world, action, which, by)
    else:
        expense = chosen(list(Expense.objects.filter(group__in=world.groups).order_by("id")), which)
        if expense is None:
            return
        calls: dict[str, Callable[[], object]] = {
            "submit": lambda: claims.submit_expense(expense=expense, by=by),
            "approve": lambda: claims.approve_expense(expense=expense, by=by),
            "reject": lambda: claims.reject_expense(expense=expense, by=by, reason="Not this time"),
            "cancel": lambda: claims.cancel_expense(expense=expense, by=by),
            "pay": lambda: claims.pay_expense(
                expense=expense, by=by, account=money(owner if flag == 3 else expense.group, flag)
            ),
        }
        if action == "approve_own":
            claimant = expense.submitted_by.user
            expect_refusal(world, lambda: claims.approve_expense(expense=expense, by=claimant))
        else:
            calls[action]()


def reverse(world: World, action: str, which: int, by: User) -> None:
    """`reverse` picks any transaction; `reverse_again` one already reversed, or a reversal, and
    must be refused."""
    txns = Transaction.objects.filter(group__in=world.groups).order_by("id")
    if action == "reverse_again":
        txns = txns.filter(Q(kind=TransactionKind.REVERSAL) | Q(reversed_by__isnull=False))
    txn = chosen(list(txns), which)
    if txn is None:
        return
    if action == "reverse_again":
        expect_refusal(world, lambda: services.reverse_transaction(txn=txn, reason="Entered twice", by=by))
        return
    reversal = services.reverse_transaction(txn=txn, reason="Entered twice", by=by)
    original = sorted(
        Entry.objects.filter(transaction=txn).values_list("account_id", "fund_id", "amount_pence")
    )
    undone = sorted(
        (a, f, -p)
        for a, f, p in Entry.objects.filter(transaction=reversal).values_list(
            "account_id", "fund_id", "amount_pence"
        )
    )
    assert undone == original


def snapshot(world: World) -> tuple[object, ...]:
    groups = world.groups
    return (
        list(Transaction.objects.filter(group__in=groups).order_by("id").values_list("id", "posted")),
        Entry.objects.filter(transaction__group__in=groups).count(),
        list(Balance.objects.filter(account__group__in=groups).values_list("account_id", "pence")),
        list(
            Expense.objects.filter(group__in=groups)
            .order_by("id")
            .values_list("id", "state", "paid_transaction_id")
        ),
        Approval.objects.filter(expense__group__in=groups).count(),
        AuditEvent.objects.count(),
    )


def expect_refusal(world: World, call: Callable[[], object]) -> None:
    before = snapshot(world)
    with pytest.raises(ValidationError):
        call()
    assert snapshot(world) == before


def check_books(world: World) -> None:
    groups = world.groups
    entries = Entry.objects.filter(transaction__group__in=groups)
    unbalanced = (
        entries.values("transaction_id", "fund_id").annotate(total=Sum("amount_pence")).exclude(total=0)
    )
    assert not unbalanced.exists()
    txns = Transaction.objects.filter(group__in=groups)
    assert not txns.filter(posted=False).exists()
    assert not txns.annotate(n=Count("entries")).filter(n__lt=2).exists()

    per_group = (
        Balance.objects.filter(account__group__in=groups)
        .values("account__group")
        .annotate(total=Sum("pence"))
    )
    assert [row for row in per_group if row["total"] != 0] == []

    posted = Q(entries__transaction__posted=True)
    kept = Account.objects.filter(group__in=groups).annotate(
        posted=Coalesce(Sum("entries__amount_pence", filter=posted), 0), n=Count("entries", filter=posted)
    )
    for pk, total, n, pence in kept.values_list("pk", "posted", "n", "balance__pence"):
        assert (pence or 0) == total, pk
        assert pence is not None or n == 0, pk

    held = (
        Entry.objects.filter(fund__group__in=groups, transaction__posted=True, account__kind__in=MONEY_KINDS)
        .values("fund")
        .annotate(total=Sum("amount_pence"))
    )
    assert [row for row in held if row["total"] < 0] == []


def check_expenses(world: World) -> None:
    expenses = Expense.objects.filter(group__in=world.groups)
    paid = expenses.filter(state=ExpenseState.PAID)
    links = list(paid.values_list("paid_transaction_id", flat=True))
    assert None not in links and len(links) == len(set(links))
    assert not expenses.exclude(state=ExpenseState.PAID).filter(paid_transaction__isnull=False).exists()
    payments = Transaction.objects.filter(group__in=world.groups, kind=TransactionKind.EXPENSE)
    assert set(payments.exclude(pk__in=world.direct_spends).values_list("pk", flat=True)) == set(links)
    for expense in paid:
        assert Entry.objects.filter(
            transaction__expense=expense,
            transaction__group=expense.group_id,
            account=expense.category_id,
            fund=expense.fund_id,
            amount_pence=expense.amount_pence,
        ).exists()
    assert not Approval.objects.filter(expense__in=expenses, approver=F("expense__submitted_by")).exists()
    for expense in expenses.filter(state__in=[ExpenseState.APPROVED, ExpenseState.PAID]).annotate(
        n=Count("approvals")
    ):
        assert expense.n >= expense.group.approvals_needed(expense.amount_pence)  # type: ignore[attr-defined]


steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 1),
        st.integers(0, len(CAST) - 1),
        st.integers(0, 30),
        st.sampled_from(AMOUNTS),
        st.integers(0, 3),
    ),
    min_size=10,
    max_size=40,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_any_sequence_of_money_actions_across_two_groups_keeps_the_books_whole(
    people: list[User], steps: list[Step]
) -> None:
    with transaction.atomic():
        world = make_world(people)
        for step in steps:
            before = snapshot(world)
            try:
                act(world, step)
            except ValidationError:
                assert snapshot(world) == before, step
            check_books(world)
            check_expenses(world)
        transaction.set_rollback(True)
