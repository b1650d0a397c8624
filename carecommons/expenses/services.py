"""Claiming, approving, rejecting, paying and cancelling expenses, and keeping their receipts.

Every change locks the expense row, checks rules.py, and moves the state with a conditional UPDATE
(`filter(state=FROM).update(state=TO)`) inside one transaction: a double click or two people acting
at once change it once, and the second is told why nothing happened. Audit events hold ids, states
and field names, never amounts, names or bank details.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.expenses import payees, rules
from carecommons.expenses.access import actor_in
from carecommons.expenses.models import Approval, Expense, ExpenseState, Receipt
from carecommons.expenses.receipts import DEFAULT_MAX_BYTES, HEAD_BYTES, Kind, ReceiptProblem, check_receipt
from carecommons.expenses.rules import Action, Actor
from carecommons.finances import ledger
from carecommons.finances.access import roles_in
from carecommons.finances.models import (
    MONEY_KINDS,
    Account,
    AccountKind,
    Fund,
    Group,
    Transaction,
    TransactionKind,
)
from carecommons.finances.services import post_transaction, reverse_transaction
from carecommons.lib.dates import HAPPENED, check_date
from carecommons.people.access import own_person
from carecommons.people.models import Person

MAX_RECEIPTS_AT_ONCE = 10
PAYEE_FIELDS = ("payee_name", "payee_sort_code", "payee_account_number")


def receipt_max_bytes() -> int:
    return int(getattr(settings, "EXPENSE_RECEIPT_MAX_BYTES", DEFAULT_MAX_BYTES))


def actor_for(expense: Expense, user: User, person: Person | None) -> Actor:
    return actor_in(expense, person, frozenset(roles_in(user, expense.group)))


def check_receipts(uploads: Sequence[UploadedFile]) -> list[Kind]:
    """The kind of each upload, or a ValidationError on `receipts` naming the first bad one."""
    if len(uploads) > MAX_RECEIPTS_AT_ONCE:
        raise ValidationError({"receipts": f"Add at most {MAX_RECEIPTS_AT_ONCE} receipts at a time."})
    kinds = []
    for upload in uploads:
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        try:
            kinds.append(check_receipt(upload.name or "", head, upload.size or 0, receipt_max_bytes()))
        except ReceiptProblem as problem:
            raise ValidationError({"receipts": str(problem)}) from None
    return kinds


def keep_receipts(
    expense: Expense, uploads: Sequence[UploadedFile], kinds: Sequence[Kind], by: User | None
) -> list[Receipt]:
    """Called only once every check has passed, so a refused expense leaves no file behind."""
    kept = []
    for upload, kind in zip(uploads, kinds, strict=True):
        receipt = Receipt(
            expense=expense,
            name=(upload.name or "receipt")[-200:],
            content_type=kind.content_type,
            size=upload.size or 0,
            uploaded_by=by if by is not None and by.is_authenticated else None,
        )
        receipt.file.save(f"receipt{kind.extension}", upload, save=False)
        receipt.save()
        record_event(
            actor=by, action="expenses.receipt_added", target=expense, detail={"receipt": str(receipt.uuid)}
        )
        kept.append(receipt)
    return kept


def check_spending(group: Group, category: Account, fund: Fund | None) -> None:
    if category.group_id != group.pk or category.kind != AccountKind.EXPENSE:
        raise ValidationError({"category": "Choose one of this group's spending categories."})
    if fund is None:
        return
    if fund.group_id != group.pk:
        raise ValidationError({"fund": "Choose one of this group's funds."})
    if not fund.allowed_categories.filter(pk=category.pk).exists():
        raise ValidationError(
            {"fund": f"“{fund.name}” may be spent only on what it allows: {fund.conditions}"}
        )


def names_of(person: Person) -> list[str]:
    return [person.full_name, person.given_name, person.family_name, person.preferred_name]


def clean_payee(values: dict[str, Any], *, claimant: Person) -> dict[str, str]:
    """Bank details tidied, and a public label that names neither the payee nor the claimant (who
    is paid when no payee is given)."""
    try:
        sort_code, account_number = payees.clean_bank_details(
            values.get("payee_sort_code", ""), values.get("payee_account_number", "")
        )
        name = " ".join(values.get("payee_name", "").split())
        label = payees.clean_public_label(values.get("public_label", ""), name, *names_of(claimant))
    except payees.PayeeProblem as problem:
        raise ValidationError({problem.field: str(problem)}) from None
    return {
        "payee_name": name,
        "payee_sort_code": sort_code,
        "payee_account_number": account_number,
        "public_label": label,
    }


@transaction.atomic
def create_expense(
    *,
    group: Group,
    by: User,
    amount_pence: int,
    category: Account,
    description: str,
    spent_on: date,
    fund: Fund | None = None,
    public_label: str = "",
    payee_name: str = "",
    payee_sort_code: str = "",
    payee_account_number: str = "",
    receipts: Sequence[UploadedFile] = (),
    submit: bool = False,
) -> Expense:
    """A member's claim, as a draft or sent for approval, with its receipts; all of it or nothing."""
    person = own_person(by)
    if person is None or not roles_in(by, group):
        raise ValidationError("Only members of the group can claim expenses.")
    if amount_pence <= 0:
        raise ValidationError({"amount_pence": "Enter an amount more than nothing."})
    if not description.strip():
        raise ValidationError({"description": "Say what the money was spent on."})
    check_date(spent_on, HAPPENED, field="spent_on")
    check_spending(group, category, fund)
    payee = clean_payee(
        {
            "public_label": public_label,
            "payee_name": payee_name,
            "payee_sort_code": payee_sort_code,
            "payee_account_number": payee_account_number,
        },
        claimant=person,
    )
    kinds = check_receipts(receipts)
    now = timezone.now()
    expense = Expense.objects.create(
        group=group,
        submitted_by=person,
        amount_pence=amount_pence,
        category=category,
        fund=fund,
        description=description.strip(),
        spent_on=spent_on,
        state=ExpenseState.SUBMITTED if submit else ExpenseState.DRAFT,
        submitted_at=now if submit else None,
        **payee,
    )
    record_event(
        actor=by,
        action="expenses.expense_created",
        target=expense,
        detail={
            "group": str(group.uuid),
            "state": expense.state,
            "fields": sorted(name for name in (*PAYEE_FIELDS, "public_label") if payee[name]),
        },
    )
    keep_receipts(expense, receipts, kinds, by)
    return expense


