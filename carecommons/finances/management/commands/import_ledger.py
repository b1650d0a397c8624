import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecommons.finances.models import Host
from carecommons.finances.portable import import_json


class Command(BaseCommand):
    help = "Import a group's ledger exported from another Care Commons (JSON), with identical balances."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--slug", required=True, help="Address of the group here, e.g. northside-mutual-aid"
        )
        parser.add_argument("--host", help="Name of the fiscal host here that will hold the group")

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
        try:
            group = import_json(document=document, slug=options["slug"], by=None, host=host)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        count = group.transactions.count()
        self.stdout.write(f"Imported {group.name} with {count} transactions; every balance matches the file.")
