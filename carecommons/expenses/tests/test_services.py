from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.expenses import services
from carecommons.expenses.models import Approval, Expense, ExpenseState, Receipt
from carecommons.expenses.tests.factories import PDF, account, make_expense, make_group, member, photo
from carecommons.finances import services as books
from carecommons.finances.models import Balance, Entry, Transaction, TransactionKind

pytestmark = pytest.mark.django_db


def fresh(expense: Expense) -> Expense:
    return Expense.objects.get(pk=expense.pk)


def events(expense: Expense, action: str) -> int:
    return AuditEvent.objects.filter(action=action, target_id=str(expense.uuid)).count()


def pay(expense: Expense, by, **values):  # type: ignore[no-untyped-def]
    return services.pay_expense(
        expense=expense, by=by, account=account(expense.group, "Bank account"), **values
    )


def test_a_draft_is_submitted_approved_and_paid_and_each_step_is_recorded(cast) -> None:
    group, claimant, tess = cast["group"], cast["claimant"], cast["tess"]
    expense = make_expense(group, claimant, submit=False, receipts=[photo()])
    assert expense.state == ExpenseState.DRAFT and expense.submitted_at is None
    services.submit_expense(expense=expense, by=claimant)
    services.approve_expense(expense=expense, by=cast["ada"])
    assert fresh(expense).state == ExpenseState.APPROVED
    pay(expense, tess)
    paid = fresh(expense)
    assert paid.state == ExpenseState.PAID
    assert None not in (paid.submitted_at, paid.approved_at, paid.paid_at)
    for action in (
        "expenses.expense_created",
        "expenses.receipt_added",
        "expenses.expense_submitted",
        "expenses.approval_added",
        "expenses.expense_approved",
        "expenses.expense_paid",
    ):
        assert events(expense, action) == 1, action


def test_audit_events_hold_ids_and_field_names_never_amounts_names_or_bank_details(cast) -> None:
    expense = make_expense(
        cast["group"],
        cast["claimant"],
        payee_name="Zebedee Quill",
        payee_sort_code="12-34-56",
        payee_account_number="31926819",
        public_label="A volunteer driver",
        receipts=[photo("zebedee-taxi.jpg")],
    )
    services.approve_expense(expense=expense, by=cast["ada"])
    pay(expense, cast["tess"])
    written = " ".join(str(e.detail) for e in AuditEvent.objects.filter(target_id=str(expense.uuid)))
    for secret in ("Zebedee", "Quill", "12-34-56", "31926819", "1250", "12.50", "volunteer", "zebedee-taxi"):
        assert secret not in written
    created = AuditEvent.objects.get(action="expenses.expense_created", target_id=str(expense.uuid))
    assert created.detail["fields"] == [
        "payee_account_number",
        "payee_name",
        "payee_sort_code",
        "public_label",
    ]


def test_the_submitter_can_never_approve_their_own_expense(cast) -> None:
    ada = cast["ada"]
    expense = make_expense(cast["group"], ada)
    with pytest.raises(ValidationError, match="cannot approve your own"):
        services.approve_expense(expense=expense, by=ada)
    assert not Approval.objects.exists() and fresh(expense).state == ExpenseState.SUBMITTED


