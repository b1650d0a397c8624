"""Invitations that open, close and can be withdrawn: one set of window rules (decision 0030).

A guest invited to one session (guests) and staff a group invites back after its handover
(groups) are let in the same way: for a stated purpose, from `valid_from` until the start of
`valid_until`, at most `MAX_VALIDITY` in all, until someone withdraws the invitation
(`revoked_at`). Each app keeps its own words for the states; the rules live here.
"""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol, Self, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# The longest an invitation may work, from its first moment to its last.
MAX_VALIDITY = timedelta(days=30)


class WindowStatus(StrEnum):
    ACTIVE = "active"
    NOT_YET_OPEN = "not_yet_open"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class Window(Protocol):
    @property
    def valid_from(self) -> datetime: ...
    @property
    def valid_until(self) -> datetime: ...
    @property
    def revoked_at(self) -> datetime | None: ...


def status(window: Window, now: datetime) -> WindowStatus:
    if window.revoked_at is not None:
        return WindowStatus.WITHDRAWN
    if now < window.valid_from:
        return WindowStatus.NOT_YET_OPEN
    if now >= window.valid_until:
        return WindowStatus.EXPIRED
    return WindowStatus.ACTIVE


def usable(now: datetime) -> Q:
    """Open at that moment and not withdrawn: the same answer as `status(...) == ACTIVE`."""
    return Q(revoked_at__isnull=True, valid_from__lte=now, valid_until__gt=now)


M = TypeVar("M", bound=models.Model)


class WindowQuerySet(models.QuerySet[M]):
    def usable(self, now: datetime | None = None) -> Self:
        return self.filter(usable(now or timezone.now()))


def window_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Ends after it starts, says why, and a withdrawal has its time. The 30-day limit is checked by
    `check_window` in the services: date arithmetic in a CHECK constraint would need SQLite
    functions that only Django's own connections register."""
    return [
        models.CheckConstraint(
            condition=Q(valid_until__gt=F("valid_from")), name=f"{prefix}_ends_after_start"
        ),
        models.CheckConstraint(condition=~Q(purpose=""), name=f"{prefix}_has_purpose"),
        models.CheckConstraint(
            condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
            name=f"{prefix}_revoker_has_time",
        ),
    ]


def check_window(valid_from: datetime, valid_until: datetime, now: datetime, *, noun: str) -> None:
    """Refuse, beside `valid_until`, a window that ends first, has passed, or lasts too long."""
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": f"The {noun} must stop working after it starts."})
    if valid_until <= now:
        raise ValidationError({"valid_until": f"This date has passed: the {noun} would never work."})
    if valid_until - valid_from > MAX_VALIDITY:
        raise ValidationError({"valid_until": f"The {noun} can work for at most {MAX_VALIDITY.days} days."})
