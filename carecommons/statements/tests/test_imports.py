import pytest
from django.core.exceptions import ValidationError

from carecommons.audit.models import AuditEvent
from carecommons.finances.tests.factories import account
from carecommons.statements import services
from carecommons.statements.csvformat import Mapping
from carecommons.statements.models import ImportStatus, StatementImport, StatementLine
from carecommons.statements.tests.factories import (
    SIGNED,
    bank,
    check,
    imported,
    statement_csv,
    treasurers_group,
)

pytestmark = pytest.mark.django_db

NOVEMBER = [
    ("01/11/2026", "Gift from Ann", "25.00", "125.00"),
    ("02/11/2026", "TESCO STORES", "-12.49", "112.51"),
    ("02/11/2026", "TESCO STORES", "-12.49", "100.02"),
]


def test_a_dry_run_reports_new_lines_and_problems_and_imports_nothing() -> None:
    group = treasurers_group()
    raw = statement_csv([*NOVEMBER, ("3/11/2026", "Bus", "two pounds", ""), ("xx", "Bus", "2", "")])
    statement = check(group, raw)
    assert statement.status == ImportStatus.DRY_RUN
    assert (statement.row_count, statement.new_line_count, statement.bad_row_count) == (5, 3, 2)
    assert statement.problems == [
        {"line": 5, "reason": "the amount 'two pounds' is not an amount of money, like -12.50"},
        {"line": 6, "reason": "the date 'xx' is not a date written DD/MM/YYYY"},
    ]
    assert statement.closing_balance_pence == 10002
    assert not StatementLine.objects.exists()
    assert StatementImport.objects.count() == 1


def test_bad_lines_stop_the_import_unless_the_treasurer_chooses_to_skip_them() -> None:
    group = treasurers_group()
    statement = check(group, statement_csv([*NOVEMBER, ("03/11/2026", "Bus", "", "")]))
    with pytest.raises(ValidationError, match="1 line has problems"):
        services.request_import(statement=statement, skip_bad_rows=False, by=None)
    assert not StatementLine.objects.exists()
    statement = services.request_import(statement=statement, skip_bad_rows=True, by=None)
    assert statement.status == ImportStatus.IMPORTED
    assert statement.imported_line_count == 3 and not statement.content
    assert sorted(StatementLine.objects.values_list("line_number", flat=True)) == [2, 3, 4]


def test_importing_the_same_file_again_gives_back_the_first_import_and_adds_nothing() -> None:
    group = treasurers_group()
    raw = statement_csv(NOVEMBER)
    first = imported(group, raw)
    again = check(group, raw)
    assert again == first and StatementImport.objects.count() == 1
    assert StatementLine.objects.count() == 3


def test_two_dry_runs_of_one_file_can_both_be_asked_to_import_but_only_one_is() -> None:
    group = treasurers_group()
    raw = statement_csv(NOVEMBER)
    one, two = check(group, raw), check(group, raw)
    services.request_import(statement=one, skip_bad_rows=False, by=None)
    two = services.request_import(statement=two, skip_bad_rows=False, by=None)
    assert two.status == ImportStatus.FAILED
    assert "imported into this account before" in two.error
    assert StatementLine.objects.count() == 3


def test_an_overlapping_statement_adds_only_the_lines_not_imported_before() -> None:
    group = treasurers_group()
    imported(group, statement_csv(NOVEMBER))
    overlapping = [*NOVEMBER[1:], ("03/11/2026", "TESCO STORES", "-12.49", "87.53")]
    statement = check(
        group, statement_csv(overlapping, header="Date,Description,Amount,Balance"), filename="b.csv"
    )
    assert (statement.new_line_count, statement.known_line_count) == (1, 2)
    statement = services.request_import(statement=statement, skip_bad_rows=False, by=None)
    assert statement.imported_line_count == 1
    assert StatementLine.objects.count() == 4


