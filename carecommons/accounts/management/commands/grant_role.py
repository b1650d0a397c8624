from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import grant_role, revoke_role


class Command(BaseCommand):
    help = "Give a role to an account (or take it away with --revoke)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(email=options["email"].strip().lower())
        except User.DoesNotExist:
            raise CommandError(f"No account has the email {options['email']}.") from None
        if options["revoke"]:
            revoke_role(user=user, role=options["role"], by=None)
            self.stdout.write(f"{user.email} is no longer a {options['role']}.")
        else:
            grant_role(user=user, role=options["role"], by=None)
            self.stdout.write(f"{user.email} is now a {options['role']}.")
