from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecommons.people.erasure import erase_person, plan_for
from carecommons.people.management.commands._person_lookup import person_named
from carecommons.people.models import ErasureRequest, ErasureStatus


class Command(BaseCommand):
    help = "Erase one person for good: delete what is theirs, pseudonymise what the books or law keep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="Their email address or id (uuid).")
        parser.add_argument("--reason", required=True, help="Why, for the record (no names).")
        parser.add_argument("--yes", action="store_true", help="Do not ask before erasing.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = person_named(options["person"])
        plan = plan_for(person)
        self.stdout.write(f"Erasing {person.display_name} ({person.uuid}) will:")
        for what, n in plan.deleted:
            self.stdout.write(f"  delete {n} {what}")
        for what, n, why in plan.kept:
            self.stdout.write(f"  keep {n} {what}: {why}")
        if not options["yes"]:
            answer = input("This cannot be undone. Type 'erase' to go ahead: ")
            if answer.strip().lower() != "erase":
                raise CommandError("Nothing was erased.")
        request = ErasureRequest.objects.filter(person=person, status=ErasureStatus.REQUESTED).first()
        try:
            done = erase_person(person=person, by=None, reason=options["reason"], request=request)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Erased. Person {done.person.uuid} is now “{done.person.display_name}”; receipt {done.uuid}."
        )
