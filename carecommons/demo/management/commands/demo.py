from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from carecommons.demo import ripples, trial
from carecommons.demo.fixtures import DEMO_ACCOUNTS, DEMO_PASSWORD
from carecommons.demo.loader import demo_loaded, load_demo
from carecommons.demo.measures import participant_link
from carecommons.lib.urls import site_url


class Command(BaseCommand):
    help = "Migrate, load the fictional demo data set (once) and print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data and demo accounts are refused when DEBUG is off.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if demo_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            counts = load_demo()
            self.stdout.write(
                f"Loaded {counts['people']} people and {counts['organisations']} organisations."
            )
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
        for persona, (email, *_rest) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {persona:<12} {email}")
        self.stdout.write(
            "\nDeciding together: the Riverside Action Group, half-way through its handover. Sign in "
            "as participant or member (members: Your groups), or as organiser (its convening staff); "
            "docs/guide/care-lab-demo.md says what to look at."
        )
        for where in (trial.where_to_look(), ripples.where_to_look()):
            if where:
                self.stdout.write(where)
        if link := participant_link(site_url()):
            self.stdout.write(f"\nQuestionnaires the participant can answer now:\n  {link}")
        self.stdout.write(
            "\nEmails and imports are run by the worker: `make demo` starts it with the site "
            "(`carecommons serve`), and emails are printed there, prefixed `worker |`."
        )
