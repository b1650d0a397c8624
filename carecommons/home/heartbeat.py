"""The worker's heartbeat (decision 0012).

Each worker process upserts its own `WorkerHeartbeat` row when it starts and every
HEARTBEAT_SECONDS after, from a thread beside the task loop. Pages and /health read the newest row:
no beat for WORKER_STALE_AFTER seconds means nothing is sending emails or running imports.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, close_old_connections, connections
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from carecommons.home.models import WorkerHeartbeat

HEARTBEAT_SECONDS = 30
# Pages remember what they read for this long, so a busy site reads the heartbeat a few times a
# minute per app server rather than on every page.
REMEMBER_SECONDS = 10
# Rows of workers that stopped long ago (every restart is a new row) are removed at start-up.
FORGET_AFTER = timedelta(days=7)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerStatus:
    last_seen: datetime | None
    checked_at: datetime
    tasks_waiting: bool

    @property
    def age_seconds(self) -> int | None:
        if self.last_seen is None:
            return None
        return max(0, int((self.checked_at - self.last_seen).total_seconds()))

    @property
    def alive(self) -> bool:
        age = self.age_seconds
        return age is not None and age <= settings.WORKER_STALE_AFTER

    @property
    def warn(self) -> bool:
        """A worker that ran and stopped, or work waiting for one that never ran. A fresh install
        with nothing queued has nothing to warn about yet."""
        return not self.alive and (self.last_seen is not None or self.tasks_waiting)


def worker_needed() -> bool:
    """Only the database backend leaves tasks for a worker; the immediate one runs them at once."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def beat(*, worker_id: str, started_at: datetime) -> None:
    """One upsert: this worker's row, created or brought up to date."""
    now = timezone.now()
    row = WorkerHeartbeat(
        worker_id=worker_id,
        hostname=socket.gethostname()[:255],
        pid=os.getpid(),
        started_at=started_at,
        beat_at=now,
    )
    WorkerHeartbeat.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["worker_id"],
        update_fields=["hostname", "pid", "beat_at", "updated_at"],
    )


def _beat_until(stop: threading.Event, *, worker_id: str, started_at: datetime) -> None:
    try:
        while not stop.wait(HEARTBEAT_SECONDS):
            close_old_connections()
            try:
                beat(worker_id=worker_id, started_at=started_at)
            except DatabaseError:
                logger.warning("Could not record the worker's heartbeat; trying again.", exc_info=True)
    finally:
        connections.close_all()


@contextmanager
def beating(worker_id: str) -> Iterator[None]:
    """Beat now (so a worker that cannot reach the database fails at once) and then every
    HEARTBEAT_SECONDS from a thread, until the block ends."""
    started_at = timezone.now()
    WorkerHeartbeat.objects.filter(beat_at__lt=started_at - FORGET_AFTER).delete()
    beat(worker_id=worker_id, started_at=started_at)
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat_until,
        args=(stop,),
        kwargs={"worker_id": worker_id, "started_at": started_at},
        name="heartbeat",
        daemon=True,
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS)


def last_seen() -> datetime | None:
    return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]


def waiting_tasks() -> Any:
    """Tasks queued for a worker, due now or later (a reminder set for next week waits too)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def read_status() -> WorkerStatus:
    """One query while any worker has ever beaten; a second only on an install where none has."""
    seen = last_seen()
    waiting = seen is None and waiting_tasks().exists()
    return WorkerStatus(last_seen=seen, checked_at=timezone.now(), tasks_waiting=waiting)


_remembered: tuple[float, WorkerStatus] | None = None


def remembered_status() -> WorkerStatus:
    global _remembered
    if _remembered is not None and time.monotonic() - _remembered[0] < REMEMBER_SECONDS:
        return _remembered[1]
    status = read_status()
    _remembered = (time.monotonic(), status)
    return status


def forget_status() -> None:
    global _remembered
    _remembered = None


@receiver(setting_changed)
def _forget_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    if setting in {"TASKS", "WORKER_STALE_AFTER"}:
        forget_status()


def warning_for(user: Any) -> WorkerStatus | None:
    """The status to warn `user` about, or None. Staff are those who must use a second factor:
    anyone whose role or relationships let them act on other people's records or money."""
    if not user.is_authenticated or not worker_needed() or not user.needs_two_factor:
        return None
    status = remembered_status()
    return status if status.warn else None


def health_report() -> dict[str, Any]:
    if not worker_needed():
        return {"status": "ok", "database": "ok", "worker": "not used", "worker_last_seen_seconds": None}
    status = read_status()
    return {
        "status": "ok" if status.alive else "degraded",
        "database": "ok",
        "worker": "ok" if status.alive else "missing",
        "worker_last_seen_seconds": status.age_seconds,
        "tasks_waiting": DBTaskResult.objects.ready().count(),
    }
