import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from carecommons.audit.services import record_event

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/health")
TOLD_KEY = "second_factor_told"
REFRESHED_KEY = "refreshed_at"


class RequireTwoFactorMiddleware:
    """Anyone who can reach other people's records must set up TOTP before going further.

    What counts is decided once, in accounts/reach.py, with one query per signed-in request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_TWO_FACTOR_FOR_STAFF
            and user.is_authenticated
            and not user.is_demo
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            second_factor = user.second_factor
            if second_factor.needed and not second_factor.has_totp:
                if not request.session.get(TOLD_KEY):
                    request.session[TOLD_KEY] = True
                    messages.info(
                        request,
                        "Your account now opens other people's records, so it needs a second "
                        "sign-in step before you go on: " + "; ".join(second_factor.reasons) + ".",
                    )
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class RecoveryCodeReadsMiddleware:
    """Showing or downloading recovery codes is audited: allauth sends no signal for reading them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        name = match.url_name if match is not None else None
        if (
            name in ("mfa_view_recovery_codes", "mfa_download_recovery_codes")
            and request.method == "GET"
            and response.status_code == 200
            and request.user.is_authenticated
        ):
            viewed = name == "mfa_view_recovery_codes"
            record_event(
                actor=request.user,
                action="account.recovery_codes_viewed" if viewed else "account.recovery_codes_downloaded",
                target=request.user,
            )
        return response


def mark_refreshed(session: Any) -> None:
    """The session's expiry was set just now (signing in saves it): no push back for a minute."""
    session[REFRESHED_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sessions end after SESSION_IDLE_MINUTES without a request. Saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) would make every page view a database write, one at a time
    on SQLite; instead a signed-in session's expiry is pushed back when it was last pushed back at
    least SESSION_REFRESH_SECONDS ago. The idle limit then holds to within that many seconds.

    Listed after SessionMiddleware, so its response step runs first; only a session that existed
    when the request came in and still holds something is touched (never a signed-out visitor's,
    never one that signing out just emptied)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        existed = request.session.session_key is not None
        response = self.get_response(request)
        session = request.session
        kept = existed and session.session_key is not None and not session.is_empty()
        if kept and int(time.time()) - int(session.get(REFRESHED_KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
            mark_refreshed(session)
        return response
