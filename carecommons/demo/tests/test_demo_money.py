from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.demo.fixtures import DEMO_PASSWORD
from carecommons.demo.money import SLUG
from carecommons.expenses.models import Expense, ExpenseState
from carecommons.finances.models import Balance, Budget, Entry, Group, GroupRole, Transaction
from carecommons.finances.tests.factories import held
from carecommons.statements.models import StatementLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(settings) -> Group:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    return Group.objects.get(slug=SLUG)


def signed_in(email: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_the_demo_group_has_a_year_of_balanced_books_with_a_grant_and_expenses_in_every_state(
    group: Group,
) -> None:
    transactions = Transaction.objects.filter(group=group)
    first, last = transactions.order_by("occurred_on").first(), transactions.order_by("occurred_on").last()
    assert first is not None and last is not None and (last.occurred_on - first.occurred_on).days > 330
    assert transactions.filter(kind="donation").count() > 50
    assert transactions.filter(kind="grant").count() == 1 and group.funds.count() == 1
    assert transactions.filter(reverses__isnull=False).count() == 1
    states = dict(
        Expense.objects.filter(group=group).values_list("state").annotate(n=Sum(1)).values_list("state", "n")
    )
    assert set(states) == set(ExpenseState.values)
    assert 140 <= sum(states.values()) <= 160
    assert Entry.objects.filter(transaction__group=group).aggregate(total=Sum("amount_pence"))["total"] == 0
    assert Balance.objects.filter(account__group=group).aggregate(total=Sum("pence"))["total"] == 0
    assert Budget.objects.filter(group=group).count() == 3


def test_the_demo_treasurer_rotated_and_the_bank_statement_is_partly_reconciled(group: Group) -> None:
    treasurers = held(group, GroupRole.TREASURER).order_by("starts_on")
    assert [m.person.given_name for m in treasurers] == ["Sophie", "Declan"]
    assert treasurers.current(timezone.localdate()).get().person.given_name == "Declan"
    assert {(t.role.name, t.role.term_months) for t in treasurers} == {("Treasurer", 3)}
    lines = StatementLine.objects.filter(account__group=group)
    assert lines.filter(reconciled=True).count() == 10
    assert lines.filter(reconciled=False, match__isnull=False).count() > 10  # suggestions to confirm
    assert lines.filter(match__isnull=True).filter(description__contains="ACCOUNT FEE").count() == 1


def test_demo_logins_reach_the_group_host_and_public_page(group: Group) -> None:
    member = signed_in("member@example.org")
    assert member.get(reverse("finances:group_detail", args=[group.uuid])).status_code == 200
    assert member.get(reverse("finances:income_new", args=[group.uuid])).status_code == 404
    treasurer = signed_in("treasurer@example.org")
    assert treasurer.get(reverse("finances:income_new", args=[group.uuid])).status_code == 200
    host = group.host
    assert host is not None
    page = signed_in("convenor@example.org").get(reverse("finances:host_detail", args=[host.uuid]))
    assert page.status_code == 200 and "Northside Mutual Aid" in page.content.decode()
    public = Client().get(reverse("finances:public_page", args=[SLUG])).content.decode()
    assert "Food and essentials" in public and "Manchester Community Foundation" in public
    assert "Jess Morgan" not in public and "Ellen Price" not in public
