"""Pages that may carry personal data are never kept by a browser or a shared cache.

Every response to a signed-in person is marked here, in one place; pages whose link is the
credential (a guest's link) mark themselves with `keep_private`. Static files and the public
pages that signed-out visitors see keep whatever caching they had."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

PRIVATE = "private, no-store"


def keep_private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = PRIVATE
    return response


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            keep_private(response)
        return response
