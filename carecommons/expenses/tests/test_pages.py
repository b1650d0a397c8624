import uuid
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.expenses import services
from carecommons.expenses.models import Expense, ExpenseState, Receipt
from carecommons.expenses.tests.factories import (
    PDF,
    PNG,
    account,
    make_expense,
    make_group,
    member,
    photo,
)
from carecommons.finances import services as books
from carecommons.finances.models import Transaction, TransactionKind

pytestmark = pytest.mark.django_db

PAYEE: dict[str, Any] = {
    "payee_name": "Zebedee Quill",
    "payee_sort_code": "12-34-56",
    "payee_account_number": "31926819",
}


def claim(group, **changes):  # type: ignore[no-untyped-def]
    return {
        "submission": str(uuid.uuid4()),
        "description": "Bus fares to the food bank",
        "amount_pence": "12.50",
        "spent_on": timezone.localdate().isoformat(),
        "category": account(group, "Travel").pk,
        "save": "submit",
        **changes,
    }


def detail_url(expense: Expense) -> str:
    return reverse("expenses:expense_detail", args=[expense.uuid])


def test_a_member_claims_an_expense_with_receipts_in_one_form(cast, client_for) -> None:
    group = cast["group"]
    data = claim(group, receipts=[photo("till.jpg"), photo("invoice.pdf", PDF)], **PAYEE)
    response = client_for(cast["claimant"]).post(reverse("expenses:expense_create", args=[group.uuid]), data)
    expense = Expense.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(expense)
    assert expense.state == ExpenseState.SUBMITTED and expense.amount_pence == 1250
    assert expense.payee_name == "Zebedee Quill" and expense.category.name == "Travel"
    assert sorted(expense.receipts.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
    ]


