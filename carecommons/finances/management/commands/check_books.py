from typing import Any

from django.core.management.base import BaseCommand, CommandError

from carecommons.finances.figures import problems_in_books


class Command(BaseCommand):
    help = "Check every group's books: each posted transaction balances and every kept balance is right."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = problems_in_books()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the books.")
        if options["verbosity"] > 0:
            self.stdout.write("The books balance, and every kept balance equals its entries.")
