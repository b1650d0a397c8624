"""Cancelling a claim cannot be undone, so it asks first (lib/confirm.py), also without JavaScript."""

import pytest
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.expenses.models import Expense, ExpenseState
from carecommons.expenses.tests.factories import make_expense, make_group, member

pytestmark = pytest.mark.django_db


def cancel_url(expense: Expense) -> str:
    return reverse("expenses:expense_cancel", args=[expense.uuid])


def test_the_cancel_button_leads_to_a_page_that_says_what_will_happen(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    client = client_for(cast["claimant"])
    detail = client.get(reverse("expenses:expense_detail", args=[expense.uuid])).content.decode()
    assert f'href="{cancel_url(expense)}"' in detail
    page = client.get(cancel_url(expense)).content.decode()
    assert "cannot be undone" in page and "Yes, cancel this expense" in page and "No, go back" in page
    assert 'name="confirm" value="yes"' in page
    assert Expense.objects.get().state == ExpenseState.SUBMITTED


def test_a_post_without_the_confirmation_changes_nothing_and_asks(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    response = client_for(cast["claimant"]).post(cancel_url(expense))
    assert response.status_code == 200 and "Yes, cancel this expense" in response.content.decode()
    assert Expense.objects.get().state == ExpenseState.SUBMITTED
    assert not AuditEvent.objects.filter(action="expenses.expense_cancelled").exists()


def test_saying_yes_cancels_the_expense(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    response = client_for(cast["claimant"]).post(cancel_url(expense), {"confirm": "yes"})
    assert response.status_code == 302
    assert Expense.objects.get().state == ExpenseState.CANCELLED


def test_someone_who_may_not_cancel_is_told_so_instead_of_being_asked(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    response = client_for(cast["ada"]).get(cancel_url(expense), follow=True)
    assert "can cancel it" in response.content.decode()
    assert "Yes, cancel" not in response.content.decode()


def test_the_confirmation_page_is_a_404_outside_the_group(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    stranger = member(make_group("Another group"))
    client = client_for(stranger)
    assert client.get(cancel_url(expense)).status_code == 404
    assert client.post(cancel_url(expense), {"confirm": "yes"}).status_code == 404
    assert Expense.objects.get().state == ExpenseState.SUBMITTED
