import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from carecommons.finances.models import Host
from carecommons.finances.portable import import_json
from carecommons.finances.services import add_first_treasurer
from carecommons.people.models import Person


class Command(BaseCommand):
    help = "Import a group's ledger exported from another Care Commons (JSON), with identical balances."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--slug", required=True, help="Address of the group here, e.g. northside-mutual-aid"
        )
        parser.add_argument("--host", help="Name of the fiscal host here that will hold the group")
        parser.add_argument(
            "--treasurer",
            help="Email of the person here who becomes the group's first treasurer (they give others roles)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        host = None
        if options["host"]:
            host = Host.objects.filter(name=options["host"]).first()
            if host is None:
                raise CommandError(f"No host called {options['host']!r} here.")
        treasurer = None
        if options["treasurer"]:
            treasurer = Person.objects.filter(email__iexact=options["treasurer"]).order_by("id").first()
            if treasurer is None:
                raise CommandError(
                    f"Nobody with the email {options['treasurer']!r} is in the directory here."
                )
        try:
            with transaction.atomic():
                group = import_json(document=document, slug=options["slug"], by=None, host=host)
                if treasurer is not None:
                    add_first_treasurer(group=group, person=treasurer, by=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        count = group.transactions.count()
        self.stdout.write(f"Imported {group.name} with {count} transactions; every balance matches the file.")
        if treasurer is None:
            self.stdout.write(
                "Nobody has a role in it yet: run again with --treasurer EMAIL on a fresh slug."
            )
        self.stdout.write("Its public page is off until a treasurer turns it on.")
