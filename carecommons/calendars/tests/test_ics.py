from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.calendars import ics, timing
from carecommons.calendars.tests.factories import parse

START = datetime(2026, 3, 3, 18, 0, tzinfo=timezone(timedelta(hours=1)))
text_without_controls = st.text(st.characters(codec="utf-8", exclude_characters="\r")).filter(
    lambda s: ics.clean_text(s) == s
)


def event(**changes: object) -> ics.Event:
    values: dict[str, object] = {
        "uid": "abc@carecommons",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "summary": "Workshop 1",
        "stamp": START - timedelta(days=3),
    }
    return ics.Event(**(values | changes))  # type: ignore[arg-type]


def test_an_event_is_written_in_utc_with_crlf_line_endings():
    text = ics.calendar([event(location="Room 2", url="https://example.org/s/1")])
    assert "\r\nDTSTART:20260303T170000Z\r\n" in text
    assert "\r\nDTEND:20260303T190000Z\r\n" in text
    assert "\r\nUID:abc@carecommons\r\n" in text
    assert "\r\nSTATUS:CONFIRMED\r\n" in text
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    [parsed] = parse(text)
    assert parsed["LOCATION"] == "Room 2"
    assert parsed["URL"] == "https://example.org/s/1"


def test_a_cancelled_event_says_so_and_carries_its_sequence():
    [parsed] = parse(ics.calendar([event(cancelled=True, sequence=42)]))
    assert parsed["STATUS"] == "CANCELLED"
    assert parsed["SEQUENCE"] == "42"


def test_only_a_feed_has_a_name_and_a_refresh_interval():
    assert "X-WR-CALNAME" not in ics.calendar([event()])
    feed = ics.calendar([event()], feed_name="My, sessions")
    assert "\r\nX-WR-CALNAME:My\\, sessions\r\n" in feed
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in feed


def test_text_escapes_commas_semicolons_backslashes_and_newlines():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_a_newline_in_a_value_cannot_start_a_property_of_its_own():
    text = ics.calendar([event(summary="Hi\r\nATTENDEE:mailto:x@example.org", url="https://x\r\nY:1")])
    assert "\r\nATTENDEE" not in text and "\r\nY:1" not in text


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        ics.utc(datetime(2026, 1, 1, 9, 0))  # noqa: DTZ001 (naive on purpose)


def test_long_lines_fold_at_75_octets_with_a_leading_space():
    folded = ics.fold("DESCRIPTION:" + "x" * 200)
    pieces = folded.split("\r\n")
    assert [len(p.encode()) for p in pieces] == [75, 75, 64]
    assert all(p.startswith(" ") for p in pieces[1:])


@given(text_without_controls)
def test_escaping_round_trips(value: str) -> None:
    escaped = ics.escape_text(value)
    assert "\n" not in escaped and "\r" not in escaped
    assert ics.unescape_text(escaped) == value


@given(st.text())
def test_escaping_keeps_everything_but_control_characters(value: str) -> None:
    assert ics.unescape_text(ics.escape_text(value)) == ics.clean_text(value)


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=400))
def test_folding_never_splits_a_character_and_unfolds_to_the_original(value: str) -> None:
    line = "SUMMARY:" + value
    folded = ics.fold(line)
    for piece in folded.split("\r\n"):
        assert len(piece.encode()) <= 75
        piece.encode().decode()  # each physical line is valid UTF-8 on its own
    assert ics.unfold(folded + "\r\n") == [line]


@given(st.text(st.characters(codec="utf-8"), max_size=300))
def test_any_summary_parses_back_to_what_was_written(value: str) -> None:
    [parsed] = parse(ics.calendar([event(summary=value)]))
    assert ics.unescape_text(parsed["SUMMARY"]) == ics.clean_text(value)


def test_the_day_before_reminder_is_worth_sending_until_the_hour_before_one_is_due():
    start = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    assert timing.run_after("day_before", start, start - timedelta(days=3)) == start - timedelta(days=1)
    late = start - timedelta(hours=20)
    assert timing.run_after("day_before", start, late) == late
    assert timing.run_after("day_before", start, start - timedelta(minutes=59)) is None
    assert timing.run_after("hour_before", start, start) is None
    assert timing.is_due("hour_before", start, start - timedelta(minutes=30))
    assert not timing.is_due("hour_before", start, start - timedelta(hours=2))
