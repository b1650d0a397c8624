from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecommons.finances.management.hosts import host_named
from carecommons.finances.starting import import_groups, plan_import
from carecommons.lib.spreadsheets import UploadError, decode_upload


class Command(BaseCommand):
    help = "Start many groups held by a host from a CSV file: all of them, or none if a row is bad."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--host", required=True, help="The host's name or the id in its page's address")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what would happen")

    def handle(self, *args: Any, **options: Any) -> None:
        host = host_named(options["host"])
        try:
            text = decode_upload(options["file"].read_bytes())
        except (OSError, UploadError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        plan = plan_import(host=host, text=text)
        for problem in plan.problems:
            self.stderr.write(f"Line {problem.line}: {problem.reason}")
        if plan.problems:
            raise CommandError("Nothing was imported: fix the rows above and run again.")
        if not options["dry_run"]:
            try:
                plan = import_groups(host=host, text=text, by=None)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        verb = "Would start" if options["dry_run"] else "Started"
        invited = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{verb} {len(plan.create)} group(s); {len(plan.already)} already started here were left as "
            f"they were; {plan.invitations} treasurer(s) {invited} invited to make an account."
        )
