"""Money a member spent for the group, the approvals it needs, and its payment from the books.

An expense moves draft → submitted → approved → paid, or ends rejected or cancelled (rules.py).
Who was paid is private: the payee's name and bank details are encrypted at rest and shown only to
the group's current treasurers. The books name only the category, or a pseudonym the group chose
(`public_label`); the public page shows totals by category and month, never a single payment.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carecommons.finances.models import Account, Fund, Group, Transaction
from carecommons.lib.dates import EARLIEST_RECORD
from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.models import KeptFile, TimestampedModel
from carecommons.people.models import Person


class ExpenseState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved, to be paid"
    PAID = "paid", "Paid"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class Expense(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="expenses")
    submitted_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="expenses_submitted")
    amount_pence = models.PositiveBigIntegerField()
    category = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="expenses")
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="expenses")
    description = models.CharField(max_length=300)
    spent_on = models.DateField()
    public_label = models.CharField(
        max_length=120,
        blank=True,
        help_text="How the group's books name who was paid; empty: only the category. "
        "The public page lists no single payment, so it never shows this.",
    )
    payee_name = EncryptedTextField(blank=True)
    payee_sort_code = EncryptedTextField(blank=True)
    payee_account_number = EncryptedTextField(blank=True)
    state = models.CharField(max_length=20, choices=ExpenseState.choices, default=ExpenseState.DRAFT)
    rejection_reason = models.TextField(blank=True)
    paid_transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="expense"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(condition=Q(state__in=ExpenseState.values), name="expense_state_known"),
            # Paid exactly when it names the ledger transaction that paid it.
            models.CheckConstraint(
                condition=Q(state=ExpenseState.PAID, paid_transaction__isnull=False)
                | (~Q(state=ExpenseState.PAID) & Q(paid_transaction__isnull=True)),
                name="expense_paid_with_transaction",
            ),
            models.CheckConstraint(
                condition=~Q(state=ExpenseState.REJECTED) | ~Q(rejection_reason=""),
                name="expense_rejected_with_reason",
            ),
            # The upper bound moves with today, so only services and forms check it (lib/dates.py).
            models.CheckConstraint(
                condition=Q(spent_on__gte=EARLIEST_RECORD), name="expense_spent_on_bounded"
            ),
        ]
        indexes = [models.Index(fields=["group", "state", "spent_on"], name="expense_group_state_idx")]

    def __str__(self) -> str:
        return self.description


class Approval(TimestampedModel):
    """One approver's yes. Counted against the group's policy (finances.Group.approvals_needed)."""

    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="expense_approvals")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["expense", "approver"], name="approval_once_per_approver")
        ]

    def __str__(self) -> str:
        return f"{self.approver} approved {self.expense}"


def receipt_path(receipt: "Receipt", filename: str) -> str:
    """A name that says nothing about the receipt: its id and the extension its contents earned."""
    return f"receipts/{timezone.localdate():%Y/%m}/{receipt.uuid}{PurePosixPath(filename).suffix}"


class Receipt(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="receipts")
    file = models.FileField(upload_to=receipt_path)
    name = models.CharField(max_length=200, help_text="The file's name as it was uploaded.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["expense_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


def kept_receipt_path(kept: "KeptReceipt", filename: str) -> str:
    return f"receipts/kept/{kept.uuid}{PurePosixPath(filename).suffix}"


class KeptReceipt(KeptFile):
    """A receipt that passed its checks on a claim form that did not (a wrong amount, say), kept
    for that person and that form's submission key so they need not choose the file again. Only
    the same person sending the same form uses it; it becomes a Receipt or is thrown away."""

    file = models.FileField(upload_to=kept_receipt_path)

    class Meta(KeptFile.Meta):
        indexes = [models.Index(fields=["user", "submission"], name="kept_receipt_form_idx")]
