"""The request type views see once a person has signed in (for type checking)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from carecommons.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails
