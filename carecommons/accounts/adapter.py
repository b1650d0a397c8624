from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are given by convenors, never self-created."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
