from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from carecommons.finances.groupcsv import NewGroup
from carecommons.finances.management.hosts import host_named
from carecommons.finances.starting import start_group
from carecommons.lib.money import AmountError, parse_pence


class Command(BaseCommand):
    help = (
        "Start a mutual aid group held by a host, with its first treasurer (invited if they have no account)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", required=True, help="The host's name or the id in its page's address")
        parser.add_argument("--name", required=True, help="The group's name, e.g. 'Northside Mutual Aid'")
        parser.add_argument("--slug", help="Address of its public page; made from the name if not given")
        parser.add_argument("--treasurer", required=True, help="Email of the first treasurer")
        parser.add_argument(
            "--treasurer-name", default="", help="Their name, if they are not in the directory yet"
        )
        parser.add_argument(
            "--approval-threshold", default="0", help="Pounds; claims over it need more approvals"
        )
        parser.add_argument("--approvals-over-threshold", type=int, default=2)
        parser.add_argument("--treasurer-term-months", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        host = host_named(options["host"])
        try:
            threshold = parse_pence(options["approval_threshold"])
        except AmountError as problem:
            raise CommandError(f"--approval-threshold: {problem}") from None
        new = NewGroup(
            name=options["name"].strip(),
            slug=options["slug"] or slugify(options["name"])[:80],
            treasurer_email=options["treasurer"].strip().lower(),
            treasurer_name=options["treasurer_name"],
            approval_threshold_pence=threshold,
            approvals_over_threshold=options["approvals_over_threshold"],
            treasurer_term_months=options["treasurer_term_months"],
        )
        try:
            group = start_group(host=host, new=new, by=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Started {group.name} (/money/{group.uuid}/) held by {host.name}.")
        self.stdout.write(
            f"Its first treasurer is {new.treasurer_email}; they give everyone else their roles."
        )
