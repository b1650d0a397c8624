from datetime import date

import pytest

from carecommons.lib.spreadsheets import UploadError
from carecommons.statements.csvformat import DateFormat, Mapping, check_statement, read_amount
from carecommons.statements.matching import Dated, suggest
from carecommons.statements.uploads import decode_statement

LLOYDS = """Transaction Date,Transaction Type,Transaction Description,Debit Amount,Credit Amount,Balance
03/11/2026,BP,Donation from Ann,,25.00,125.00
04/11/2026,DEB,TESCO STORES 2231,12.49,,112.51
"""


def test_a_signed_amount_column_reads_money_in_as_positive_and_out_as_negative() -> None:
    text = "Date,Description,Amount\n2026-11-01,Gift,12.50\n2026-11-02,Shop,-3.05\n"
    checked = check_statement(text, Mapping(date="Date", description="Description", amount="Amount",
                                            date_format=DateFormat.ISO))  # fmt: skip
    assert [(x.line, x.occurred_on, x.description, x.amount_pence) for x in checked.lines] == [
        (2, date(2026, 11, 1), "Gift", 1250),
        (3, date(2026, 11, 2), "Shop", -305),
    ]
    assert not checked.problems and checked.row_count == 2


def test_paid_in_and_paid_out_columns_are_read_by_their_names_in_any_case() -> None:
    mapping = Mapping(
        date="transaction date",
        description="Transaction Description",
        paid_in="CREDIT AMOUNT",
        paid_out="Debit Amount",
        balance="Balance",
    )
    checked = check_statement(LLOYDS, mapping)
    assert [(x.amount_pence, x.balance_pence) for x in checked.lines] == [(2500, 12500), (-1249, 11251)]
    assert checked.closing_balance_pence == 11251
    assert checked.headings[0] == "Transaction Date"


def test_columns_can_be_given_by_number_when_the_file_has_no_heading_line() -> None:
    text = '01-11-2026,Rent,-400.00\n02-11-2026,Gift,"£1,200.00"\n'
    mapping = Mapping(
        date="1", description="2", amount="3", date_format=DateFormat.DMY_DASH, has_header=False
    )
    checked = check_statement(text, mapping)
    assert [(x.line, x.amount_pence) for x in checked.lines] == [(1, -40000), (2, 120000)]


def test_a_heading_name_without_a_heading_line_is_a_plain_mapping_problem() -> None:
    mapping = Mapping(date="Date", description="2", amount="3", has_header=False)
    checked = check_statement("01/11/2026,Rent,-4.00\n", mapping)
    assert not checked.lines
    assert checked.mapping_problems == [
        "the file has no line of column names, so give the date column as a number (1 for the first column)"
    ]


def test_an_unknown_column_name_lists_the_columns_the_file_has() -> None:
    checked = check_statement("Date,Details,Value\n01/11/2026,Rent,-4.00\n", Mapping(date="Date",
                              description="Description", amount="Value"))  # fmt: skip
    assert checked.mapping_problems == [
        "there is no column called “Description”; the columns are “Date”, “Details”, “Value”"
    ]


@pytest.mark.parametrize(
    ("date_format", "written"),
    [
        (DateFormat.DMY_SLASH, "31/01/2026"),
        (DateFormat.ISO, "2026-01-31"),
        (DateFormat.DMY_DASH, "31-01-2026"),
        (DateFormat.DAY_MONTH_NAME, "31 Jan 2026"),
        (DateFormat.DAY_MONTH_NAME, "31 January 2026"),
    ],
)
def test_each_date_format_reads_its_own_dates(date_format: str, written: str) -> None:
    text = f"Date,Description,Amount\n{written},Gift,1.00\n"
    checked = check_statement(text, Mapping(date="Date", description="Description", amount="Amount",
                                            date_format=date_format))  # fmt: skip
    assert [line.occurred_on for line in checked.lines] == [date(2026, 1, 31)]


def test_bad_lines_are_reported_with_their_line_numbers_and_plain_reasons() -> None:
    text = (
        "Date,Description,Amount,Balance\n"
        "01/11/2026,Fine,1.00,10.00\n"
        "31/02/2026,No such day,1.00,\n"
        "02/11/2026,Float trap,1e3,\n"
        "\n"
        "03/11/2026,Nothing,0.00,\n"
        "04/11/2026,Short\n"
        "05/11/2026,Bad balance,1.00,lots\n"
    )
    checked = check_statement(text, Mapping(date="Date", description="Description", amount="Amount",
                                            balance="Balance"))  # fmt: skip
    assert [line.line for line in checked.lines] == [2]
    assert [(p.line, p.reason) for p in checked.problems] == [
        (3, "the date '31/02/2026' is not a date written DD/MM/YYYY"),
        (4, "the amount '1e3' is not an amount of money, like -12.50"),
        (6, "the amount is nothing (0.00)"),
        (7, "this line has 2 values but the mapping reads column 3"),
        (8, "the balance 'lots' is not an amount of money"),
    ]
    assert checked.row_count == 6


