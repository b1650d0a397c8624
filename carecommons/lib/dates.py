"""Calendar arithmetic the standard library lacks, and the bounds on dates people type."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# Bounds on dates people type. One rule per kind of date, checked by the form field (message
# beside the field) and again by the service (so a command or a crafted POST cannot slip past).

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip


def month_words(month: date, *, short: bool = False) -> str:
    """ "March 2026", or "Mar 2026" where room is short (chart labels), whatever the locale."""
    name = MONTH_NAMES[month.month - 1]
    return f"{name[:3] if short else name} {month.year}"


def day_words(day: date) -> str:
    """ "7 March 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


EARLIEST_RECORD = date(2000, 1, 1)  # nothing this project records happened before its users' time
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class DateBounds:
    """The earliest allowed day and how many days ahead of today a date may be (0: not in the future)."""

    earliest: date
    days_ahead: int | None

    def latest(self, today: date | None = None) -> date | None:
        if self.days_ahead is None:
            return None
        return (today or timezone.localdate()) + timedelta(days=self.days_ahead)

    def problem(self, value: date | datetime, today: date | None = None) -> str | None:
        """A plain sentence saying why `value` is out of bounds, or None when it is fine."""
        day = _day_of(value)
        if day < self.earliest:
            return f"Enter a date on or after {_long(self.earliest)}."
        latest = self.latest(today)
        if latest is not None and day > latest:
            if self.days_ahead == 0:
                return "Enter a date that is not in the future."
            return f"Enter a date no later than {_long(latest)}."
        return None


# Something that has already happened: a conversation, a claim, a payment, a meeting held.
HAPPENED = DateBounds(earliest=EARLIEST_RECORD, days_ahead=0)
# Something planned: sessions, cohorts, follow-ups, sign-up windows, guest invitations.
PLANNED = DateBounds(earliest=EARLIEST_RECORD, days_ahead=3 * 366)
# A person's date of birth.
BIRTH = DateBounds(earliest=EARLIEST_BIRTH, days_ahead=0)


def check_date(
    value: date | datetime | None, bounds: DateBounds, *, field: str | None = None, today: date | None = None
) -> None:
    """For services: raise ValidationError (naming `field`, so forms show it beside it) when out of bounds.
    `today` is for services that take their own `now`; by default it is the real today."""
    if value is None:
        return
    message = bounds.problem(value, today)
    if message is not None:
        raise ValidationError({field: message} if field else message, code="date_bounds")


@deconstructible
class DateBoundsValidator:
    """A validator for form or model fields: `validators=[DateBoundsValidator(PLANNED)]`."""

    def __init__(self, bounds: DateBounds) -> None:
        self.bounds = bounds

    def __call__(self, value: date | datetime | None) -> None:
        check_date(value, self.bounds)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateBoundsValidator) and other.bounds == self.bounds


class DateInput(forms.DateInput):
    """The browser's date picker (type="date"): it sends and needs ISO dates, whatever the site's format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (type="datetime-local"): ISO to the minute, no zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    """The browser's time picker (type="time"): hours and minutes, as it sends them."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class BoundedDateField(forms.DateField):
    """A date input (type="date") that refuses dates outside `bounds`."""

    def __init__(self, *, bounds: DateBounds, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput)
        super().__init__(**kwargs)
        self.bounds = bounds
        self.validators.append(DateBoundsValidator(bounds))
        self.widget.attrs.setdefault("min", bounds.earliest.isoformat())


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time input (type="datetime-local") that refuses days outside `bounds`."""

    def __init__(self, *, bounds: DateBounds, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateTimeInput)
        super().__init__(**kwargs)
        self.bounds = bounds
        self.validators.append(DateBoundsValidator(bounds))
        self.widget.attrs.setdefault("min", f"{bounds.earliest.isoformat()}T00:00")


def _day_of(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
