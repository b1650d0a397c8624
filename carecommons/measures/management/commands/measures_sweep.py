"""`carecommons measures_sweep`: open due questionnaire invitations, send due reminders, escalate
overdue safeguarding follow-ups. Run it from cron every ten minutes; running it often is safe."""

from typing import Any

from django.core.management.base import BaseCommand

from carecommons.measures.running import sweep


class Command(BaseCommand):
    help = (
        "Open questionnaire invitations whose wave has come, send reminders that are due and escalate "
        "overdue safeguarding follow-ups (safe to run often)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep.run()
        if options["verbosity"] > 0:
            self.stdout.write(result.summary())
