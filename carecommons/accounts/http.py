"""The request type views see once a person has signed in (for type checking): its `user` is the
project's User, so it lives beside User rather than in `lib`, which imports no app."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from carecommons.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