def test_a_line_with_both_paid_in_and_paid_out_is_refused() -> None:
    mapping = Mapping(date="1", description="2", paid_in="3", paid_out="4", has_header=False)
    checked = check_statement("01/11/2026,Odd,1.00,2.00\n01/11/2026,Empty,,\n", mapping)
    assert [p.reason for p in checked.problems] == [
        "both paid in and paid out have an amount; a line can only be one of them",
        "neither paid in nor paid out has an amount",
    ]


def test_lines_above_the_headings_can_be_skipped() -> None:
    text = 'Account Name:,"Northside"\nAvailable Balance:,£10.00\n\nDate,Transactions,Paid in,Paid out\n'
    text += "03 Nov 2026,Gift,£5.00,\n"
    mapping = Mapping(date="Date", description="Transactions", paid_in="Paid in", paid_out="Paid out",
                      date_format=DateFormat.DAY_MONTH_NAME, skip_lines=2)  # fmt: skip
    checked = check_statement(text, mapping)
    assert [(line.line, line.amount_pence) for line in checked.lines] == [(5, 500)]


def test_identical_lines_on_one_day_are_told_apart_by_their_order() -> None:
    text = "Date,Description,Amount\n01/11/2026,Gift,5.00\n01/11/2026,Gift,5.00\n02/11/2026,Gift,5.00\n"
    lines = check_statement(text, Mapping(date="Date", description="Description", amount="Amount")).lines
    assert [line.occurrence for line in lines] == [0, 1, 0]
    assert len({line.key for line in lines}) == 3


def test_the_closing_balance_is_the_latest_lines_whichever_way_the_file_runs() -> None:
    mapping = Mapping(date="Date", description="Description", amount="Amount", balance="Balance")
    rows = ["01/11/2026,A,1.00,1.00", "02/11/2026,B,1.00,2.00", "02/11/2026,C,1.00,3.00"]
    oldest_first = "\n".join(["Date,Description,Amount,Balance", *rows])
    newest_first = "\n".join(["Date,Description,Amount,Balance", *reversed(rows)])
    assert check_statement(oldest_first, mapping).closing_balance_pence == 300
    assert check_statement(newest_first, mapping).closing_balance_pence == 300


def test_description_columns_can_be_joined_and_cells_guarded_against_formulas_are_read_back() -> None:
    text = "Date,Counter Party,Reference,Amount\n01/11/2026,Ann,'=gift,'-5.00\n"
    mapping = Mapping(date="Date", description="Counter Party + Reference", amount="Amount")
    (line,) = check_statement(text, mapping).lines
    assert (line.description, line.amount_pence) == ("Ann =gift", -500)


