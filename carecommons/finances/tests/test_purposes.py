"""Accounts are found by what they are used for, never by their names (decision 0023)."""

import importlib
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carecommons.finances import portable, services
from carecommons.finances.models import Account, AccountKind, AccountPurpose, Balance, GroupRole, Transaction
from carecommons.finances.starting import import_groups
from carecommons.finances.tests.factories import account, join, make_group, person_of
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PURPOSES = {
    "Bank account": AccountPurpose.BANK,
    "Cash box": AccountPurpose.CASH_BOX,
    "Donations": AccountPurpose.DONATIONS,
    "Grants": AccountPurpose.GRANTS,
}
migration = importlib.import_module("carecommons.finances.migrations.0008_account_purpose_from_default_names")


def purposes_of(group) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return dict(group.accounts.values_list("name", "purpose"))


def test_a_new_group_has_one_account_for_each_purpose() -> None:
    group = make_group()
    named = {name: purpose for name, purpose in purposes_of(group).items() if purpose}
    assert named == PURPOSES
    assert Account.objects.for_purpose(group, AccountPurpose.DONATIONS) == account(group, "Donations")


def test_renaming_the_bank_account_does_not_stop_a_donation_a_grant_or_cash() -> None:
    group = make_group()
    for old, new in [
        ("Bank account", "Co-op current account"),
        ("Donations", "Gifts"),
        ("Grants", "Funding"),
    ]:
        Account.objects.filter(group=group, name=old).update(name=new)
    Account.objects.filter(group=group, name="Cash box").update(name="Tin at the pantry")
    services.record_donation(group=group, amount_pence=2_500, occurred_on=TODAY, by=None)
    fund = services.create_fund(
        group=group, name="Food", conditions="Food only", categories=[account(group, "Travel")], by=None
    )
    services.record_grant(
        group=group, fund=fund, amount_pence=1_000, occurred_on=TODAY, funder="Council", by=None
    )
    who = create_person(by=None, given_name="Ann", family_name="Lee")
    services.record_cash(group=group, amount_pence=300, occurred_on=TODAY, collected_by=who, by=None)
    balances = dict(Balance.objects.filter(account__group=group).values_list("account__name", "pence"))
    assert balances["Co-op current account"] == 3_500
    assert balances["Gifts"] == -2_800 and balances["Funding"] == -1_000
    assert balances["Tin at the pantry"] == 300


def test_a_group_without_an_account_for_donations_is_told_so_on_the_income_form(
    treasurer, client_for
) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    Account.objects.filter(group=group, name="Donations").update(purpose=None)
    form = {
        "submission": str(uuid.uuid4()),
        "kind": "donation",
        "amount": "5.00",
        "occurred_on": TODAY.isoformat(),
        "into": account(group, "Bank account").pk,
    }
    response = client_for(treasurer).post(reverse("finances:income_new", args=[group.uuid]), form)
    assert response.status_code == 200
    assert "has no account used for “Donations”" in response.content.decode()
    assert not Transaction.objects.filter(group=group).exists()


def test_the_service_says_which_account_is_missing_beside_where_the_money_goes() -> None:
    group = make_group()
    Account.objects.filter(group=group, name="Bank account").update(purpose=None)
    with pytest.raises(ValidationError) as refused:
        services.record_donation(group=group, amount_pence=100, occurred_on=TODAY, by=None)
    assert "Main bank account" in refused.value.message_dict["into"][0]


def test_a_group_has_at_most_one_account_for_each_purpose() -> None:
    group = make_group()
    with pytest.raises(ValidationError, match="already used for this"):
        services.add_account(group=group, name="Savings", kind=AccountKind.BANK, by=None, purpose="bank")
    other = make_group("Other")
    services.add_account(group=other, name="Second tin", kind=AccountKind.CASH, by=None)
    assert Account.objects.filter(purpose=AccountPurpose.BANK).count() == 2


