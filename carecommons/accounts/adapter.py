from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are given by convenors, never self-created."""
        return False

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            messages.error(request, "Demo accounts cannot sign in on this site.")
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
