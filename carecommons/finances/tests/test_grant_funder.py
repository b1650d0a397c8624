"""A grant names its funder: refused by the service itself, not only by the income form."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from carecommons.finances import services
from carecommons.finances.models import Transaction
from carecommons.finances.tests.factories import account, make_group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("funder", ["", "   "])
def test_the_service_refuses_a_grant_with_no_funder_and_posts_nothing(funder: str) -> None:
    group = make_group()
    fund = services.create_fund(
        group=group,
        name="Food grant",
        conditions="Food only",
        categories=[account(group, "Food and essentials")],
        by=None,
    )
    with pytest.raises(ValidationError, match="Say who gave the grant"):
        services.record_grant(
            group=group, fund=fund, amount_pence=5000, occurred_on=date(2026, 11, 30), funder=funder, by=None
        )
    assert not Transaction.objects.filter(group=group).exists()


def test_a_grant_keeps_its_funders_name_without_the_spaces_around_it() -> None:
    group = make_group()
    fund = services.create_fund(
        group=group,
        name="Food grant",
        conditions="Food only",
        categories=[account(group, "Food and essentials")],
        by=None,
    )
    txn = services.record_grant(
        group=group,
        fund=fund,
        amount_pence=5000,
        occurred_on=date(2026, 11, 30),
        funder="  Council ",
        by=None,
    )
    assert txn.counterparty == "Council"
    assert txn.description == "Grant from Council for Food grant"
