import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.spreadsheets import Problem
from carecommons.transfers import csvformat

PEOPLE_HEADER = "email,first_name,last_name,organisation,organisation_role,tags\n"


def check_people(body: str, header: str = PEOPLE_HEADER) -> csvformat.CheckedFile:
    return csvformat.check_csv("people", header + body)


def test_a_missing_required_column_is_one_problem_on_line_1():
    checked = csvformat.check_csv("people", "email,last_name\nann@example.org,Lee\n")
    assert checked.problems == [Problem(1, "the first line must name the column(s) first_name")]
    assert checked.rows == []


def test_an_unknown_column_is_named_with_the_columns_allowed():
    checked = csvformat.check_csv("organisations", "name,kind,postcode\nHub,charity,E1\n")
    assert [p.line for p in checked.problems] == [1]
    assert "unknown column(s) postcode" in checked.problems[0].reason
    assert "name, kind, area, website" in checked.problems[0].reason


def test_headers_are_matched_loosely_and_in_any_order():
    checked = csvformat.check_csv("people", "Last Name, First-Name ,EMAIL\nLee,Ann,ann@example.org\n")
    assert checked.problems == []
    assert checked.rows[0].values == {"family_name": "Lee", "given_name": "Ann", "email": "ann@example.org"}


def test_each_bad_row_is_reported_with_its_physical_line_number():
    body = (
        'ann@example.org,Ann,Lee,,,\n"b@example.org","Bo","multi\nline\nname",,,\nx@,Cy,,,,\n\n,,Nobody,,,\n'
    )
    checked = check_people(body)
    assert checked.problems == [
        Problem(6, "email 'x@' is not a valid email address"),
        Problem(8, "first_name is empty but must be filled in"),
    ]
    assert [row.line for row in checked.rows] == [2, 3]
    assert checked.row_count == 4


def test_a_row_can_have_several_reasons():
    checked = check_people(",,,,Chair,\n")
    assert {p.reason for p in checked.problems} == {
        "first_name is empty but must be filled in",
        "organisation_role is filled in but organisation is empty",
    }
    assert {p.line for p in checked.problems} == {2}


def test_a_repeated_email_is_reported_on_the_later_line_whatever_its_case():
    checked = check_people("ann@example.org,Ann,,,,\nANN@example.org,Annie,,,,\n")
    assert checked.problems == [Problem(3, "email 'ANN@example.org' is also on line 2")]
    assert len(checked.rows) == 1


def test_the_same_name_twice_without_email_is_a_duplicate():
    checked = check_people(",Ann,Lee,,,\n,Ann,Lee,,,\n,Ann,Lee-Smith,,,\n")
    assert [p.line for p in checked.problems] == [3]
    assert "with no email is also on line 2" in checked.problems[0].reason


def test_a_value_too_long_for_its_field_says_how_long_it_may_be():
    checked = check_people(f",{'A' * 101},,,,\n")
    assert checked.problems == [Problem(2, "first_name is 101 characters long; it can be at most 100")]


def test_a_tag_too_long_is_reported_and_tags_are_split_on_semicolons():
    checked = check_people(f",Ann,,,,volunteer; ;newsletter;{'t' * 61}\n,Bo,,,,b;a;a\n")
    assert checked.problems[0].line == 2
    assert "longer than 60 characters" in checked.problems[0].reason
    assert checked.rows[0].tags == ("a", "b")


def test_a_row_with_more_values_than_columns_is_bad_but_trailing_empty_cells_are_fine():
    checked = check_people(",Ann,,,,,,\n,Bo,,,,,x\n")
    assert [p.line for p in checked.problems] == [3]
    assert "has 7 values" in checked.problems[0].reason


def test_organisation_kind_accepts_value_or_label_in_any_case():
    checked = csvformat.check_csv(
        "organisations", "name,kind\nA,CHARITY\nB,mutual aid group\nC,Mutual_Aid\nD,club\n"
    )
    assert [row.values["kind"] for row in checked.rows] == ["charity", "mutual_aid", "mutual_aid"]
    assert checked.problems[0].line == 5
    assert checked.problems[0].reason.startswith("kind 'club' is not one of: grassroots (Grassroots group)")


def test_organisation_names_that_differ_only_in_case_and_accents_are_duplicates():
    checked = csvformat.check_csv("organisations", "name,kind\nCafé Hub,other\ncafe hub,other\n")
    assert checked.problems == [Problem(3, "the organisation 'cafe hub' is also on line 2")]


def test_a_website_without_a_scheme_gets_https_and_a_bad_one_is_reported():
    checked = csvformat.check_csv(
        "organisations", "name,kind,website\nA,other,example.org\nB,other,not a url\n"
    )
    assert checked.rows[0].values["website"] == "https://example.org"
    assert checked.problems == [Problem(3, "website 'not a url' is not a valid web address")]


def test_an_unclosed_quote_is_reported_where_the_value_starts():
    checked = check_people(',Ann,,,,\n,"Bo,,,,\n,Cy,,,,\n')
    assert checked.problems == [
        Problem(
            3, 'the file cannot be read from here on: a value opens a quote mark (") that is never closed'
        )
    ]
    assert checked.rows == []


def test_an_empty_file_is_reported_on_line_1():
    assert csvformat.check_csv("people", "\n\n").problems[0].line == 1


def test_semicolon_separated_files_are_read():
    checked = csvformat.check_csv("organisations", 'name;kind;tags\nHub;charity;"a;b"\n')
    assert checked.problems == []
    assert checked.rows[0].tags == ("a", "b")


def test_import_strips_the_guard_quote():
    checked = check_people(",'=Ann,'-Lee,,,\n")
    assert checked.rows[0].values["given_name"] == "=Ann"
    assert checked.rows[0].values["family_name"] == "-Lee"


short_text = st.text(st.characters(codec="utf-8"), max_size=40).map(str.strip)


@given(short_text.filter(bool), short_text, short_text, short_text)
def test_exported_person_fields_are_read_back_as_the_same_cleaned_values(first, last, address, needs):
    record = {"first_name": first, "last_name": last, "postal_address": address, "accessibility_needs": needs}
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(csvformat.header("people"))
    writer.writerow(csvformat.export_record("people", record))
    checked = csvformat.check_csv("people", out.getvalue())
    assert checked.problems == []
    values = checked.rows[0].values
    assert (values["given_name"], values["family_name"]) == (first, last)
    assert (values["postal_address"], values["accessibility_needs"]) == (address, needs)
