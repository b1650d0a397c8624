from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecommons.lib.dates import (
    BIRTH,
    HAPPENED,
    PLANNED,
    BoundedDateField,
    BoundedDateTimeField,
    DateBounds,
    DateInput,
    DateTimeInput,
    check_date,
)


class HeldForm(forms.Form):
    held_on = BoundedDateField(bounds=HAPPENED)


class MeetingForm(forms.Form):
    starts_at = BoundedDateTimeField(bounds=PLANNED)


def test_a_date_before_the_earliest_is_refused_with_the_earliest_named() -> None:
    assert HAPPENED.problem(date(1, 1, 1)) == "Enter a date on or after 1 January 2000."


def test_a_date_that_has_happened_cannot_be_in_the_future() -> None:
    today = date(2026, 5, 1)
    assert HAPPENED.problem(today, today) is None
    assert HAPPENED.problem(today + timedelta(days=1), today) == "Enter a date that is not in the future."


def test_a_planned_date_may_be_up_to_its_days_ahead_but_not_year_3000() -> None:
    today = date(2026, 5, 1)
    assert PLANNED.problem(today + timedelta(days=PLANNED.days_ahead or 0), today) is None
    latest = PLANNED.latest(today)
    assert latest is not None
    assert PLANNED.problem(date(3000, 1, 1), today) == f"Enter a date no later than {latest:%-d %B %Y}."


def test_a_date_of_birth_may_be_long_ago_but_not_before_1900() -> None:
    assert BIRTH.problem(date(1931, 2, 3)) is None
    assert BIRTH.problem(date(1899, 12, 31)) is not None


def test_bounds_without_a_latest_day_accept_any_later_date() -> None:
    assert DateBounds(earliest=date(2000, 1, 1), days_ahead=None).problem(date(2999, 1, 1)) is None


def test_check_date_names_the_field_so_forms_put_the_message_beside_it() -> None:
    with pytest.raises(ValidationError) as caught:
        check_date(date(3000, 1, 1), HAPPENED, field="held_on")
    assert caught.value.message_dict == {"held_on": ["Enter a date that is not in the future."]}
    check_date(None, HAPPENED, field="held_on")


def test_the_date_field_puts_the_message_beside_the_field_and_keeps_what_was_typed() -> None:
    form = HeldForm({"held_on": "3000-01-01"})
    assert not form.is_valid()
    assert form.errors == {"held_on": ["Enter a date that is not in the future."]}
    assert 'value="3000-01-01"' in str(form["held_on"])
    assert 'min="2000-01-01"' in str(form["held_on"])


def test_the_datetime_field_checks_the_local_day_of_an_aware_datetime() -> None:
    assert not MeetingForm({"starts_at": "0001-01-01T10:00"}).is_valid()
    soon = timezone.localtime() + timedelta(days=1)
    assert MeetingForm({"starts_at": soon.strftime("%Y-%m-%dT%H:%M")}).is_valid()
    check_date(datetime(2020, 1, 1, 9, tzinfo=timezone.get_current_timezone()), HAPPENED)


def test_the_date_picker_shows_an_iso_date_and_keeps_extra_attributes() -> None:
    html = DateInput(attrs={"class": "short"}).render("day", date(2026, 1, 31))
    assert html == '<input type="date" name="day" value="2026-01-31" class="short">'


def test_the_date_and_time_picker_shows_an_iso_minute_without_a_zone() -> None:
    html = DateTimeInput().render("when", datetime(2026, 1, 31, 18, 5, 59, tzinfo=UTC))
    assert html == '<input type="datetime-local" name="when" value="2026-01-31T18:05">'


def test_the_bounded_fields_use_the_shared_pickers_with_the_earliest_day_as_min() -> None:
    day, moment = BoundedDateField(bounds=HAPPENED), BoundedDateTimeField(bounds=PLANNED)
    assert isinstance(day.widget, DateInput) and day.widget.attrs == {"min": "2000-01-01"}
    assert isinstance(moment.widget, DateTimeInput) and moment.widget.attrs == {"min": "2000-01-01T00:00"}


def test_two_bounded_fields_do_not_share_one_widget() -> None:
    early = BoundedDateField(bounds=DateBounds(earliest=date(2010, 1, 1), days_ahead=None))
    late = BoundedDateField(bounds=DateBounds(earliest=date(2020, 1, 1), days_ahead=None))
    assert (early.widget.attrs["min"], late.widget.attrs["min"]) == ("2010-01-01", "2020-01-01")


def test_months_and_days_are_written_in_english_whatever_the_locale() -> None:
    from carecommons.lib.dates import day_words, month_words

    assert month_words(date(2026, 3, 1)) == "March 2026"
    assert month_words(date(2026, 9, 1), short=True) == "Sep 2026"
    assert day_words(date(2026, 12, 7)) == "7 December 2026"
