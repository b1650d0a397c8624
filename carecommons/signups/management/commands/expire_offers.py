"""`carecommons expire_offers`: pass on offered places whose time is up (for cron, if the worker's
scheduled checks are not enough)."""

from typing import Any

from django.core.management.base import BaseCommand

from carecommons.lib.words import plural
from carecommons.signups.services import expire_offers


class Command(BaseCommand):
    help = "Offer places whose offer has run out to the next person on the waiting list."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_offers()
        self.stdout.write(f"{plural(count, 'offer')} passed on.")
