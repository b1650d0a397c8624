"""A receipt chosen on a claim form that came back with a problem is kept, so the corrected form
need not choose it again; only its owner, sending the same form, can use it."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.expenses.models import Expense, KeptReceipt, Receipt
from carecommons.expenses.tests.factories import PDF, account, member, photo

pytestmark = pytest.mark.django_db


def claim(group, key: str, **changes):  # type: ignore[no-untyped-def]
    return {
        "submission": key,
        "description": "Bus fares to the food bank",
        "amount_pence": "12.50",
        "spent_on": timezone.localdate().isoformat(),
        "category": account(group, "Travel").pk,
        "save": "submit",
        **changes,
    }


def test_a_receipt_sent_with_a_bad_amount_is_attached_when_the_form_is_corrected(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    url, key = reverse("expenses:expense_create", args=[group.uuid]), str(uuid.uuid4())
    failed = client.post(url, claim(group, key, amount_pence="twelve", receipts=[photo("receipt.pdf", PDF)]))
    page = failed.content.decode()
    assert failed.status_code == 200 and not Expense.objects.exists()
    assert "receipt.pdf kept: choose another to replace it." in page
    assert f'value="{key}"' in page
    assert client.post(url, claim(group, key)).status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.expense == Expense.objects.get() and receipt.name == "receipt.pdf"
    assert receipt.content_type == "application/pdf" and receipt.file.read() == PDF
    assert not KeptReceipt.objects.exists()
    assert AuditEvent.objects.filter(action="expenses.receipt_kept").count() == 1


def test_choosing_another_file_replaces_the_kept_one(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    url, key = reverse("expenses:expense_create", args=[group.uuid]), str(uuid.uuid4())
    client.post(url, claim(group, key, amount_pence="", receipts=[photo("first.pdf", PDF)]))
    again = client.post(url, claim(group, key, description="", receipts=[photo("second.jpg")]))
    assert "second.jpg kept" in again.content.decode() and "first.pdf" not in again.content.decode()
    client.post(url, claim(group, key))
    assert list(Receipt.objects.values_list("name", flat=True)) == ["second.jpg"]


def test_a_file_that_is_not_a_receipt_is_refused_beside_the_field_and_not_kept(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    url = reverse("expenses:expense_create", args=[group.uuid])
    bad = photo("notes.docx", b"PK\x03\x04rest")
    page = client.post(url, claim(group, str(uuid.uuid4()), amount_pence="", receipts=[bad])).content.decode()
    assert "“notes.docx” is not a photo" in page and "kept" not in page
    assert not KeptReceipt.objects.exists()


def test_a_kept_receipt_is_private_to_the_person_who_chose_it(cast, client_for) -> None:
    group = cast["group"]
    url, key = reverse("expenses:expense_create", args=[group.uuid]), str(uuid.uuid4())
    client_for(cast["claimant"]).post(
        url, claim(group, key, amount_pence="x", receipts=[photo("a.pdf", PDF)])
    )
    other = member(group)
    page = client_for(other).post(url, claim(group, key, amount_pence="x")).content.decode()
    assert "a.pdf" not in page
    client_for(other).post(url, claim(group, key))
    assert Expense.objects.get().receipts.count() == 0
    assert KeptReceipt.objects.get().name == "a.pdf"


def test_the_kept_name_is_shown_as_text_never_as_markup(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    url = reverse("expenses:expense_create", args=[group.uuid])
    sneaky = photo("<img src=x onerror=alert(1)>.pdf", PDF)
    page = client.post(
        url, claim(group, str(uuid.uuid4()), amount_pence="", receipts=[sneaky])
    ).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf kept" in page and "<img src=x" not in page
