"""Every money page runs the same number of queries for a small group and a busy one.

Each test measures a page once with a little data, adds many rows, and measures again; the first
request of each measurement warms caches (sessions, content types) so only the page is counted.
The small case already holds one row of each kind a page lists, because Django skips the query
for a prefetch or an `__in` lookup over nothing: starting from nothing would count that as growth.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.finances import services
from carecommons.finances.ledger import Line
from carecommons.finances.models import AccountKind, Fund, Group, GroupRole, Transaction, TransactionKind
from carecommons.finances.tests.factories import account, join, make_group
from carecommons.lib.small_numbers import SMALL_LIMIT
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CATEGORIES = [
    "Food and essentials",
    "Travel",
    "Phone and data",
    "Utilities and bills",
    "Medicine and prescriptions",
    "Running costs",
]


def queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def spend(
    group: Group, category: str, pence: int, *, on: date = TODAY, fund: Fund | None = None
) -> Transaction:
    fund_id = fund.pk if fund is not None else None
    return services.post_transaction(
        group=group,
        kind=TransactionKind.EXPENSE,
        occurred_on=on,
        description=f"Paid for {category}",
        lines=[
            Line(account(group, category).pk, pence, fund_id),
            Line(account(group, "Bank account").pk, -pence, fund_id),
        ],
        by=None,
        counterparty=f"Helper {pence}",
        counterparty_public=pence % 2 == 0,
    )


def funded(group: Group, name: str, categories: list[str], pence: int = 50_000) -> Fund:
    fund = services.create_fund(
        group=group,
        name=name,
        conditions=f"For {', '.join(categories)}",
        categories=[account(group, c) for c in categories],
        by=None,
    )
    services.record_grant(
        group=group, fund=fund, amount_pence=pence, occurred_on=TODAY, funder="Council", by=None
    )
    return fund


def busy_books(group: Group, size: int, *, months: int = 1) -> None:
    """Donations (named and not), cash, spending in every category and month, and reversals."""
    collector = create_person(by=None, given_name="Bucket", family_name=f"Holder {size}")
    for n in range(size):
        on = TODAY - timedelta(days=30 * (n % months))
        services.record_donation(
            group=group,
            amount_pence=1_000 + n,
            occurred_on=on,
            by=None,
            donor=f"Donor {n}",
            donor_public=n % 2 == 0,
        )
        services.record_cash(
            group=group, amount_pence=300 + n, occurred_on=on, collected_by=collector, by=None
        )
        txn = spend(group, CATEGORIES[n % len(CATEGORIES)], 100 + n, on=on)
        if n % 5 == 1:
            services.reverse_transaction(txn=txn, reason="Paid twice", by=None, on=on)


def treasurers_group(user: User) -> Group:
    group = make_group()
    join(group, user, GroupRole.TREASURER)
    return group


def test_my_groups_runs_the_same_queries_for_one_group_and_twelve(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("finances:my_groups")
    few = queries(client, url)
    for n in range(11):
        join(make_group(f"Group {n:02d}"), treasurer, GroupRole.APPROVER)
    assert queries(client, url) == few
    assert "Group 10" in client.get(url).content.decode()


def test_budgets_run_the_same_queries_for_one_budget_and_fifteen(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("finances:budgets", args=[group.uuid])

    def budget(category: str, year: int) -> None:
        services.set_budget(
            group=group,
            category=account(group, category),
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            amount_pence=10_000,
            by=None,
        )
        spend(group, category, 1_500, on=date(year, 6, 1))

    budget("Travel", TODAY.year)
    few = queries(client, url)
    for n in range(14):
        budget(CATEGORIES[n % len(CATEGORIES)], TODAY.year - 1 - n // len(CATEGORIES))
    assert queries(client, url) == few


def test_accounts_run_the_same_queries_for_the_starting_accounts_and_many_more_with_funds(
    treasurer, client_for
) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("finances:accounts", args=[group.uuid])
    funded(group, "Food grant", ["Food and essentials"])
    few = queries(client, url)
    for n in range(15):
        kind = [AccountKind.EXPENSE, AccountKind.INCOME, AccountKind.BANK][n % 3]
        services.add_account(group=group, name=f"Extra account {n}", kind=kind, by=None)
    spend(group, "Extra account 0", 250)
    for n in range(5):
        funded(group, f"Fund {n}", CATEGORIES[: n + 2])
    assert queries(client, url) == few


def test_members_page_runs_the_same_queries_for_few_roles_and_twenty(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("finances:members", args=[group.uuid])
    few = queries(client, url)
    for n in range(20):
        person = create_person(by=None, given_name=f"Helper{n}", family_name="Member")
        role = [GroupRole.MEMBER, GroupRole.APPROVER, GroupRole.TREASURER][n % 3]
        membership = services.add_member(group=group, person=person, role=role, by=None)
        if n % 4 == 0:
            services.end_membership(membership=membership, by=None)
    assert queries(client, url) == few


def test_group_overview_runs_the_same_queries_for_few_transactions_and_many(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("finances:group_detail", args=[group.uuid])
    food = funded(group, "Food grant", ["Food and essentials"])
    busy_books(group, 2)
    spend(group, "Food and essentials", 500, fund=food)
    few = queries(client, url)
    busy_books(group, 30)
    for n in range(5):
        fund = funded(group, f"Fund {n}", CATEGORIES[: n + 1])
        spend(group, "Food and essentials", 700 + n, fund=fund)
    assert queries(client, url) == few


def test_public_page_runs_the_same_queries_for_few_transactions_and_many(client_for) -> None:  # type: ignore[no-untyped-def]
    group = make_group()
    services.update_policy(group=group, by=None, public_page=True, public_intro="We share food.")
    client = Client()
    url = reverse("finances:public_page", args=[group.slug])
    busy_books(group, 2)
    funded(group, "Food grant", ["Food and essentials"])
    for n in range(SMALL_LIMIT):  # enough payments for the page to show any spending at all
        spend(group, "Food and essentials", 200 + n)
    few = queries(client, url)
    busy_books(group, 60, months=11)
    for n in range(3):
        fund = funded(group, f"Fund {n}", CATEGORIES)
        spend(group, CATEGORIES[n], 900 + n, fund=fund)
    assert queries(client, url) == few
    page = client.get(url).content.decode()
    assert re.search(r"Donor 58\b", page) and not re.search(r"Donor 59\b", page)  # only those who agreed
