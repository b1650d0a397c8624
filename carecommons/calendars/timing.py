"""When reminders fall due and until when they are still worth sending: pure, no database.

The day-before reminder is worth sending until the hour-before one is due; the hour-before one until
the session starts. Queued tasks and the sweep command follow the same rule, so a session scheduled
twenty hours ahead still gets its "tomorrow" reminder, and a worker that was down never sends a
reminder for a session that has already begun.
"""

from datetime import datetime, timedelta

DAY_BEFORE, HOUR_BEFORE = "day_before", "hour_before"
OFFSETS = {DAY_BEFORE: timedelta(days=1), HOUR_BEFORE: timedelta(hours=1)}


def due_at(kind: str, starts_at: datetime) -> datetime:
    return starts_at - OFFSETS[kind]


def useful_until(kind: str, starts_at: datetime) -> datetime:
    return due_at(HOUR_BEFORE, starts_at) if kind == DAY_BEFORE else starts_at


def is_due(kind: str, starts_at: datetime, now: datetime) -> bool:
    return due_at(kind, starts_at) <= now < useful_until(kind, starts_at)


def run_after(kind: str, starts_at: datetime, now: datetime) -> datetime | None:
    """When to run the reminder task: its due time, now if that has passed, None if too late."""
    if now >= useful_until(kind, starts_at):
        return None
    return max(due_at(kind, starts_at), now)