def test_a_third_identical_payment_on_a_day_is_new_even_when_two_were_imported() -> None:
    group = treasurers_group()
    imported(group, statement_csv(NOVEMBER))
    same_day = [*NOVEMBER, ("02/11/2026", "TESCO STORES", "-12.49", "87.53")]
    statement = check(group, statement_csv(same_day), filename="again.csv")
    assert (statement.new_line_count, statement.known_line_count) == (1, 3)


def test_the_same_lines_in_another_account_are_not_duplicates() -> None:
    group = treasurers_group()
    imported(group, statement_csv(NOVEMBER))
    other = check(group, statement_csv(NOVEMBER), into=account(group, "Cash box"))
    assert other.new_line_count == 3


def test_only_the_groups_bank_and_cash_accounts_take_statements() -> None:
    group, other = treasurers_group(), treasurers_group(name="Southside")
    for wrong in (account(group, "Donations"), bank(other)):
        with pytest.raises(ValidationError, match="bank or cash"):
            check(group, statement_csv(NOVEMBER), into=wrong)


def test_files_too_large_or_not_csv_are_refused_before_reading(settings) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group()
    settings.STATEMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="largest statement"):
        check(group, statement_csv(NOVEMBER * 3))
    with pytest.raises(ValidationError, match="CSV"):
        check(group, b"PK\x03\x04", filename="statement.xlsx")
    with pytest.raises(ValidationError, match="zip"):
        check(group, b"PK\x03\x04", filename="statement.csv")
    assert not StatementImport.objects.exists()


def test_a_dry_run_can_be_read_again_with_another_mapping() -> None:
    group = treasurers_group()
    raw = b"When,What,In,Out\n2026-11-01,Gift,5.00,\n2026-11-02,Shop,,1.50\n"
    statement = check(group, raw)
    assert statement.mapping_problems and not statement.readable
    mapping = Mapping(date="When", description="What", paid_in="In", paid_out="Out", date_format="yyyy-mm-dd")
    statement = services.recheck_statement(statement=statement, mapping=mapping, by=None)
    assert statement.readable and statement.new_line_count == 2
    assert services.latest_mapping(group, bank(group)) == mapping


def test_an_unreadable_mapping_cannot_be_imported() -> None:
    group = treasurers_group()
    statement = check(group, b"When,What\n2026-11-01,Gift\n")
    with pytest.raises(ValidationError, match="columns cannot be read"):
        services.request_import(statement=statement, skip_bad_rows=True, by=None)


def test_a_discarded_upload_forgets_the_file_and_cannot_be_imported() -> None:
    group = treasurers_group()
    statement = check(group, statement_csv(NOVEMBER))
    assert services.discard_statement(statement=statement, by=None)
    assert not services.discard_statement(statement=statement, by=None)
    statement.refresh_from_db()
    assert statement.status == ImportStatus.DISCARDED and not statement.content
    services.request_import(statement=statement, skip_bad_rows=False, by=None)
    assert not StatementLine.objects.exists()


def test_checking_and_importing_leave_audit_events_with_counts_not_contents(treasurer) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    statement = imported(group, statement_csv(NOVEMBER), by=treasurer)
    events = AuditEvent.objects.filter(target_id=str(statement.uuid)).order_by("id")
    assert list(events.values_list("action", flat=True)) == [
        "statements.checked",
        "statements.import_requested",
        "statements.imported",
    ]
    assert all(event.actor == treasurer for event in events)
    assert "TESCO" not in str(list(events.values_list("detail", flat=True)))


def test_the_mapping_used_last_is_offered_for_the_next_statement() -> None:
    group = treasurers_group()
    assert services.latest_mapping(group).amount == "Amount"
    check(group, statement_csv(NOVEMBER), mapping=SIGNED)
    assert services.latest_mapping(group, bank(group)) == SIGNED
    assert services.latest_mapping(group, account(group, "Cash box")) == SIGNED


def test_the_columns_written_for_each_line_are_every_column_of_the_model() -> None:
    columns = {field.column for field in StatementLine._meta.concrete_fields} - {"id"}
    assert columns == set(services.LINE_COLUMNS)
