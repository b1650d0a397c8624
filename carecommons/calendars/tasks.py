from datetime import datetime

from django_tasks import task

from carecommons.calendars import services


@task()
def send_session_reminder(session_id: int, kind: str, planned_start: str) -> int:
    """A day-before or hour-before reminder, queued by services.plan_reminders."""
    return services.send_reminder(
        session_id=session_id, kind=kind, planned_start=datetime.fromisoformat(planned_start)
    )


@task()
def send_session_notice(session_id: int, kind: str, planned_start: str) -> int:
    """Tell the cohort their session moved or was cancelled (queued by services.notify_*)."""
    return services.send_notice(
        session_id=session_id, kind=kind, planned_start=datetime.fromisoformat(planned_start)
    )