@transaction.atomic
def add_receipts(*, expense: Expense, uploads: Sequence[UploadedFile], by: User) -> list[Receipt]:
    locked = lock(expense)
    problem = rules.receipts_refusal(locked.state, actor_for(locked, by, own_person(by)))
    if problem:
        raise ValidationError(problem)
    if not uploads:
        raise ValidationError({"receipts": "Choose at least one receipt."})
    return keep_receipts(locked, uploads, check_receipts(uploads), by)


def lock(expense: Expense) -> Expense:
    """The expense row, locked until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transactions already queue writers), read fresh so its state is the latest committed."""
    return (
        Expense.objects.select_for_update(of=("self",)).select_related("group", "category").get(pk=expense.pk)
    )


def check_may(action: Action, expense: Expense, by: User) -> Person:
    """The acting person, or a ValidationError that says why they may not act."""
    person = own_person(by)
    actor = actor_for(expense, by, person) if person is not None else Actor(False, frozenset())
    problem = rules.refusal(action, expense.state, actor)
    if problem:
        raise ValidationError(problem)
    assert person is not None  # every rule needs a role in the group, which needs a person
    return person


def move(
    expense: Expense, action: Action, *, by: User, ids: dict[str, str] | None = None, **changes: Any
) -> None:
    """The conditional UPDATE: only from a state the action starts from; refused if it no longer is."""
    sources, target = rules.MOVES[action]
    now = timezone.now()
    moved = Expense.objects.filter(pk=expense.pk, state__in=sources).update(
        state=target, updated_at=now, **{rules.STAMPS[target]: now}, **changes
    )
    if not moved:
        current = Expense.objects.filter(pk=expense.pk).values_list("state", flat=True).first()
        raise ValidationError(rules.state_refusal(action, current or expense.state) or "Nothing changed.")
    record_event(
        actor=by,
        action=f"expenses.expense_{target}",
        target=expense,
        detail={"from": expense.state, "to": target, "fields": sorted(changes), **(ids or {})},
    )
    expense.state = target


@transaction.atomic
def submit_expense(*, expense: Expense, by: User) -> Expense:
    locked = lock(expense)
    check_may(Action.SUBMIT, locked, by)
    move(locked, Action.SUBMIT, by=by)
    return locked


