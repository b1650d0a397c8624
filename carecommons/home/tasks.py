"""A task that only records that it ran, for checking a deployment's workers: `deploy/stack probe`
and the scale-out test queue many and count that each ran exactly once."""

import sys
import time

from django_tasks import task

from carecommons.audit.services import record_event


@task()
def probe(key: str, seconds: float = 0.0) -> str:
    """Says on the worker's output that it started, works for `seconds`, then records its run."""
    sys.stdout.write(f"probe {key} started\n")
    sys.stdout.flush()
    time.sleep(seconds)
    record_event(actor=None, action="worker.probe_ran", target=None, detail={"key": key})
    return key
