"""The request type views see once a person has signed in (for type checking)."""

from typing import TYPE_CHECKING

from django.http import HttpRequest, QueryDict
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    # For the type checker only: `lib` imports no app when it runs (decision 0026). A signed-in
    # view's `request.user` is the project's User, and no Django-only type names it.
    from carecommons.accounts.models import User


class AuthedRequest(HttpRequest):
    user: "User"
    htmx: HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def post_data(request: HttpRequest) -> QueryDict | None:
    """What to bind a form to: the POST data on a POST (even an empty one, so a blank submit
    shows "required" errors), nothing on a GET."""
    return request.POST if request.method == "POST" else None