def test_a_spending_category_cannot_be_used_for_donations() -> None:
    group = make_group()
    Account.objects.filter(group=group, name="Donations").update(purpose=None)
    with pytest.raises(ValidationError, match="kind “income”"):
        services.add_account(
            group=group, name="Gifts", kind=AccountKind.EXPENSE, by=None, purpose="donations"
        )
    services.add_account(group=group, name="Gifts", kind=AccountKind.INCOME, by=None, purpose="donations")
    assert Account.objects.for_purpose(group, AccountPurpose.DONATIONS).name == "Gifts"


def test_a_treasurer_adds_an_account_used_for_grants_on_the_accounts_page(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    Account.objects.filter(group=group, name="Grants").delete()
    form = {"form": "account", "submission": str(uuid.uuid4()), "name": "Funders", "kind": "income"}
    url = reverse("finances:accounts", args=[group.uuid])
    assert client_for(treasurer).post(url, form | {"purpose": "grants"}).status_code == 302
    assert Account.objects.for_purpose(group, AccountPurpose.GRANTS).name == "Funders"
    assert "Grants" in client_for(treasurer).get(url).content.decode()  # the "Used for" column


def test_groups_started_from_a_file_have_their_purposes(treasurer) -> None:
    host = services.create_host(name="Northern Fiscal Host", by=None)
    host.staff.add(person_of(treasurer))
    import_groups(
        host=host, text="name,treasurer_email,treasurer_name\nAcorn,ann@example.org,Ann Lee\n", by=None
    )
    group = host.groups.get()
    assert {p for p in purposes_of(group).values() if p} == set(PURPOSES.values())


def test_an_imported_ledger_keeps_its_purposes_under_new_names() -> None:
    group = make_group()
    Account.objects.filter(group=group, name="Bank account").update(name="Co-op current account")
    services.record_donation(group=group, amount_pence=700, occurred_on=TODAY, by=None)
    moved = portable.import_json(document=portable.export_json(group=group, by=None), slug="moved", by=None)
    assert Account.objects.for_purpose(moved, AccountPurpose.BANK).name == "Co-op current account"
    assert {p for p in purposes_of(moved).values() if p} == set(PURPOSES.values())


def test_a_ledger_file_from_before_purposes_gets_them_from_the_starting_names() -> None:
    group = make_group()
    Account.objects.filter(group=group, name="Cash box").update(name="Tin")
    document = portable.export_json(group=group, by=None)
    for row in document["accounts"]:
        del row["purpose"]
    moved = portable.import_json(document=document, slug="older", by=None)
    assert purposes_of(moved)["Bank account"] == AccountPurpose.BANK
    assert purposes_of(moved)["Tin"] is None  # renamed before export: nothing to go by


def test_a_ledger_file_with_two_bank_accounts_for_the_same_purpose_is_refused() -> None:
    document = portable.export_json(group=make_group(), by=None)
    for row in document["accounts"]:
        if row["kind"] == "cash":
            row["kind"], row["purpose"] = "bank", "bank"
    with pytest.raises(ValidationError, match="two accounts are used for"):
        portable.import_json(document=document, slug="twice", by=None)


def test_the_migration_gives_existing_accounts_their_purposes_from_their_default_names() -> None:
    untouched, renamed = make_group("Untouched"), make_group("Renamed")
    Account.objects.filter(group=renamed, name="Bank account").update(name="Current account")
    services.add_account(group=renamed, name="Grants received", kind=AccountKind.INCOME, by=None)
    Account.objects.update(purpose=None)  # as every account was before the migration
    migration.set_purposes(apps, None)
    named = {name: purpose for name, purpose in purposes_of(untouched).items() if purpose}
    assert named == PURPOSES
    assert purposes_of(renamed)["Current account"] is None
    assert purposes_of(renamed)["Grants"] == AccountPurpose.GRANTS
    assert purposes_of(renamed)["Grants received"] is None
    migration.clear_purposes(apps, None)
    assert not Account.objects.filter(purpose__isnull=False).exists()


def test_the_migration_leaves_an_account_of_another_kind_with_a_default_name_alone() -> None:
    group = make_group()
    Account.objects.filter(group=group, name="Cash box").update(name="Petty cash")
    services.add_account(group=group, name="Cash box", kind=AccountKind.EXPENSE, by=None)
    Account.objects.update(purpose=None)
    migration.set_purposes(apps, None)
    assert purposes_of(group)["Cash box"] is None