def test_up_to_the_threshold_one_approval_is_enough(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"], amount_pence=5000)
    services.approve_expense(expense=expense, by=cast["ada"])
    assert fresh(expense).state == ExpenseState.APPROVED


def test_over_the_threshold_it_needs_n_approvals_from_different_approvers(cast) -> None:
    group = cast["group"]
    cy = member(group, "approver", name="cy")
    expense = make_expense(group, cast["claimant"], amount_pence=5001)
    services.approve_expense(expense=expense, by=cast["ada"])
    assert fresh(expense).state == ExpenseState.SUBMITTED
    with pytest.raises(ValidationError, match="already approved"):
        services.approve_expense(expense=expense, by=cast["ada"])
    services.approve_expense(expense=expense, by=cast["bo"])
    assert fresh(expense).state == ExpenseState.APPROVED
    with pytest.raises(ValidationError, match="already been approved"):
        services.approve_expense(expense=expense, by=cy)
    assert Approval.objects.filter(expense=expense).count() == 2
    assert events(expense, "expenses.expense_approved") == 1


def test_only_current_approvers_may_approve_and_treasurers_are_not_approvers_by_office(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    for who in (
        cast["tess"],
        member(cast["group"], name="plain"),
        member(make_group("Elsewhere"), "approver"),
    ):
        with pytest.raises(ValidationError, match="Only the group's approvers"):
            services.approve_expense(expense=expense, by=who)
    assert not Approval.objects.exists()


def test_the_database_keeps_one_approval_per_approver(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"], amount_pence=9000)
    services.approve_expense(expense=expense, by=cast["ada"])
    approval = Approval.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(expense=expense, approver=approval.approver)


def test_rejecting_needs_an_approver_and_a_reason_which_the_claimant_sees(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    with pytest.raises(ValidationError) as refused:
        services.reject_expense(expense=expense, by=cast["ada"], reason="   ")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError, match="Only the group's approvers"):
        services.reject_expense(expense=expense, by=cast["tess"], reason="No receipt")
    services.reject_expense(expense=expense, by=cast["ada"], reason="No receipt: add one and claim again.")
    rejected = fresh(expense)
    assert rejected.state == ExpenseState.REJECTED and rejected.rejected_at is not None
    assert rejected.rejection_reason == "No receipt: add one and claim again."
    with pytest.raises(ValidationError, match="already been rejected"):
        services.reject_expense(expense=expense, by=cast["bo"], reason="Again")


def test_the_database_refuses_a_rejection_without_a_reason_and_a_non_positive_amount(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).update(state=ExpenseState.REJECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).update(amount_pence=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).update(state=ExpenseState.PAID)


def test_cancelling_is_for_the_claimant_until_approval_and_for_treasurers_until_payment(cast) -> None:
    group, claimant, tess = cast["group"], cast["claimant"], cast["tess"]
    draft = make_expense(group, claimant, submit=False)
    services.cancel_expense(expense=draft, by=claimant)
    assert fresh(draft).state == ExpenseState.CANCELLED and fresh(draft).cancelled_at is not None
    approved = make_expense(group, claimant)
    services.approve_expense(expense=approved, by=cast["ada"])
    with pytest.raises(ValidationError, match="ask a treasurer"):
        services.cancel_expense(expense=approved, by=claimant)
    with pytest.raises(ValidationError, match="Only the person who claimed"):
        services.cancel_expense(expense=approved, by=cast["bo"])
    services.cancel_expense(expense=approved, by=tess)
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.cancel_expense(expense=approved, by=tess)
    assert events(approved, "expenses.expense_cancelled") == 1


@pytest.mark.parametrize("state", [ExpenseState.PAID, ExpenseState.REJECTED, ExpenseState.CANCELLED])
def test_nothing_moves_an_expense_that_has_ended(cast, state: str) -> None:
    group, claimant, ada, tess = cast["group"], cast["claimant"], cast["ada"], cast["tess"]
    expense = make_expense(group, claimant)
    if state == ExpenseState.REJECTED:
        services.reject_expense(expense=expense, by=ada, reason="Not ours")
    elif state == ExpenseState.CANCELLED:
        services.cancel_expense(expense=expense, by=claimant)
    else:
        services.approve_expense(expense=expense, by=ada)
        pay(expense, tess)
    attempts = [
        lambda: services.submit_expense(expense=expense, by=claimant),
        lambda: services.approve_expense(expense=expense, by=cast["bo"]),
        lambda: services.reject_expense(expense=expense, by=cast["bo"], reason="x"),
        lambda: pay(expense, tess),
        lambda: services.cancel_expense(expense=expense, by=tess),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert fresh(expense).state == state


def test_paying_posts_a_balanced_expense_transaction_and_links_it(cast) -> None:
    group = cast["group"]
    expense = make_expense(group, cast["claimant"], amount_pence=4200, public_label="A volunteer driver")
    services.approve_expense(expense=expense, by=cast["ada"])
    pay(expense, cast["tess"], paid_on=timezone.localdate() - timedelta(days=1))
    txn = fresh(expense).paid_transaction
    assert txn is not None and txn.posted and txn.kind == TransactionKind.EXPENSE
    assert txn.occurred_on == timezone.localdate() - timedelta(days=1)
    assert (txn.counterparty, txn.counterparty_public) == ("A volunteer driver", True)
    assert txn.description == "Food and essentials: A volunteer driver"
    lines = {(e.account.name, e.amount_pence, e.fund_id) for e in Entry.objects.filter(transaction=txn)}
    assert lines == {("Food and essentials", 4200, None), ("Bank account", -4200, None)}
    assert Balance.objects.get(account=account(group, "Food and essentials")).pence == 4200


def test_without_a_label_the_books_name_only_the_category_never_the_payee(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"], payee_name="Zebedee Quill")
    services.approve_expense(expense=expense, by=cast["ada"])
    pay(expense, cast["tess"])
    txn = fresh(expense).paid_transaction
    assert txn is not None
    assert (txn.description, txn.counterparty, txn.counterparty_public) == (
        "Food and essentials (expense paid)",
        "",
        False,
    )


def test_a_double_pay_does_nothing_the_second_time(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    services.approve_expense(expense=expense, by=cast["ada"])
    pay(expense, cast["tess"])
    with pytest.raises(ValidationError, match="already been paid"):
        pay(expense, cast["tess"])
    assert Transaction.objects.filter(kind=TransactionKind.EXPENSE).count() == 1
    assert events(expense, "expenses.expense_paid") == 1


def test_only_a_current_treasurer_of_this_group_may_pay(cast) -> None:
    group = cast["group"]
    expense = make_expense(group, cast["claimant"])
    services.approve_expense(expense=expense, by=cast["ada"])
    elsewhere = member(make_group("Southside"), "treasurer")
    former = member(group, name="former")
    books.add_member(
        group=group,
        person=former.person,
        role="treasurer",
        by=None,
        starts_on=timezone.localdate() - timedelta(days=60),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    for who in (cast["ada"], elsewhere, former):
        with pytest.raises(ValidationError, match="Only the group's treasurers"):
            pay(expense, who)
    assert fresh(expense).state == ExpenseState.APPROVED and not Transaction.objects.filter(kind="expense")


def test_paying_from_another_groups_account_or_a_spending_category_is_refused(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    services.approve_expense(expense=expense, by=cast["ada"])
    for wrong in (account(make_group("Other"), "Bank account"), account(cast["group"], "Travel")):
        with pytest.raises(ValidationError) as refused:
            services.pay_expense(expense=expense, by=cast["tess"], account=wrong)
        assert "account" in refused.value.error_dict
    assert fresh(expense).state == ExpenseState.APPROVED


def test_a_fund_must_allow_the_category_and_hold_enough_or_nothing_is_paid(cast) -> None:
    group = cast["group"]
    food = account(group, "Food and essentials")
    fund = books.create_fund(
        group=group, name="Food grant", conditions="Food only", categories=[food], by=None
    )
    with pytest.raises(ValidationError) as refused:
        make_expense(group, cast["claimant"], category="Travel", fund=fund)
    assert "fund" in refused.value.error_dict
    books.record_grant(
        group=group, fund=fund, amount_pence=3000, occurred_on=timezone.localdate(), funder="Council", by=None
    )
    small, large = (make_expense(group, cast["claimant"], amount_pence=p, fund=fund) for p in (2000, 1500))
    for expense in (small, large):
        services.approve_expense(expense=expense, by=cast["ada"])
    pay(small, cast["tess"])
    lines = set(
        Entry.objects.filter(transaction=fresh(small).paid_transaction).values_list("fund_id", flat=True)
    )
    assert lines == {fund.pk}
    with pytest.raises(ValidationError, match="does not hold enough"):
        pay(large, cast["tess"])
    assert fresh(large).state == ExpenseState.APPROVED
    assert Transaction.objects.filter(kind=TransactionKind.EXPENSE).count() == 1
    assert books.fund_balance(fund) == 1000


def test_payee_details_are_encrypted_at_rest(cast) -> None:
    expense = make_expense(
        cast["group"],
        cast["claimant"],
        payee_name="Zebedee Quill",
        payee_sort_code="123456",
        payee_account_number="3192 6819",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT payee_name, payee_sort_code, payee_account_number FROM expenses_expense WHERE id = %s",
            [expense.pk],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in stored)
    assert "Quill" not in "".join(stored) and "3192" not in "".join(stored)
    again = fresh(expense)
    assert (again.payee_name, again.payee_sort_code, again.payee_account_number) == (
        "Zebedee Quill",
        "12-34-56",
        "31926819",
    )


def test_a_public_label_that_names_the_payee_is_refused(cast) -> None:
    with pytest.raises(ValidationError) as refused:
        make_expense(
            cast["group"], cast["claimant"], payee_name="Zebedee Quill", public_label="Zebedee's cab"
        )
    assert "public_label" in refused.value.error_dict
    assert not Expense.objects.exists()


def test_only_members_claim_and_only_in_their_groups_categories(cast) -> None:
    outsider = member(make_group("Elsewhere"))
    with pytest.raises(ValidationError, match="Only members"):
        make_expense(cast["group"], outsider)
    with pytest.raises(ValidationError) as refused:
        services.create_expense(
            group=cast["group"],
            by=cast["claimant"],
            amount_pence=100,
            category=account(cast["group"], "Bank account"),
            description="x",
            spent_on=timezone.localdate(),
        )
    assert "category" in refused.value.error_dict


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_receipts_are_kept_under_names_that_say_nothing_with_the_type_their_contents_earned(cast) -> None:
    expense = make_expense(
        cast["group"], cast["claimant"], receipts=[photo("Zebedee.JPEG"), photo("scan", PDF)]
    )
    jpeg, pdf = Receipt.objects.filter(expense=expense).order_by("id")
    assert (jpeg.content_type, pdf.content_type) == ("image/jpeg", "application/pdf")
    assert jpeg.file.name.endswith(f"{jpeg.uuid}.jpg") and pdf.file.name.endswith(f"{pdf.uuid}.pdf")
    assert "Zebedee" not in jpeg.file.name and jpeg.name == "Zebedee.JPEG"
    assert len(stored_files()) == 2


def test_a_bad_receipt_refuses_the_whole_expense_and_saves_nothing(cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EXPENSE_RECEIPT_MAX_BYTES = 50
    with pytest.raises(ValidationError) as refused:
        make_expense(cast["group"], cast["claimant"], receipts=[photo("tiny.pdf", b"%PDF-1"), photo()])
    assert "largest receipt allowed" in refused.value.error_dict["receipts"][0].message
    with pytest.raises(ValidationError, match="is not a photo"):
        make_expense(cast["group"], cast["claimant"], receipts=[photo("virus.jpg", b"MZ\x90\x00")])
    assert not Expense.objects.exists() and not Receipt.objects.exists() and stored_files() == []


def test_receipts_can_be_added_later_by_the_claimant_or_a_treasurer_only(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    services.add_receipts(expense=expense, uploads=[photo()], by=cast["claimant"])
    services.add_receipts(expense=expense, uploads=[photo("b.png", b"\x89PNG\r\n\x1a\n")], by=cast["tess"])
    with pytest.raises(ValidationError, match="Only the person who claimed"):
        services.add_receipts(expense=expense, uploads=[photo()], by=cast["ada"])
    assert expense.receipts.count() == 2 and events(expense, "expenses.receipt_added") == 2


def group_books_total(group) -> int:  # type: ignore[no-untyped-def]
    return int(Balance.objects.filter(account__group=group).aggregate(t=Sum("pence"))["t"] or 0)


def test_the_books_stay_balanced_after_payments(cast) -> None:
    group = cast["group"]
    for pence in (100, 2500, 4999):
        expense = make_expense(group, cast["claimant"], amount_pence=pence)
        services.approve_expense(expense=expense, by=cast["ada"])
        pay(expense, cast["tess"])
    assert group_books_total(group) == 0


def test_a_public_label_naming_the_claimant_is_refused_when_they_are_paid_themselves() -> None:
    from carecommons.expenses.tests.factories import make_expense, make_group, member
    from carecommons.finances.models import GroupRole

    group = make_group(approval_threshold_pence=100_000)
    claimant = member(group, name="jo")  # their person is "Jo Persona"
    with pytest.raises(ValidationError, match="name of the person paid or of the person who claimed"):
        make_expense(group, claimant, public_label="Refund to Jo")
    expense = make_expense(group, claimant, public_label="A volunteer")
    approver, treasurer = member(group, GroupRole.APPROVER), member(group, GroupRole.TREASURER)
    services.approve_expense(expense=expense, by=approver)
    bank = expense.group.accounts.get(name="Bank account")
    with pytest.raises(ValidationError, match="name of the person paid"):
        services.pay_expense(expense=expense, by=treasurer, account=bank, public_label="Persona family")
    expense.refresh_from_db()
    assert expense.state == "approved" and expense.paid_transaction is None


def test_reversing_a_payment_in_the_ledger_reopens_the_claim_to_be_paid_again(client_for) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from carecommons.finances.models import GroupRole

    group = make_group(approval_threshold_pence=100_000)
    books.record_donation(group=group, amount_pence=10_000, occurred_on=timezone.localdate(), by=None)
    claimant, approver = member(group), member(group, GroupRole.APPROVER)
    treasurer = member(group, GroupRole.TREASURER)
    expense = make_expense(group, claimant, amount_pence=2_000)
    services.approve_expense(expense=expense, by=approver)
    bank = account(group, "Bank account")
    payment = services.pay_expense(expense=expense, by=treasurer, account=bank).paid_transaction
    assert payment is not None
    url = reverse("finances:transaction_reverse", args=[group.uuid, payment.uuid])
    assert client_for(treasurer).post(url, {"reason": "Bank returned it"}).status_code == 302
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED and expense.paid_transaction is None
    assert Balance.objects.get(account=bank).pence == 10_000
    again = services.pay_expense(expense=expense, by=treasurer, account=bank)
    assert again.state == ExpenseState.PAID and Transaction.objects.filter(kind="expense").count() == 2
    assert Balance.objects.get(account=bank).pence == 8_000
    assert AuditEvent.objects.filter(action="expenses.payment_reversed", target_id=str(expense.uuid)).exists()
