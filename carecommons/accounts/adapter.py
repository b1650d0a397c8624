from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from carecommons.lib.request_context import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are given by convenors, never self-created."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same address the audit log records, so the sign-in throttle counts each client
        behind our proxies apart (TRUSTED_PROXY_COUNT, lib/request_context.py)."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            messages.error(request, "Demo accounts cannot sign in on this site.")
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
