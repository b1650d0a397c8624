"""`carecommons send_reminders`: the sweep that sends any due session reminder not yet sent.

Queued tasks normally send reminders on time; run this from cron every ten minutes or so on the
worker host so that reminders still go out if a task was lost (a queue restored from backup, a
worker stopped at the wrong moment). Running it often is safe: nobody is ever reminded twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from carecommons.calendars.services import send_due_reminders
from carecommons.lib.words import plural


class Command(BaseCommand):
    help = "Send session reminders that are due and have not been sent yet (safe to run often)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        if options["verbosity"] > 0:
            self.stdout.write(f"Sent {plural(sent, 'reminder')}.")