@transaction.atomic
def approve_expense(*, expense: Expense, by: User) -> Expense:
    """One approval; the one that reaches the number the group needs approves the expense."""
    locked = lock(expense)
    person = check_may(Action.APPROVE, locked, by)
    try:
        with transaction.atomic():
            approval = Approval.objects.create(expense=locked, approver=person)
    except IntegrityError:
        raise ValidationError("You have already approved this expense.") from None
    record_event(
        actor=by,
        action="expenses.approval_added",
        target=locked,
        detail={"approval": approval.pk, "approver": str(person.uuid)},
    )
    given = Approval.objects.filter(expense=locked).count()
    if given >= locked.group.approvals_needed(locked.amount_pence):
        move(locked, Action.APPROVE, by=by)
    return locked


@transaction.atomic
def reject_expense(*, expense: Expense, by: User, reason: str) -> Expense:
    locked = lock(expense)
    check_may(Action.REJECT, locked, by)
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so they can put it right or understand."})
    move(locked, Action.REJECT, by=by, rejection_reason=reason.strip())
    return locked


@transaction.atomic
def cancel_expense(*, expense: Expense, by: User) -> Expense:
    locked = lock(expense)
    check_may(Action.CANCEL, locked, by)
    move(locked, Action.CANCEL, by=by)
    return locked


def ledger_description(expense: Expense, label: str) -> str:
    """What the books (and so any public page) say: the category, or the group's chosen label."""
    return f"{expense.category.name}: {label}" if label else f"{expense.category.name} (expense paid)"


@transaction.atomic
def pay_expense(
    *,
    expense: Expense,
    by: User,
    account: Account,
    paid_on: date | None = None,
    public_label: str | None = None,
) -> Expense:
    """Post the payment to the books (debit the category, credit the bank or cash, in the fund when
    there is one) and mark the expense paid, once: the conditional UPDATE and the unique link to
    the transaction stop a second payment, and a refusal undoes the posting with everything else."""
    locked = lock(expense)
    check_may(Action.PAY, locked, by)
    if account.group_id != locked.group_id or account.kind not in MONEY_KINDS:
        raise ValidationError({"account": "Choose the bank account or cash box it was paid from."})
    day = paid_on or timezone.localdate()
    check_date(day, HAPPENED, field="paid_on")  # may precede spent_on: treasurers pay advances
    label = locked.public_label if public_label is None else public_label
    label = clean_payee(
        {"public_label": label, "payee_name": locked.payee_name}, claimant=locked.submitted_by
    )["public_label"]
    category, pence, fund_id = locked.category, locked.amount_pence, locked.fund_id
    txn = post_transaction(
        group=locked.group,
        kind=TransactionKind.EXPENSE,
        occurred_on=day,
        description=ledger_description(locked, label),
        lines=[ledger.Line(category.pk, pence, fund_id), ledger.Line(account.pk, -pence, fund_id)],
        by=by,
        counterparty=label,
        counterparty_public=bool(label),
    )
    move(
        locked,
        Action.PAY,
        by=by,
        ids={"transaction": str(txn.uuid)},
        paid_transaction=txn,
        public_label=label,
    )
    locked.paid_transaction, locked.public_label = txn, label
    return locked


@transaction.atomic
def reverse_payment(*, txn: Transaction, reason: str, by: User) -> Transaction:
    """Reverse a transaction that paid an expense (the bank returned it, or it was paid by
    mistake): the ledger gets its reversal and the expense goes back to approved, so it can be
    paid again, with a new transaction. Both happen, or neither."""
    expense = Expense.objects.select_for_update().filter(paid_transaction=txn).first()
    reversal = reverse_transaction(txn=txn, reason=reason, by=by)
    if expense is not None:
        moved = Expense.objects.filter(pk=expense.pk, state=ExpenseState.PAID, paid_transaction=txn).update(
            state=ExpenseState.APPROVED, paid_transaction=None, paid_at=None, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError("The expense this paid has changed; reload and try again.")
        record_event(
            actor=by,
            action="expenses.payment_reversed",
            target=expense,
            detail={
                "from": ExpenseState.PAID,
                "to": ExpenseState.APPROVED,
                "transaction": str(reversal.uuid),
            },
        )
    return reversal
