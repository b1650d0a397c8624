"""Request helpers every app's views share. The signed-in request type, whose user is the
project's User, is `carecommons.accounts.http.AuthedRequest`: `lib` imports no app."""

from django.http import HttpRequest, QueryDict
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def post_data(request: HttpRequest) -> QueryDict | None:
    """What to bind a form to: the POST data on a POST (even an empty one, so a blank submit
    shows "required" errors), nothing on a GET."""
    return request.POST if request.method == "POST" else None
