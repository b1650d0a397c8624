"""The questionnaire sweep, run from cron (`carecommons measures_sweep`) every ten minutes or so.

It opens the invitations of waves that have come and emails their links, sends reminders that are
due, and escalates safeguarding follow-ups that are overdue. Running it often, or on two hosts at
once, is safe: each reminder is claimed by one conditional update before it is queued, so nobody
is reminded twice, and a wave's invitations are made once (the database refuses a second set).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecommons.lib.words import plural
from carecommons.measures import tasks
from carecommons.measures.engine.definitions import load_instruments
from carecommons.measures.models import Invitation
from carecommons.measures.running import safeguarding, services
from carecommons.measures.running.deployment import answerable_online

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    opened: int
    reminded: int
    escalated: int

    def summary(self) -> str:
        def count(n: int, noun: str) -> str:
            return plural(n, noun)

        return (
            f"Opened {count(self.opened, 'invitation')}, sent {count(self.reminded, 'reminder')}, "
            f"escalated {count(self.escalated, 'overdue safeguarding follow-up')}."
        )


def run(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    online = online_instrument_ids()
    return SweepResult(
        opened=open_invitations(now=now, online=online),
        reminded=send_due_reminders(now=now, online=online),
        escalated=len(safeguarding.escalate_overdue(now=now)),
    )


def online_instrument_ids() -> set[str]:
    """Read once per sweep: which instruments this deployment can show through a link."""
    return {instrument_id for instrument_id in load_instruments() if answerable_online(instrument_id)}


def open_invitations(*, now: datetime, online: set[str]) -> int:
    """Make the invitations of waves now open and queue their emails once the rows are committed.
    A wave asked only on paper gets invitations (for staff to enter forms) but no email."""
    try:
        with transaction.atomic():
            created = services.open_due_invitations(now=now)
            for invitation in created:
                if online & set(invitation.wave.instruments):
                    transaction.on_commit(partial(tasks.send_invitation.enqueue, invitation.pk))
    except IntegrityError:
        # Another sweep made the same invitations a moment ago; its emails are on their way.
        log.info("measures sweep: invitations already opened by a concurrent sweep")
        return 0
    return len(created)


def reminders_due(sent_at: datetime, now: datetime, days: list[int]) -> int:
    """How many reminders should have gone by now. After a gap in sweeps only the latest is sent,
    so nobody gets two reminders ten minutes apart."""
    return sum(1 for day in days if sent_at + timedelta(days=day) <= now)


def send_due_reminders(*, now: datetime, online: set[str]) -> int:
    days = sorted(settings.MEASURES_REMINDER_DAYS)
    if not days:
        return 0
    candidates = (
        Invitation.objects.usable(now)
        .filter(sent_at__lte=now - timedelta(days=days[0]), reminders_sent__lt=len(days))
        .select_related("wave")
        .only("uuid", "sent_at", "reminders_sent", "wave__instruments")
    )
    queued = 0
    for invitation in candidates:
        assert invitation.sent_at is not None  # filtered above
        due = reminders_due(invitation.sent_at, now, days)
        if due <= invitation.reminders_sent or not online & set(invitation.wave.instruments):
            continue
        with transaction.atomic():
            if services.claim_reminder(invitation=invitation, due=due, now=now):
                transaction.on_commit(partial(tasks.send_reminder.enqueue, invitation.pk))
                queued += 1
    return queued
