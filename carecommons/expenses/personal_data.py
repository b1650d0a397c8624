"""What expenses hold about a person: their claims (kept as evidence for the books, bank details
deleted on erasure), approvals they gave, and receipts kept across a failed claim form (decision
0026)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.expenses.models import Approval, Expense, ExpenseState, KeptReceipt, Receipt
from carecommons.finances.personal_data import MONEY_TITLE
from carecommons.people.holdings import Collector, Erasing, Holding, Kept, Row, delete_files_on_commit, row
from carecommons.people.models import Person


def approvals(person: Person) -> list[Row]:
    return [
        row(approved_expense=a.expense.description, group=a.expense.group.name, on=a.created_at)
        for a in Approval.objects.filter(approver=person).select_related("expense__group__group")
    ]


def expenses(person: Person) -> list[Row]:
    return [
        row(
            group=e.group.name,
            amount_pence=e.amount_pence,
            category=e.category.name,
            description=e.description,
            spent_on=e.spent_on,
            state=e.get_state_display(),
            payee_name=e.payee_name,
            payee_sort_code=e.payee_sort_code,
            payee_account_number=e.payee_account_number,
            public_label=e.public_label,
            rejection_reason=e.rejection_reason,
            receipts=[r.name for r in e.receipts.all()],
        )
        for e in Expense.objects.filter(submitted_by=person)
        .select_related("group__group", "category")
        .prefetch_related("receipts")
    ]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    unpaid = Receipt.objects.filter(expense__submitted_by=person).exclude(expense__state=ExpenseState.PAID)
    return [("receipts of claims never paid", unpaid)]


def blockers(person: Person) -> list[str]:
    waiting = (ExpenseState.SUBMITTED, ExpenseState.APPROVED)
    if Expense.objects.filter(submitted_by=person, state__in=waiting).exists():
        return ["An expense claim of theirs is waiting to be approved or paid: settle or cancel it first."]
    return []


def unlink(person: Person, erasing: Erasing) -> None:
    for expense in Expense.objects.filter(submitted_by=person):
        expense.payee_name = expense.payee_sort_code = expense.payee_account_number = ""
        expense.save(update_fields=["payee_name", "payee_sort_code", "payee_account_number", "updated_at"])
    if person.user_id is not None:
        kept = KeptReceipt.objects.filter(user_id=person.user_id)
        delete_files_on_commit([receipt.file for receipt in kept])
        kept.delete()


EXPENSE_REASON = (
    "Each claim is the evidence for a payment in the group's books (kept six years). Your payee "
    "name and bank details are deleted; the amount, date, category and description stay."
)
RECEIPT_REASON = "Receipts of paid claims are evidence for the group's books (kept six years)."
APPROVAL_REASON = "Who approved a payment is part of the books; the approval now names the pseudonym."

PERSONAL_DATA = Holding(
    covers=("expense.submitted_by", "approval.approver"),
    sections=(
        Collector("money", MONEY_TITLE, approvals),
        Collector("expenses", "Expenses you claimed", expenses, "Your own bank details are included."),
    ),
    audited=((Expense, "submitted_by"),),
    deleted=deleted,
    blockers=blockers,
    kept=(
        Kept(
            "expense_claims",
            "expense claims",
            lambda person: Expense.objects.filter(submitted_by=person).count(),
            EXPENSE_REASON,
        ),
        Kept(
            "paid_receipts",
            "receipts of paid claims",
            lambda person: Receipt.objects.filter(
                expense__submitted_by=person, expense__state=ExpenseState.PAID
            ).count(),
            RECEIPT_REASON,
        ),
        Kept(
            "approvals",
            "approvals you gave",
            lambda person: Approval.objects.filter(approver=person).count(),
            APPROVAL_REASON,
        ),
    ),
    unlink=unlink,
)
