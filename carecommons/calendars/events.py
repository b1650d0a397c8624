"""How a session reads in a calendar and in an email: the cohort's own view of it, nobody's names."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from carecommons.calendars import ics
from carecommons.lib.urls import absolute_url
from carecommons.programmes.models import Session, SessionMode


def session_url(session: Session) -> str:
    return absolute_url(reverse("programmes:session_detail", args=[session.uuid]))


def meeting_link(session: Session) -> str:
    """The link people join by; only online and hybrid sessions have one to give."""
    return session.meeting_link if session.mode in (SessionMode.ONLINE, SessionMode.HYBRID) else ""


def place(session: Session) -> str:
    return "" if session.mode == SessionMode.ONLINE else session.location.strip()


def where(session: Session, *, with_link: bool = True) -> str:
    link = meeting_link(session) if with_link else ""
    online = f"online: {link}" if link else "online"
    if session.mode == SessionMode.ONLINE:
        return f"Online: {link}" if link else "Online"
    if session.mode == SessionMode.HYBRID:
        return f"{place(session)} (or {online})" if place(session) else f"In person or {online}"
    return place(session) or "Place to be confirmed"


def last_changed(session: Session) -> datetime:
    # Cancelling updates cancelled_at with a queryset update, which leaves updated_at alone.
    return max(session.updated_at, session.cancelled_at or session.updated_at)


def sequence(session: Session) -> int:
    """Grows with every change, so calendar apps replace what they hold."""
    return max(int((last_changed(session) - session.created_at).total_seconds()), 0)


def session_event(session: Session) -> ics.Event:
    cohort = session.cohort
    link = meeting_link(session)
    description = [f"{cohort.programme.name}: {cohort.name}"]
    if session.agenda.strip():
        description += ["", session.agenda.strip()]
    if link:
        description += ["", f"Join online: {link}"]
    description += ["", f"Details: {session_url(session)}"]
    return ics.Event(
        uid=f"{session.uuid}@carecommons",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        stamp=last_changed(session),
        location=where(session),
        description="\n".join(description),
        url=session_url(session),
        cancelled=session.cancelled_at is not None,
        sequence=sequence(session),
    )


def feed_text(sessions: Iterable[Session]) -> str:
    return ics.calendar((session_event(s) for s in sessions), feed_name=f"{settings.SITE_NAME} sessions")


def session_text(session: Session) -> str:
    return ics.calendar([session_event(session)])
