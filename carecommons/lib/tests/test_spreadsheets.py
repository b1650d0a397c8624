"""Every CSV the site writes is safe to open in a spreadsheet and reads back exactly; every CSV it
takes in is UTF-8 text, and each record knows the line a spreadsheet shows it on."""

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from carecommons.lib.spreadsheets import (
    FORMULA_TRIGGERS,
    CsvReadError,
    Problem,
    UploadError,
    decode_upload,
    guard,
    normalise_header,
    read_records,
    read_table,
    shown,
    unguard,
    upload_problem,
)


def test_guard_makes_formula_cells_inert_and_unguard_restores_them() -> None:
    assert guard("=SUM(A1)") == "'=SUM(A1)"
    assert guard("+44 20 7946 0000") == "'+44 20 7946 0000"
    assert guard("@home") == "'@home"
    assert guard("plain") == "plain"
    assert guard("'quoted") == "'quoted"
    assert unguard("'=SUM(A1)") == "=SUM(A1)"
    assert unguard("'quoted") == "'quoted"


def test_decode_upload_accepts_utf8_with_or_without_bom() -> None:
    assert decode_upload("name\nSiân\n".encode()) == "name\nSiân\n"
    assert decode_upload("\ufeffname\n".encode()) == "name\n"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel or zip file"),
        ("name\nSiân\n".encode("latin-1"), "not saved as UTF-8"),
    ],
)
def test_decode_upload_refuses_binary_spreadsheets_and_other_encodings(raw: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        decode_upload(raw)


def test_upload_problem_checks_name_type_and_size() -> None:
    def problem(filename: str = "people.csv", size: int = 10, content_type: str = "text/csv") -> str | None:
        return upload_problem(filename=filename, size=size, max_bytes=100, content_type=content_type)

    assert problem() is None
    assert problem(content_type="application/vnd.ms-excel") is None
    assert problem(content_type="text/csv; charset=utf-8") is None
    assert "ends in .csv" in (problem(filename="people.xlsx") or "")
    assert "not a CSV file" in (problem(content_type="image/png") or "")
    assert "the largest file you can import is 100\xa0bytes" in (problem(size=101) or "")
    assert problem(size=0) == "This file is empty."


def test_records_carry_the_line_they_start_on_and_blank_records_are_skipped() -> None:
    text = 'a,b\n1,"two\nlines"\n\n,\n3,4\n'
    assert list(read_records(text)) == [(1, ["a", "b"]), (2, ["1", "two\nlines"]), (6, ["3", "4"])]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_first_line_without_commas_chooses_semicolons_or_tabs(delimiter: str) -> None:
    text = f"name{delimiter}kind\nHub{delimiter}charity, with a comma\n"
    assert [cells for _, cells in read_records(text)] == [["name", "kind"], ["Hub", "charity, with a comma"]]


def test_an_unclosed_quote_is_a_problem_on_the_line_where_the_value_starts() -> None:
    with pytest.raises(CsvReadError) as raised:
        list(read_records('a,b\n1,2\n3,"four\n5,6\n'))
    assert raised.value.problem == Problem(
        3, 'the file cannot be read from here on: a value opens a quote mark (") that is never closed'
    )


def test_a_table_gives_its_normalised_column_names_and_the_records_under_them() -> None:
    names, data = read_table("\ufeffLast Name, First-Name ,EMAIL\nLee,Ann,ann@example.org\n")
    assert names == ["last_name", "first_name", "email"]
    assert data == [(2, ["Lee", "Ann", "ann@example.org"])]
    assert normalise_header("  Paid-In Amount ") == "paid_in_amount"


def test_an_empty_table_is_a_problem_on_line_1() -> None:
    with pytest.raises(CsvReadError) as raised:
        read_table("\n\n")
    assert raised.value.problem.as_dict() == {
        "line": 1,
        "reason": "the file is empty; the first line must name the columns",
    }


def test_a_value_shown_in_a_reason_is_quoted_and_cut_after_40_characters() -> None:
    assert shown("Ann") == "'Ann'"
    assert shown("x" * 40) == f"'{'x' * 40}'"
    assert shown("x" * 41) == f"'{'x' * 40}…'"


any_text = st.text(st.characters(codec="utf-8"), max_size=30)


@given(st.lists(st.lists(any_text, min_size=12, max_size=12), min_size=1, max_size=5))
@example([[""] * 11 + ["\t"]])  # a guarded tab is still a blank row
def test_any_text_written_guarded_reads_back_the_same_on_the_right_line(rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([f"column_{n}" for n in range(12)])
    starts = []
    for row in rows:
        starts.append(len(io.StringIO(out.getvalue(), newline="").readlines()) + 1)
        writer.writerow([guard(cell) for cell in row])
    records = list(read_records(out.getvalue()))
    expected = [(line, row) for line, row in zip(starts, rows, strict=True) if any(c.strip() for c in row)]
    assert [(line, [unguard(c) for c in cells]) for line, cells in records[1:]] == expected


@given(any_text)
def test_unguard_undoes_guard_and_guarded_cells_never_start_a_formula(text: str) -> None:
    assert unguard(guard(text)) == text
    assert guard(text)[:1] not in FORMULA_TRIGGERS
