"""Absolute addresses for links that leave the page: emails, calendar feeds, the sign-up address.

SITE_URL, when set, is the address people use, and wins. In development it is usually unset: a
page then links to the host and port that served it, and the worker (which has no request) to the
address `make demo` exported for it, or failing that runserver's own default.
"""

from django.conf import settings
from django.http import HttpRequest

DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def site_url(request: HttpRequest | None = None) -> str:
    if settings.SITE_URL:
        return str(settings.SITE_URL).rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return DEVELOPMENT_SITE_URL


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` (from reverse()) as a full address."""
    return site_url(request) + path
