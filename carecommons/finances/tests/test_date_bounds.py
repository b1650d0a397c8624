"""Dates in the books are bounded (lib/dates.py, decision 0016): money in has happened (from 2000,
not in the future), budgets and roles are planned (from 2000 to about three years ahead; a role may
end up to the longest treasurer term after that). Beside the field on the form, and in the service
so that a command, an expense paid or a ledger import cannot slip past."""

import json
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carecommons.finances import portable, services
from carecommons.finances.ledger import Line
from carecommons.finances.models import Budget, Group, GroupRole, Transaction, TransactionKind
from carecommons.finances.tests.factories import account, held, join, make_group, memberships_of
from carecommons.lib.dates import add_months
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db

NOT_BEFORE_2000 = "Enter a date on or after 1 January 2000."
NOT_IN_THE_FUTURE = "Enter a date that is not in the future."
NOT_SO_FAR_AHEAD = "Enter a date no later than"
YEAR_1, YEAR_3000 = date(1, 1, 1), date(3000, 1, 1)


def beside(page: str, said: str, field: str) -> bool:
    """The message comes after an error mark and right before the field's own input."""
    at, named = page.find(said), page.find(f'name="{field}"')
    return 0 <= page.find("has-error") < at < named and 'name="' not in page[at:named]


def a_newcomer() -> Person:
    return Person.objects.create(given_name="Rosa", family_name="Lee", sort_key="lee rosa")


def test_the_income_form_refuses_year_1_and_year_3000_beside_the_date_and_keeps_what_was_typed(
    treasurer, client_for
) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    client = client_for(treasurer)
    url = reverse("finances:income_new", args=[group.uuid])
    for typed, said in [("0001-01-01", NOT_BEFORE_2000), ("3000-01-01", NOT_IN_THE_FUTURE)]:
        form = {
            "submission": str(uuid.uuid4()),
            "kind": "donation",
            "amount": "25.50",
            "occurred_on": typed,
            "into": account(group, "Bank account").pk,
            "name": "Moston Bakery",
        }
        page = client.post(url, form).content.decode()
        assert beside(page, said, "occurred_on")
        assert f'value="{typed}"' in page and 'value="25.50"' in page and 'value="Moston Bakery"' in page
    assert not Transaction.objects.exists()


def test_the_roles_form_refuses_a_start_in_year_1_and_an_end_in_year_3000_beside_each_date(
    treasurer, client_for
) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    newcomer = a_newcomer()
    services.add_member(group=group, person=newcomer, role=GroupRole.MEMBER, by=None)
    client = client_for(treasurer)
    url = reverse("finances:members", args=[group.uuid])
    for field, typed, said in [
        ("starts_on", "0001-01-01", NOT_BEFORE_2000),
        ("ends_on", "3000-01-01", NOT_SO_FAR_AHEAD),
    ]:
        data = {
            "person": newcomer.pk,
            "role": "approver",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": "",
        }
        response = client.post(url, data | {field: typed})
        page = response.content.decode()
        assert response.status_code == 400
        assert beside(page, said, field)
        assert f'value="{typed}"' in page
    assert not held(group, GroupRole.APPROVER).filter(person=newcomer).exists()


