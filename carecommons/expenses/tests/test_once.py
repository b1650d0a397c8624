"""Adding receipts is a create form like the others: a second click adds nothing (lib/once.py)."""

import uuid

import pytest
from django.urls import reverse

from carecommons.expenses.models import Receipt
from carecommons.expenses.tests.factories import make_expense, photo

pytestmark = pytest.mark.django_db


def test_the_same_receipts_form_sent_twice_saves_the_receipts_once(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    client = client_for(cast["claimant"])
    url = reverse("expenses:receipt_add", args=[expense.uuid])
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(url, {"submission": key, "receipts": [photo("till.jpg"), photo("bus.jpg")]})
        assert response.status_code == 302
    assert sorted(Receipt.objects.filter(expense=expense).values_list("name", flat=True)) == [
        "bus.jpg",
        "till.jpg",
    ]
    client.post(url, {"submission": str(uuid.uuid4()), "receipts": [photo("later.jpg")]})
    assert expense.receipts.count() == 3


def test_the_expense_page_gives_the_receipts_form_its_key(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    page = client_for(cast["claimant"]).get(reverse("expenses:expense_detail", args=[expense.uuid]))
    assert 'name="submission"' in page.content.decode()
