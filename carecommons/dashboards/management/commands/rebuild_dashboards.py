"""`carecommons rebuild_dashboards`: count every cohort's dashboard tally again from the raw rows.

Never needed for correctness (a stale tally is counted again when next read); useful after
loading many rows at once, so the first dashboard view does not pay for counting them.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from carecommons.dashboards.tallies import rebuild
from carecommons.lib.words import plural


class Command(BaseCommand):
    help = "Count every cohort's programme-dashboard figures again from the raw rows."

    def handle(self, *args: Any, **options: Any) -> None:
        cohorts = rebuild(now=timezone.now())
        if options["verbosity"] > 0:
            self.stdout.write(f"Counted the dashboard figures of {plural(cohorts, 'cohort')}.")
