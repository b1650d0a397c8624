"""When each wave falls for a cohort, and when its invitations open and close. Pure: no ORM."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BASELINE, MID, END, FOLLOW_UP = "baseline", "mid", "end", "follow_up"


def wave_date(kind: str, weeks_after_end: int, starts_on: date, ends_on: date) -> date:
    """Baseline on the first day, mid-point halfway, end on the last day, follow-up N weeks after."""
    if kind == BASELINE:
        return starts_on
    if kind == MID:
        return starts_on + (ends_on - starts_on) // 2
    if kind == END:
        return ends_on
    if kind == FOLLOW_UP:
        return ends_on + timedelta(weeks=weeks_after_end)
    raise ValueError(f"unknown wave kind {kind!r}")


def window(
    kind: str,
    weeks_after_end: int,
    starts_on: date,
    ends_on: date,
    *,
    opens_days_before: int,
    stays_open_days: int,
    zone: ZoneInfo,
) -> tuple[datetime, datetime]:
    """From the morning invitations go out to the midnight the link stops working."""
    day = wave_date(kind, weeks_after_end, starts_on, ends_on)
    opens = datetime.combine(day - timedelta(days=opens_days_before), time(9), tzinfo=zone)
    closes = datetime.combine(day + timedelta(days=stays_open_days + 1), time(0), tzinfo=zone)
    return opens, closes