def test_save_as_draft_keeps_it_from_the_approvers_until_it_is_sent(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    client.post(reverse("expenses:expense_create", args=[group.uuid]), claim(group, save="draft"))
    expense = Expense.objects.get()
    assert expense.state == ExpenseState.DRAFT
    assert b"Send for approval" in client.get(detail_url(expense)).content
    client.post(reverse("expenses:expense_submit", args=[expense.uuid]))
    assert Expense.objects.get().state == ExpenseState.SUBMITTED


def test_sending_the_same_form_twice_creates_one_expense(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    data = claim(group)
    first = client.post(reverse("expenses:expense_create", args=[group.uuid]), data)
    second = client.post(reverse("expenses:expense_create", args=[group.uuid]), data)
    assert Expense.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_receipt_that_is_not_a_photo_or_pdf_is_refused_beside_the_field_and_nothing_is_saved(
    cast, client_for
) -> None:
    group = cast["group"]
    data = claim(group, receipts=[photo("till.jpg"), photo("notes.docx", b"PK\x03\x04rest")], **PAYEE)
    response = client_for(cast["claimant"]).post(reverse("expenses:expense_create", args=[group.uuid]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“notes.docx” is not a photo (JPEG, PNG, WebP or HEIC) or a PDF." in page
    assert page.index("has-error") < page.index("notes.docx") < page.index('name="payee_name"')
    assert 'value="Bus fares to the food bank"' in page and 'value="Zebedee Quill"' in page
    assert not Expense.objects.exists() and not Receipt.objects.exists()


def test_a_receipt_over_the_size_limit_is_refused_with_the_limit_named(cast, client_for, settings) -> None:
    settings.EXPENSE_RECEIPT_MAX_BYTES = 2 * 1024 * 1024
    group = cast["group"]
    big = photo("huge.png", PNG + b"\x00" * (3 * 1024 * 1024))
    data = claim(group, receipts=[big])
    response = client_for(cast["claimant"]).post(reverse("expenses:expense_create", args=[group.uuid]), data)
    assert "“huge.png” is 3 MB; the largest receipt allowed is 2 MB." in response.content.decode()
    assert not Expense.objects.exists() and not Receipt.objects.exists()


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_is_wrong(cast, client_for) -> None:
    group = cast["group"]
    data = claim(group, amount_pence="twelve", payee_sort_code="12-34")
    response = client_for(cast["claimant"]).post(reverse("expenses:expense_create", args=[group.uuid]), data)
    page = response.content.decode()
    assert "Enter an amount in pounds and pence" in page
    assert "A sort code is six numbers" in page
    assert 'value="twelve"' in page and 'value="Bus fares to the food bank"' in page
    assert not Expense.objects.exists()


def test_the_list_filters_by_state(cast, client_for) -> None:
    group = cast["group"]
    make_expense(group, cast["claimant"], description="Waiting one")
    make_expense(group, cast["claimant"], description="Draft one", submit=False)
    client = client_for(cast["ada"])
    url = reverse("expenses:expense_list", args=[group.uuid])
    everything = client.get(url).content.decode()
    drafts = client.get(url, {"state": "draft"}).content.decode()
    assert "Waiting one" in everything and "Draft one" in everything
    assert "Draft one" in drafts and "Waiting one" not in drafts
    assert "Draft (1)" in everything


def test_the_list_query_count_does_not_grow_with_expenses(cast, client_for) -> None:
    group, claimant = cast["group"], cast["claimant"]
    client = client_for(cast["tess"])
    url = reverse("expenses:expense_list", args=[group.uuid])

    def add(count: int) -> None:
        for n in range(count):
            expense = make_expense(group, claimant, amount_pence=100 + n, receipts=[photo()])
            if n % 2:
                services.approve_expense(expense=expense, by=cast["ada"])

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["claimant", "ada"])
def test_payee_details_are_hidden_from_members_approvers_and_the_claimant(cast, client_for, who: str) -> None:
    expense = make_expense(cast["group"], cast["claimant"], **PAYEE)
    client = client_for(cast[who])
    for url in (detail_url(expense), reverse("expenses:expense_list", args=[cast["group"].uuid])):
        page = client.get(url).content.decode()
        assert "Zebedee" not in page and "12-34-56" not in page and "31926819" not in page
    assert not AuditEvent.objects.filter(action="expenses.payee_viewed").exists()


def test_payee_details_are_shown_to_treasurers_and_their_viewing_is_recorded(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"], **PAYEE)
    page = client_for(cast["tess"]).get(detail_url(expense)).content.decode()
    assert "Zebedee Quill" in page and "12-34-56" in page and "31926819" in page
    assert AuditEvent.objects.filter(
        action="expenses.payee_viewed", actor=cast["tess"], target_id=str(expense.uuid)
    ).exists()


def test_host_staff_see_no_expense_and_no_receipt(cast, client_for) -> None:
    host = books.create_host(name="Community Foundation", by=None)
    group = make_group("Hosted Mutual Aid", host=host)
    claimant = member(group)
    staff = member(make_group("Staff's own group"), name="hoststaff")
    host.staff.add(staff.person)
    TOTP.activate(staff, generate_totp_secret())  # host staff reach groups' money details
    expense = make_expense(group, claimant, receipts=[photo()])
    client = client_for(staff)
    receipt = expense.receipts.get()
    for url in (
        reverse("expenses:expense_list", args=[group.uuid]),
        detail_url(expense),
        reverse("expenses:receipt_download", args=[receipt.uuid]),
    ):
        assert client.get(url).status_code == 404


def test_an_approver_approves_and_the_claimant_cannot_approve_their_own(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["ada"])
    own = client_for(cast["ada"]).post(reverse("expenses:expense_approve", args=[expense.uuid]), follow=True)
    assert "You cannot approve your own expense" in own.content.decode()
    assert not expense.approvals.exists()
    page = client_for(cast["bo"]).post(reverse("expenses:expense_approve", args=[expense.uuid]), follow=True)
    assert "That was the last one needed" in page.content.decode()
    assert Expense.objects.get().state == ExpenseState.APPROVED


def test_rejecting_without_a_reason_shows_the_problem_beside_the_reason(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    url = reverse("expenses:expense_reject", args=[expense.uuid])
    page = client_for(cast["ada"]).post(url, {"reason": " "}).content.decode()
    assert "Say why, so they can put it right" in page and "has-error" in page
    client_for(cast["ada"]).post(url, {"reason": "Not a group cost"})
    assert Expense.objects.get().state == ExpenseState.REJECTED
    assert "Not a group cost" in client_for(cast["claimant"]).get(detail_url(expense)).content.decode()


def test_a_double_click_on_pay_pays_once(cast, client_for) -> None:
    group = cast["group"]
    expense = make_expense(group, cast["claimant"])
    services.approve_expense(expense=expense, by=cast["ada"])
    client = client_for(cast["tess"])
    data = {"account": account(group, "Bank account").pk, "paid_on": timezone.localdate().isoformat()}
    url = reverse("expenses:expense_pay", args=[expense.uuid])
    first, second = client.post(url, data), client.post(url, data, follow=True)
    assert first.status_code == 302
    assert "This expense has already been paid." in second.content.decode()
    assert Transaction.objects.filter(kind=TransactionKind.EXPENSE).count() == 1
    assert Expense.objects.get().state == ExpenseState.PAID


def test_only_treasurers_see_the_pay_form_and_others_get_a_404_for_it(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    services.approve_expense(expense=expense, by=cast["ada"])
    assert b"Mark as paid" in client_for(cast["tess"]).get(detail_url(expense)).content
    for who in ("claimant", "ada"):
        client = client_for(cast[who])
        assert b"Mark as paid" not in client.get(detail_url(expense)).content
        assert client.post(reverse("expenses:expense_pay", args=[expense.uuid])).status_code == 404


def test_the_claimant_cancels_and_receipts_can_still_be_added_before(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    client = client_for(cast["claimant"])
    client.post(reverse("expenses:receipt_add", args=[expense.uuid]), {"receipts": [photo()]})
    assert expense.receipts.count() == 1
    client.post(reverse("expenses:expense_cancel", args=[expense.uuid]), {"confirm": "yes"})
    assert Expense.objects.get().state == ExpenseState.CANCELLED
    refused = client.post(
        reverse("expenses:receipt_add", args=[expense.uuid]), {"receipts": [photo()]}, follow=True
    )
    assert "receipts can no longer be added" in refused.content.decode()
    assert expense.receipts.count() == 1


def test_a_receipt_is_served_to_members_as_a_private_download_and_recorded(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"], receipts=[photo("till.jpg")])
    receipt = expense.receipts.get()
    response = client_for(cast["ada"]).get(reverse("expenses:receipt_download", args=[receipt.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="expenses.receipt_downloaded", actor=cast["ada"]).exists()


def test_a_receipt_is_a_404_for_outsiders_and_other_groups_and_a_sign_in_for_strangers(
    cast, client_for, outsider, treasurer, client
) -> None:
    expense = make_expense(cast["group"], cast["claimant"], receipts=[photo()])
    url = reverse("expenses:receipt_download", args=[expense.receipts.get().uuid])
    other_groups_treasurer = member(make_group("Southside"), "treasurer")
    for who in (outsider, treasurer, other_groups_treasurer):
        assert client_for(who).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_the_home_page_asks_approvers_to_approve_and_treasurers_to_pay(client_for) -> None:  # type: ignore[no-untyped-def]
    from carecommons.expenses.tests.factories import make_expense, make_group, member
    from carecommons.finances.models import GroupRole

    group = make_group(approval_threshold_pence=100_000)
    claimant, approver = member(group), member(group, GroupRole.APPROVER)
    treasurer = member(group, GroupRole.TREASURER)
    first = make_expense(group, claimant)
    make_expense(group, claimant)
    make_expense(group, approver)
    home = reverse("home:index")
    assert "2 expenses to approve" in client_for(approver).get(home).content.decode()  # not their own
    assert "to pay" not in client_for(treasurer).get(home).content.decode()
    services.approve_expense(expense=first, by=approver)
    assert "1 expense to approve" in client_for(approver).get(home).content.decode()
    assert "1 approved expense to pay" in client_for(treasurer).get(home).content.decode()
    assert "to approve" not in client_for(claimant).get(home).content.decode()
