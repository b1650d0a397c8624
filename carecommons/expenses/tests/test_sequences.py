"""Whatever people do, in whatever order: no expense is paid twice, every payment is in the books
once, nobody approves their own claim, and the books balance."""

import contextlib
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecommons.accounts.models import User
from carecommons.expenses import services
from carecommons.expenses.models import Approval, Expense, ExpenseState
from carecommons.expenses.tests.factories import account, make_expense, make_group, member
from carecommons.finances import services as books
from carecommons.finances.models import Balance, Group, Transaction, TransactionKind

pytestmark = pytest.mark.django_db

# Weighted towards approving and paying, so that many sequences reach a payment (and a second try).
ACTIONS = ["claim", "claim", "claim_draft", "submit", "approve", "approve", "approve", "approve"]
ACTIONS += ["pay", "pay", "pay", "reject", "cancel"]
AMOUNTS = [100, 3000, 5000, 5001, 12000]


@pytest.fixture
def cast() -> tuple[Group, list[User]]:
    """A group (two approvals over £50) whose food grant holds £100; five people with mixed roles."""
    group = make_group(approval_threshold_pence=5000, approvals_over_threshold=2)
    food = account(group, "Food and essentials")
    fund = books.create_fund(group=group, name="Food grant", conditions="Food", categories=[food], by=None)
    books.record_grant(
        group=group,
        fund=fund,
        amount_pence=10_000,
        occurred_on=timezone.localdate(),
        funder="Council",
        by=None,
    )
    people = [
        member(group),
        member(group, "approver"),
        member(group, "approver"),
        member(group, "approver", "treasurer"),
        member(group, "treasurer"),
    ]
    return group, people


def step(group: Group, people: list[User], action: str, who: int, which: int, amount: int) -> None:
    by = people[who]
    expenses = list(Expense.objects.filter(group=group).order_by("id"))
    if action.startswith("claim"):
        fund = group.funds.first() if amount % 2 else None
        make_expense(group, by, amount_pence=amount, submit=action == "claim", fund=fund)
        return
    if not expenses:
        return
    expense = expenses[which % len(expenses)]
    calls: dict[str, Callable[[], object]] = {
        "submit": lambda: services.submit_expense(expense=expense, by=by),
        "approve": lambda: services.approve_expense(expense=expense, by=by),
        "reject": lambda: services.reject_expense(expense=expense, by=by, reason="Not this time"),
        "pay": lambda: services.pay_expense(expense=expense, by=by, account=account(group, "Bank account")),
        "cancel": lambda: services.cancel_expense(expense=expense, by=by),
    }
    calls[action]()


def check_invariants(group: Group) -> None:
    expenses = Expense.objects.filter(group=group)
    paid = expenses.filter(state=ExpenseState.PAID)
    assert paid.filter(paid_transaction__isnull=True).count() == 0
    assert expenses.exclude(state=ExpenseState.PAID).filter(paid_transaction__isnull=False).count() == 0
    spent = Transaction.objects.filter(group=group, kind=TransactionKind.EXPENSE)
    assert spent.count() == paid.count() == len(set(paid.values_list("paid_transaction", flat=True)))
    assert not Approval.objects.filter(expense__group=group, approver=F("expense__submitted_by")).exists()
    for expense in expenses.filter(state__in=[ExpenseState.APPROVED, ExpenseState.PAID]).annotate(
        n=Count("approvals")
    ):
        assert expense.n >= group.approvals_needed(expense.amount_pence)
    total = Balance.objects.filter(account__group=group).aggregate(t=Sum("pence"))["t"]
    assert (total or 0) == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ACTIONS),
            st.integers(0, 4),
            st.integers(0, 3),
            st.sampled_from(AMOUNTS),
        ),
        min_size=8,
        max_size=30,
    )
)
def test_any_sequence_of_actions_by_anyone_never_pays_twice_and_keeps_the_books_balanced(
    cast: tuple[Group, list[User]], steps: list[tuple[str, int, int, int]]
) -> None:
    group, people = cast
    with transaction.atomic():
        for action, who, which, amount in steps:
            with contextlib.suppress(ValidationError):
                step(group, people, action, who, which, amount)
            check_invariants(group)
        for expense in Expense.objects.filter(group=group):
            for treasurer in people[3:]:
                with contextlib.suppress(ValidationError):
                    services.pay_expense(
                        expense=expense, by=treasurer, account=account(group, "Bank account")
                    )
        check_invariants(group)
        transaction.set_rollback(True)