@pytest.mark.parametrize(
    ("text", "pence"),
    [("£1,234.50", 123450), ("+12", 1200), ("-0.5", -50), ("£-3.50", -350), (" 7.05 ", 705)],
)
def test_amounts_are_read_exactly_as_pence(text: str, pence: int) -> None:
    assert read_amount(text) == pence


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"PK\x03\x04rest", "Excel or zip"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"<html><table>", "web page"),
        (b"just words and no columns\n", "no columns"),
        (b"a,b\x01,c\n", "binary"),
    ],
)
def test_uploads_that_are_not_csv_text_are_refused_by_their_contents(raw: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        decode_statement(raw)


def test_a_windows_1252_file_with_a_pound_sign_is_read() -> None:
    assert decode_statement("Date,Amount\n01/11/2026,£5.00\n".encode("cp1252")).endswith("£5.00\n")


def test_suggestions_pair_the_nearest_dates_first_and_use_each_entry_once() -> None:
    lines = [
        Dated(1, date(2026, 11, 2), 1000),
        Dated(2, date(2026, 11, 3), 1000),
        Dated(3, date(2026, 11, 3), -500),
    ]
    entries = [
        Dated(10, date(2026, 11, 1), 1000),
        Dated(11, date(2026, 11, 3), 1000),
        Dated(12, date(2026, 11, 20), -500),  # too far away
        Dated(13, date(2026, 11, 3), 500),  # the wrong sign
    ]
    assert suggest(lines, entries) == {2: 11, 1: 10}
    assert suggest(lines[1:2], entries, refused={(2, 11)}) == {2: 10}


def test_suggestions_for_one_amount_keep_the_order_of_dates() -> None:
    lines = [Dated(1, date(2026, 11, 1), 2500), Dated(2, date(2026, 11, 4), 2500)]
    entries = [Dated(10, date(2026, 10, 28), 2500), Dated(11, date(2026, 11, 2), 2500)]
    assert suggest(lines, entries) == {1: 10, 2: 11}


EUROPEAN = """Datum,Omschrijving,Bedrag,Saldo
01/11/2026,Gift from Ann,"1.234,56","1 300,00 €"
02/11/2026,Shop,"-12,50","1 287,50 €"
"""
EUROPEAN_MAPPING = Mapping(date="Datum", description="Omschrijving", amount="Bedrag", balance="Saldo")


def test_a_statement_with_decimal_commas_is_read_when_the_file_agrees_with_itself() -> None:
    checked = check_statement(EUROPEAN, EUROPEAN_MAPPING)
    assert not checked.problems and not checked.mapping_problems
    assert [(x.amount_pence, x.balance_pence) for x in checked.lines] == [(123456, 130000), (-1250, 128750)]


def test_the_mapping_can_say_how_amounts_are_written() -> None:
    text = "Date,Description,Amount\n01/11/2026,Rent,1.234\n"
    mapping = Mapping(date="Date", description="Description", amount="Amount")
    assert [x.amount_pence for x in check_statement(text, mapping).lines] == [123400]
    point = Mapping(date="Date", description="Description", amount="Amount", decimal_mark=".")
    assert check_statement(text, point).problems[0].reason == (
        "the amount '1.234' is not an amount of money, like -12.50"
    )


def test_a_file_mixing_decimal_points_and_commas_is_refused_with_a_clear_reason() -> None:
    text = 'Date,Description,Amount\n01/11/2026,Rent,-400.50\n02/11/2026,Gift,"12,50"\n'
    checked = check_statement(text, Mapping(date="Date", description="Description", amount="Amount"))
    assert not checked.lines
    assert checked.mapping_problems == [
        "some amounts are written like -400.50 (a point before the pence) and others like 12,50 "
        "(a comma before the pence), so we cannot tell how to read them: choose how amounts are written"
    ]
    comma = Mapping(date="Date", description="Description", amount="Amount", decimal_mark=",")
    assert [x.amount_pence for x in check_statement(text, comma).lines] == [1250]


def test_a_line_dated_before_2000_or_weeks_ahead_is_a_problem_not_a_line() -> None:
    text = "Date,Description,Amount\n01/01/0001,Old,-4.00\n31/12/2026,Ahead,-4.00\n01/11/2026,Fine,-4.00\n"
    mapping = Mapping(date="Date", description="Description", amount="Amount")
    checked = check_statement(text, mapping, today=date(2026, 11, 30))
    assert [x.description for x in checked.lines] == ["Fine"]
    assert [(p.line, p.reason) for p in checked.problems] == [
        (2, "the date '01/01/0001' is before 2000, so it cannot be right"),
        (3, "the date '31/12/2026' is more than 7 days ahead, so it cannot be right"),
    ]


@pytest.mark.parametrize("mark", [".", ","])
@pytest.mark.parametrize(
    "text", ["-1234.50", "0.05", "007.50", "-0.00", "999999999.99", "1234567890.00", "12.5", "1.234"]
)
def test_plain_amounts_read_straight_to_pence_agree_with_the_full_reading(text: str, mark: str) -> None:
    """read_amount's shortcut for "-1234.50" must give what parse_pence gives, or the same refusal."""
    from carecommons.lib.money import AmountError, parse_pence

    written = text.replace(".", mark)
    try:
        expected: int | str = parse_pence(written, allow_negative=True, decimal_mark=mark)
    except AmountError:
        expected = "refused"
    try:
        found: int | str = read_amount(written, mark)
    except AmountError:
        found = "refused"
    assert found == expected


def test_a_repeated_date_out_of_bounds_is_reported_on_every_line_that_has_it() -> None:
    text = "Date,Description,Amount\n31/12/2026,A,-4.00\n01/11/2026,B,-4.00\n31/12/2026,C,-5.00\n"
    mapping = Mapping(date="Date", description="Description", amount="Amount")
    checked = check_statement(text, mapping, today=date(2026, 11, 30))
    assert [x.description for x in checked.lines] == ["B"]
    reason = "the date '31/12/2026' is more than 7 days ahead, so it cannot be right"
    assert [(p.line, p.reason) for p in checked.problems] == [(2, reason), (4, reason)]


def test_many_plain_amounts_before_a_comma_one_still_name_the_first_of_each_kind() -> None:
    rows = "".join(f"0{n % 9 + 1}/11/2026,Gift {n},{n}.25\n" for n in range(1, 50))
    text = f'Date,Description,Amount\n{rows}10/11/2026,Rent,"12,50"\n'
    checked = check_statement(text, Mapping(date="Date", description="Description", amount="Amount"))
    assert checked.mapping_problems == [
        "some amounts are written like 1.25 (a point before the pence) and others like 12,50 "
        "(a comma before the pence), so we cannot tell how to read them: choose how amounts are written"
    ]
