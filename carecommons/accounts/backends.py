from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.http import HttpRequest

from carecommons.accounts.models import User
from carecommons.accounts.signed_in import load_signed_in


class CareCommonsAuthenticationBackend(AuthenticationBackend):
    """allauth's email backend, refusing demo accounts unless DEBUG is on."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> User | None:
        user = super().authenticate(request, **credentials)
        if user is not None and not self.user_can_authenticate(user):
            return None
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return bool(super().user_can_authenticate(user))

    def get_user(self, user_id: int) -> User | None:
        """The user of a session, with their roles, person and second factor (accounts/signed_in.py)."""
        user = load_signed_in(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
