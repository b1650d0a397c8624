"""`carecommons close_decisions`: close and count decisions whose deadline has passed (for cron, if
the worker's deferred tasks are not enough)."""

from typing import Any

from django.core.management.base import BaseCommand

from carecommons.decisions.services import close_due_decisions
from carecommons.lib.words import plural


class Command(BaseCommand):
    help = "Close and count every decision whose deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{plural(close_due_decisions(), 'decision')} closed.")
