"""Two people pressing the same button at the same moment. Real concurrency needs PostgreSQL's row
locks; SQLite runs one writer at a time, so there these tests would prove nothing and are skipped."""

from functools import partial

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.expenses import services
from carecommons.expenses.models import Approval, Expense, ExpenseState
from carecommons.expenses.tests.factories import account, make_expense, make_group, member
from carecommons.finances.models import Transaction, TransactionKind
from tests.concurrency import ROW_LOCKS, at_once

pytestmark = ROW_LOCKS


def fresh_user(user: User) -> User:
    """A new object per action, so no thread shares another's cached roles."""
    return User.objects.get(pk=user.pk)


def test_two_approvers_giving_the_final_approval_at_once_approve_it_once() -> None:
    group = make_group(approval_threshold_pence=0, approvals_over_threshold=2)
    claimant = member(group)
    first, second, third = (member(group, "approver") for _ in range(3))
    expense = make_expense(group, claimant, amount_pence=9000)
    services.approve_expense(expense=expense, by=first)
    outcomes = at_once(
        [partial(services.approve_expense, expense=expense, by=fresh_user(u)) for u in (second, third)]
    )
    assert outcomes == ["done", "refused"]
    assert Expense.objects.get(pk=expense.pk).state == ExpenseState.APPROVED
    assert Approval.objects.filter(expense=expense).count() == 2
    assert (
        AuditEvent.objects.filter(action="expenses.expense_approved", target_id=str(expense.uuid)).count()
        == 1
    )


def test_two_treasurers_paying_at_once_pay_exactly_once() -> None:
    group = make_group(approval_threshold_pence=100_000)
    expense = make_expense(group, member(group))
    services.approve_expense(expense=expense, by=member(group, "approver"))
    treasurers = [member(group, "treasurer") for _ in range(2)]
    bank = account(group, "Bank account")
    outcomes = at_once(
        [partial(services.pay_expense, expense=expense, by=fresh_user(u), account=bank) for u in treasurers]
    )
    assert outcomes == ["done", "refused"]
    assert Transaction.objects.filter(group=group, kind=TransactionKind.EXPENSE).count() == 1
    assert Expense.objects.get(pk=expense.pk).state == ExpenseState.PAID
