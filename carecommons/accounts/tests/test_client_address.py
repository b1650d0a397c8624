"""Behind a proxy, the sign-in throttle and the audit log both see each client's own address."""

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from carecommons.accounts.models import Role
from carecommons.audit.models import AuditEvent
from carecommons.lib.request_context import client_ip
from conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"
TOO_MANY = "Too many failed login attempts"


def through_proxy(client_address: str, claimed: str = "") -> Client:
    """A browser whose requests reach the app through our proxy, which appends the address it saw."""
    forwarded = f"{claimed}, {client_address}" if claimed else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def fail_to_sign_in(client: Client, attempt: int) -> str:
    response = client.post(
        reverse("account_login"), {"login": f"guess{attempt}@example.org", "password": "not it"}
    )
    return str(response.content.decode())


def sign_in(client: Client, email: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_ten_failed_sign_ins_through_the_proxy_lock_out_that_client_but_not_another(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("participant", [Role.PARTICIPANT])
    a, b = through_proxy(CLIENT_A), through_proxy(CLIENT_B)
    for attempt in range(10):
        assert TOO_MANY not in fail_to_sign_in(a, attempt)
    assert TOO_MANY in fail_to_sign_in(a, 10)
    assert TOO_MANY in sign_in(a, user.email).content.decode()
    assert sign_in(b, user.email).status_code == 302
    failed = AuditEvent.objects.filter(action="account.sign_in_failed")
    assert set(failed.values_list("ip_address", flat=True)) == {CLIENT_A}


def test_a_client_cannot_escape_the_throttle_by_making_up_forwarded_addresses(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(10):
        fail_to_sign_in(through_proxy(CLIENT_A, claimed=f"192.0.2.{attempt}"), attempt)
    assert TOO_MANY in fail_to_sign_in(through_proxy(CLIENT_A, claimed="192.0.2.99"), 10)


def test_without_a_configured_proxy_forwarded_addresses_are_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(10):
        client = Client(REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
        fail_to_sign_in(client, attempt)
    assert TOO_MANY in fail_to_sign_in(Client(REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B), 10)
    assert TOO_MANY not in fail_to_sign_in(Client(REMOTE_ADDR=CLIENT_B), 11)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (1, "10.0.0.2", "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.2", "192.0.2.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "10.0.0.2"),
        (1, "10.0.0.2", "203.0.113.5:51234", "203.0.113.5"),
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.2", "not an address", "10.0.0.2"),
        (0, "", "", None),
    ],
)
def test_the_client_address_counts_trusted_hops_from_the_right(
    settings: Any, proxies: int, remote: str, forwarded: str, expected: str | None
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_allauth_is_told_the_same_number_of_proxies() -> None:
    from django.conf import settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
