"""Reminders, notices and calendar feeds for sessions (see carecommons.programmes.notifications)."""

from carecommons.programmes.models import Session


def plan_reminders(session: Session) -> None:
    """Queue the day-before and hour-before reminders for a session (filled in by the calendars work)."""


def notify_rescheduled(session: Session) -> None:
    """Tell the cohort a session has moved (filled in by the calendars work)."""


def notify_cancelled(session: Session) -> None:
    """Tell the cohort a session is cancelled (filled in by the calendars work)."""
