"""The emails a cohort gets about a session: one message per person, with the session as a .ics file."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from carecommons.calendars import events
from carecommons.lib import email
from carecommons.people.models import Person
from carecommons.programmes.models import Session

SUBJECTS = {
    "day_before": "Reminder: {title}, {day_word} at {time}",
    "hour_before": "Starting soon: {title} at {time}",
    "rescheduled": "Moved: {title} is now on {day} at {time}",
    "cancelled": "Cancelled: {title} on {day}",
}


def when(session: Session) -> str:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    same_day = starts.date() == ends.date()
    end_text = date_format(ends, "H:i T" if same_day else "l j F Y, H:i T")
    return f"{date_format(starts, 'l j F Y, H:i')} to {end_text}"


def day_word(session: Session) -> str:
    """'today' or 'tomorrow' as the person reads the email (a day-before reminder may be same-day)."""
    starts = timezone.localtime(session.starts_at).date()
    today = timezone.localdate()
    if starts == today:
        return "today"
    return "tomorrow" if starts == today + timedelta(days=1) else f"on {date_format(starts, 'l j F')}"


def send_session_email(*, session: Session, person: Person, kind: str) -> int:
    starts = timezone.localtime(session.starts_at)
    filename = f"{slugify(session.title)[:40] or 'session'}.ics"
    return email.send(
        to=person.mail_address,
        subject=SUBJECTS[kind].format(
            title=session.title,
            time=date_format(starts, "H:i"),
            day=date_format(starts, "l j F"),
            day_word=day_word(session),
        ),
        text_template="calendars/email/session.txt",
        context={
            "kind": kind,
            "day_word": day_word(session),
            "name": person.display_name,
            "session": session,
            "cohort": session.cohort,
            "when": when(session),
            "where": events.where(session, with_link=False),
            "meeting_link": events.meeting_link(session),
            "url": events.session_url(session),
        },
        attachments=[(filename, events.session_text(session), "text/calendar")],
    )
