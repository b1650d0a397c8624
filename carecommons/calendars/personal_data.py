"""What calendars hold about a person: reminders sent and calendar feeds (decision 0026)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.calendars.models import CalendarFeed, ReminderSent
from carecommons.people.holdings import Collector, Holding, Row, row
from carecommons.people.models import Person


def calendars(person: Person) -> list[Row]:
    reminders = [
        row(
            reminder=r.get_kind_display(),
            session=r.session.title,
            for_start=r.sent_for_start,
            sent=r.created_at,
        )
        for r in ReminderSent.objects.filter(person=person).select_related("session")
    ]
    feeds = [
        row(calendar_feed_made=f.created_at, revoked_at=f.revoked_at)
        for f in CalendarFeed.objects.filter(person=person)
    ]
    return reminders + feeds


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("reminders sent", ReminderSent.objects.filter(person=person)),
        ("calendar feeds", CalendarFeed.objects.filter(person=person)),
    ]


PERSONAL_DATA = Holding(
    covers=("remindersent.person", "calendarfeed.person"),
    sections=(Collector("calendars", "Reminders and calendar feeds", calendars),),
    deleted=deleted,
)