def test_the_budget_form_refuses_year_1_and_year_3000_beside_each_date(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    client = client_for(treasurer)
    url = reverse("finances:budgets", args=[group.uuid])
    year = timezone.localdate().year
    plan = {
        "category": account(group, "Food and essentials").pk,
        "starts_on": f"{year}-01-01",
        "ends_on": f"{year}-12-31",
        "amount": "100",
    }
    for field, typed, said in [
        ("starts_on", "0001-01-01", NOT_BEFORE_2000),
        ("ends_on", "3000-01-01", NOT_SO_FAR_AHEAD),
    ]:
        response = client.post(url, plan | {field: typed})
        page = response.content.decode()
        assert response.status_code == 400
        assert beside(page, said, field)
        assert f'value="{typed}"' in page and 'value="100"' in page
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    "day", [YEAR_1, date(1999, 12, 31), timezone.localdate() + timedelta(days=1), YEAR_3000]
)
def test_the_ledger_refuses_money_in_or_out_dated_before_2000_or_in_the_future(day) -> None:
    group = make_group()
    food, bank = account(group, "Food and essentials"), account(group, "Bank account")
    with pytest.raises(ValidationError) as refused:
        services.record_donation(group=group, amount_pence=1_000, occurred_on=day, by=None)
    assert refused.value.message_dict == {
        "occurred_on": [NOT_IN_THE_FUTURE if day > timezone.localdate() else NOT_BEFORE_2000]
    }
    with pytest.raises(ValidationError) as refused:
        services.post_transaction(
            group=group,
            kind=TransactionKind.EXPENSE,
            occurred_on=day,
            description="Food parcels",
            lines=[Line(food.pk, 500), Line(bank.pk, -500)],
            by=None,
        )
    assert list(refused.value.message_dict) == ["occurred_on"]
    assert not Transaction.objects.exists()


def test_a_role_cannot_start_in_year_1_or_end_in_year_3000_however_it_is_given() -> None:
    group = make_group()
    newcomer = a_newcomer()
    with pytest.raises(ValidationError) as refused:
        services.add_member(group=group, person=newcomer, role=GroupRole.MEMBER, by=None, starts_on=YEAR_1)
    assert refused.value.message_dict == {"starts_on": [NOT_BEFORE_2000]}
    with pytest.raises(ValidationError) as refused:
        services.add_member(group=group, person=newcomer, role=GroupRole.MEMBER, by=None, ends_on=YEAR_3000)
    assert list(refused.value.message_dict) == ["ends_on"]
    assert not memberships_of(group).filter(person=newcomer).exists()


def test_a_budget_cannot_run_from_year_1_or_to_year_3000_however_it_is_set() -> None:
    group = make_group()
    food = account(group, "Food and essentials")
    year = timezone.localdate().year
    for starts_on, ends_on, field in [
        (YEAR_1, date(year, 12, 31), "starts_on"),
        (date(year, 1, 1), YEAR_3000, "ends_on"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.set_budget(
                group=group, category=food, starts_on=starts_on, ends_on=ends_on, amount_pence=100, by=None
            )
        assert list(refused.value.message_dict) == [field]
    assert not Budget.objects.exists()


def test_a_first_treasurer_under_a_rule_longer_than_ten_years_serves_ten_years() -> None:
    group = make_group(treasurer_term_months=600)
    services.add_first_treasurer(group=group, person=a_newcomer(), by=None)
    term = held(group, GroupRole.TREASURER).get()
    assert term.ends_on == add_months(timezone.localdate(), 120)


def history_from_2000() -> Group:
    group = make_group()
    services.record_donation(group=group, amount_pence=1_000, occurred_on=date(2000, 1, 1), by=None)
    services.record_donation(group=group, amount_pence=2_000, occurred_on=timezone.localdate(), by=None)
    return group


def test_an_old_groups_history_from_2000_still_imports_elsewhere() -> None:
    document = json.loads(portable.dumps(portable.export_json(group=history_from_2000(), by=None)))
    moved = portable.import_json(document=document, slug="old-group", by=None)
    assert sorted(moved.transactions.values_list("occurred_on", flat=True)) == [
        date(2000, 1, 1),
        timezone.localdate(),
    ]


def test_a_ledger_file_with_a_transaction_from_1999_imports_nothing() -> None:
    document = json.loads(portable.dumps(portable.export_json(group=history_from_2000(), by=None)))
    document["transactions"][0]["occurred_on"] = "1999-12-31"
    before = Transaction.objects.count()
    with pytest.raises(ValidationError, match="1 January 2000"):
        portable.import_json(document=document, slug="too-old", by=None)
    assert Transaction.objects.count() == before
    assert not Group.objects.filter(slug="too-old").exists()
