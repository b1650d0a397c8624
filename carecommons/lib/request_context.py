"""The address of the request being served: audit events record it and the sign-in throttle counts by it."""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for audit events and for allauth's sign-in throttle alike.

    X-Forwarded-For is read only when TRUSTED_PROXY_COUNT proxies are configured, and then only the
    hop the outermost of our own proxies wrote (counting from the right): anything to its left was
    sent by the client and could be made up. With no proxy configured the header is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            address = clean_address(hops[-proxies])
            if address:
                return address
    return clean_address(request.META.get("REMOTE_ADDR") or "")


def clean_address(value: str) -> str | None:
    """An IP address in its canonical form, or None; a port after it is dropped."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
