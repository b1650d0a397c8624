"""What the cohort is told when a session is scheduled, moved or cancelled.

Filled in by the calendars app (reminders and notices); programmes.services calls these explicitly.
"""

from carecommons.programmes.models import Session


def session_scheduled(session: Session) -> None:
    from carecommons.calendars.services import plan_reminders

    plan_reminders(session)


def session_rescheduled(session: Session) -> None:
    from carecommons.calendars.services import notify_rescheduled, plan_reminders

    plan_reminders(session)
    notify_rescheduled(session)


def session_cancelled(session: Session) -> None:
    from carecommons.calendars.services import notify_cancelled

    notify_cancelled(session)
