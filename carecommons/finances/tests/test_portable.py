import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.finances import portable, services
from carecommons.finances.ledger import Line
from carecommons.finances.models import Balance, Group, GroupRole, Transaction, TransactionKind
from carecommons.finances.roles import treasurer_term_months
from carecommons.finances.tests.factories import account, held, join, make_group
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 1)


def busy_group() -> Group:
    group = make_group(approval_threshold_pence=5_000, approvals_over_threshold=2, treasurer_term_months=3)
    food = account(group, "Food and essentials")
    fund = services.create_fund(
        group=group, name="Food grant", conditions="Food only", categories=[food], by=None
    )
    services.record_grant(
        group=group, fund=fund, amount_pence=20_000, occurred_on=DAY, funder="Council", by=None
    )
    services.record_donation(
        group=group, amount_pence=3_333, occurred_on=DAY, by=None, donor="=cmd|' /C calc'!A0"
    )
    mistake = services.record_donation(group=group, amount_pence=999, occurred_on=DAY, by=None)
    services.reverse_transaction(txn=mistake, reason="Twice", by=None, on=DAY)
    bank = account(group, "Bank account")
    services.post_transaction(
        group=group,
        kind=TransactionKind.EXPENSE,
        occurred_on=DAY,
        description="Food parcels",
        lines=[Line(food.pk, 7_500, fund.pk), Line(bank.pk, -7_500, fund.pk)],
        by=None,
    )
    services.set_budget(
        group=group,
        category=food,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        amount_pence=50_000,
        by=None,
    )
    return group


def balances_by_name(group: Group) -> dict[str, int]:
    return dict(Balance.objects.filter(account__group=group).values_list("account__name", "pence"))


def test_a_ledger_exported_and_imported_elsewhere_has_identical_balances_and_history() -> None:
    group = busy_group()
    document = json.loads(portable.dumps(portable.export_json(group=group, by=None)))
    moved = portable.import_json(document=document, slug="moved-group", by=None)
    assert balances_by_name(moved) == balances_by_name(group)
    assert moved.transactions.count() == group.transactions.count() == 5
    assert moved.transactions.filter(reverses__isnull=False).count() == 1
    assert services.fund_balance(moved.funds.get()) == 12_500
    assert moved.budgets.get().amount_pence == 50_000
    assert (moved.approval_threshold_pence, moved.approvals_over_threshold, treasurer_term_months(moved)) == (
        5_000,
        2,
        3,
    )
    assert AuditEvent.objects.filter(action="finances.ledger_imported", target_id=str(moved.uuid)).exists()


def test_a_file_whose_balances_were_altered_imports_nothing() -> None:
    group = busy_group()
    document = portable.export_json(group=group, by=None)
    document["transactions"][1]["entries"][0]["amount_pence"] += 100
    document["transactions"][1]["entries"][1]["amount_pence"] -= 100
    before = Transaction.objects.count()
    with pytest.raises(ValidationError, match="does not match the file"):
        portable.import_json(document=document, slug="tampered", by=None)
    assert Transaction.objects.count() == before
    assert not Group.objects.filter(slug="tampered").exists()


def test_an_unbalanced_or_foreign_file_is_refused_with_a_reason() -> None:
    group = busy_group()
    document = portable.export_json(group=group, by=None)
    document["transactions"][0]["entries"][0]["amount_pence"] += 1
    with pytest.raises(ValidationError, match="must be equal"):
        portable.import_json(document=document, slug="unbalanced", by=None)
    with pytest.raises(ValidationError, match="not a Care Commons ledger"):
        portable.import_json(document={"hello": 1}, slug="other", by=None)
    with pytest.raises(ValidationError, match="missing or malformed"):
        portable.import_json(document={"format": "carecommons-ledger", "version": 1}, slug="bare", by=None)
    assert not Group.objects.filter(slug__in=["unbalanced", "other", "bare"]).exists()


def test_the_import_command_rebuilds_the_group_and_reports_errors(tmp_path) -> None:
    group = busy_group()
    path = tmp_path / "ledger.json"
    path.write_text(portable.dumps(portable.export_json(group=group, by=None)))
    out = io.StringIO()
    keeper = Person.objects.create(
        given_name="Rosa", family_name="Lee", email="rosa@example.org", sort_key="lee"
    )
    call_command(
        "import_ledger", str(path), "--slug", "from-file", "--treasurer", "ROSA@example.org", stdout=out
    )
    assert "every balance matches" in out.getvalue()
    moved = Group.objects.get(slug="from-file")
    assert balances_by_name(moved) == balances_by_name(group)
    assert held(moved, GroupRole.TREASURER).current(timezone.localdate()).filter(person=keeper).exists()
    with pytest.raises(CommandError, match="Nobody with the email"):
        call_command("import_ledger", str(path), "--slug", "other", "--treasurer", "nobody@example.org")
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_ledger", str(path), "--slug", "from-file")


def test_the_csv_export_has_one_row_per_entry_and_defuses_formulas(treasurer, client_for) -> None:
    group = busy_group()
    join(group, treasurer, GroupRole.TREASURER)
    response = client_for(treasurer).get(reverse("finances:export_csv", args=[group.uuid]))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 10
    assert sum(int(row["amount_pence"]) for row in rows) == 0
    assert all(not row["counterparty"].startswith("=") for row in rows)
    assert AuditEvent.objects.filter(action="finances.ledger_exported", target_id=str(group.uuid)).exists()


@pytest.mark.parametrize(
    ("where", "value", "problem"),
    [
        ("entry", 2500.0, "whole number of pence"),
        ("entry", "2500", "whole number of pence"),
        ("entry", True, "whole number of pence"),
        ("public", "false", "true or false"),
    ],
)
def test_an_import_reads_amounts_and_flags_exactly_or_refuses(
    where: str, value: object, problem: str
) -> None:
    group = busy_group()
    document = json.loads(portable.dumps(portable.export_json(group=group, by=None)))
    if where == "entry":
        document["transactions"][1]["entries"][0]["amount_pence"] = value
    else:
        document["transactions"][1]["counterparty_public"] = value
    with pytest.raises(ValidationError, match=problem):
        portable.import_json(document=document, slug="exact", by=None)
    assert not Group.objects.filter(slug="exact").exists()


def test_an_imported_groups_public_page_stays_off_until_it_is_turned_on_again() -> None:
    group = busy_group()
    services.update_policy(group=group, by=None, public_page=True)
    moved = portable.import_json(document=portable.export_json(group=group, by=None), slug="moved", by=None)
    assert moved.public_page is False
