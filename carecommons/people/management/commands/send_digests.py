"""`carecommons send_digests`: queue today's daily digests for the worker (run once a day by cron)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from carecommons.people.digests import queue_digests


class Command(BaseCommand):
    help = "Queue one digest email per person with news today; the worker sends them."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = queue_digests(timezone.now())
        if options["verbosity"]:
            self.stdout.write(f"{queued} digests queued")
