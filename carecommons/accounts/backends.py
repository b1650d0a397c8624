from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.http import HttpRequest

from carecommons.accounts.models import User


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
        user = super().get_user(user_id)
        if user is not None and user.is_demo and not settings.DEBUG:
            return None
        return user
