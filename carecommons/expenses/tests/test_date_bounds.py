"""A claim dated year 1 was once paid. Claim and payment dates are bounded (lib/dates.py): beside the
field on the form, in the service for anything else, and by a check constraint in the database."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from carecommons.expenses import services
from carecommons.expenses.models import Expense
from carecommons.expenses.tests.factories import account, make_expense

pytestmark = pytest.mark.django_db


def test_the_claim_form_refuses_year_1_and_tomorrow_beside_the_date(cast, client_for) -> None:
    group, client = cast["group"], client_for(cast["claimant"])
    url = reverse("expenses:expense_create", args=[group.uuid])
    for typed, said in [
        ("0001-01-01", "Enter a date on or after 1 January 2000."),
        ((timezone.localdate() + timedelta(days=1)).isoformat(), "Enter a date that is not in the future."),
    ]:
        data = {
            "submission": str(uuid.uuid4()),
            "description": "Bus fares",
            "amount_pence": "12.50",
            "spent_on": typed,
            "category": account(group, "Travel").pk,
        }
        page = client.post(url, data).content.decode()
        assert said in page and page.index("has-error") < page.index(said) < page.index('name="spent_on"')
        assert f'value="{typed}"' in page
    assert not Expense.objects.exists()


def test_the_service_refuses_a_claim_dated_before_2000(cast) -> None:
    with pytest.raises(ValidationError) as refused:
        make_expense(cast["group"], cast["claimant"], spent_on=date(1, 1, 1))
    assert refused.value.message_dict == {"spent_on": ["Enter a date on or after 1 January 2000."]}


def test_the_database_refuses_a_claim_dated_before_2000(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).update(spent_on=date(1999, 12, 31))


def test_a_payment_cannot_be_dated_in_the_future_or_before_2000(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    services.approve_expense(expense=expense, by=cast["ada"])
    bank = account(cast["group"], "Bank account")
    for day in (timezone.localdate() + timedelta(days=1), date(1999, 12, 31), date(1, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            services.pay_expense(expense=expense, by=cast["tess"], account=bank, paid_on=day)
        assert list(refused.value.message_dict) == ["paid_on"]
    assert Expense.objects.get().paid_transaction is None
