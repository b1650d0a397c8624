"""Names and words typed into a group's money (funds, accounts, expenses, payee labels, bank
statement lines, hosts) are shown as text on every page that shows them."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.expenses import services as expenses
from carecommons.expenses.tests.factories import make_expense, member
from carecommons.finances import services as finances
from carecommons.finances.models import AccountKind, GroupRole
from carecommons.finances.tests.factories import join, make_group, person_of
from carecommons.lib.dates import add_months
from carecommons.statements.models import StatementLine
from carecommons.statements.tests.factories import bank, imported, statement_csv
from tests.no_markup.typed import assert_shown_as_text, typed

pytestmark = pytest.mark.django_db

GROUP, HOST, CATEGORY, FUND = typed("Group"), typed("Host"), typed("Category"), typed("Fund")
EXPENSE, LABEL, LINE, DONOR = typed("Bought"), typed("Helper"), typed("Paid in"), typed("Donor")


def quoted(field: str) -> str:
    return '"' + field.replace('"', '""') + '"'


def test_fund_account_expense_payee_and_statement_words_in_markup_are_text_on_every_money_page(
    treasurer: User, client_for: Callable[[User], Client]
) -> None:
    host = finances.create_host(name=HOST, by=None)
    host.staff.add(person_of(treasurer))
    group = make_group(GROUP, host=host)
    join(group, treasurer, GroupRole.TREASURER)
    category = finances.add_account(group=group, name=CATEGORY, kind=AccountKind.EXPENSE, by=None)
    fund = finances.create_fund(group=group, name=FUND, conditions=FUND, categories=[category], by=None)
    finances.record_grant(
        group=group,
        fund=fund,
        amount_pence=50_000,
        occurred_on=timezone.localdate(),
        funder=typed("Funder"),
        by=None,
    )
    claimant = member(group)
    expense = make_expense(
        group, claimant, category=CATEGORY, description=EXPENSE, public_label=LABEL, fund=fund
    )
    for _ in range(2):  # as many approvals as the group's rules ask for
        expenses.approve_expense(expense=expense, by=member(group, GroupRole.APPROVER))
    payment = expenses.pay_expense(expense=expense, by=treasurer, account=bank(group)).paid_transaction
    assert payment is not None
    finances.update_policy(group=group, by=None, public_page=True)
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    finances.record_donation(
        group=group, amount_pence=1_000, occurred_on=last_month, by=None, donor=DONOR, donor_public=True
    )
    yesterday = f"{timezone.localdate() - timedelta(days=1):%d/%m/%Y}"
    statement = imported(group, statement_csv([(yesterday, quoted(LINE), "12.00", "")]))
    line = StatementLine.objects.get(statement=statement)
    assert line.description == LINE

    client = client_for(treasurer)
    pages = {
        "host": (reverse("finances:host_detail", args=[host.uuid]), [HOST, GROUP]),
        "my groups": (reverse("finances:my_groups"), [GROUP]),
        "group": (reverse("finances:group_detail", args=[group.uuid]), [GROUP, FUND]),
        "accounts": (reverse("finances:accounts", args=[group.uuid]), [CATEGORY, FUND]),
        "ledger": (reverse("finances:ledger", args=[group.uuid]), [f"{CATEGORY}: {LABEL}", typed("Funder")]),
        "payment": (
            reverse("finances:transaction_detail", args=[group.uuid, payment.uuid]),
            [f"{CATEGORY}: {LABEL}", LABEL, FUND],
        ),
        "public page": (reverse("finances:public_page", args=[group.slug]), [GROUP, DONOR]),
        "budgets": (reverse("finances:budgets", args=[group.uuid]), [CATEGORY]),
        "expenses": (reverse("expenses:expense_list", args=[group.uuid]), [EXPENSE]),
        "expense": (
            reverse("expenses:expense_detail", args=[expense.uuid]),
            [EXPENSE, CATEGORY, LABEL, FUND],
        ),
        "new expense": (reverse("expenses:expense_create", args=[group.uuid]), [CATEGORY, FUND]),
        "statements": (reverse("statements:statement_list", args=[group.uuid]), [GROUP]),
        "statement": (
            reverse("statements:statement_detail", args=[group.uuid, statement.uuid]) + "?show=unmatched",
            [LINE],
        ),
    }
    for name, (url, words) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_shown_as_text(response.content.decode(), *words)
