"""Every URL × every persona has an expected status. A new URL without an entry fails here."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carecommons.accounts.models import User
from carecommons.people import services
from carecommons.transfers.services import check_upload
from conftest import PERSONAS, make_user

ANON, DIRECTORY, CONVENOR_ONLY, ANY_ROLE, SIGNED_IN, EVERYONE = (
    "anon",
    "directory",
    "convenor",
    "any-role",
    "signed-in",
    "everyone",
)
NAMES = ["anonymous", *PERSONAS]


def walk(patterns: list[Any], namespace: str | None = None) -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names += walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def person_args() -> dict[str, Any]:
    return {"person_id": services.create_person(by=None, given_name="Target", family_name="Person").uuid}


def unique_name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def organisation_args() -> dict[str, Any]:
    org = services.create_organisation(by=None, name=unique_name("Target Group"), kind="grassroots")
    return {"org_id": org.uuid}


def affiliation_args() -> dict[str, Any]:
    person = services.create_person(by=None, given_name="Target", family_name="Person")
    org = services.create_organisation(by=None, name=unique_name("Affiliated Group"), kind="charity")
    affiliation = services.add_affiliation(person=person, organisation=org, role="member", by=None)
    return {"person_id": person.uuid, "affiliation_id": affiliation.pk}


def relationship_args() -> dict[str, Any]:
    a = services.create_person(by=None, given_name="Target", family_name="Person")
    b = services.create_person(by=None, given_name="Friend", family_name="Person")
    rel = services.add_relationship(from_person=a, to_person=b, kind="friend", by=None)
    return {"person_id": a.uuid, "relationship_id": rel.pk}


def batch_args() -> dict[str, Any]:
    batch = check_upload(
        kind="people", filename="p.csv", raw_bytes=b"email,first_name\na@example.org,A\n", by=None
    )
    return {"batch_id": batch.uuid}


def no_args() -> dict[str, Any]:
    return {}


@dataclass
class Case:
    """Expected status for anonymous visitors, for people allowed in, and for everyone else."""

    allowed: str
    ok: int = 200
    denied: int = 404
    anon: int = 302
    method: str = "get"
    args: Callable[[], dict[str, Any]] = no_args
    overrides: dict[str, int] = field(default_factory=dict)

    def expected(self, persona: str) -> int:
        if persona in self.overrides:
            return self.overrides[persona]
        if persona == "anonymous":
            return self.anon
        roles = set(PERSONAS[persona])
        allowed = {
            EVERYONE: True,
            SIGNED_IN: True,
            ANY_ROLE: bool(roles),
            DIRECTORY: bool(roles & {"convenor", "organiser"}),
            CONVENOR_ONLY: "convenor" in roles,
            ANON: False,
        }[self.allowed]
        return self.ok if allowed else self.denied


MATRIX: dict[str, Case] = {
    "home:index": Case(EVERYONE, anon=200),
    "home:health": Case(EVERYONE, anon=200),
    "people:person_list": Case(DIRECTORY),
    "people:person_create": Case(DIRECTORY),
    "people:duplicate_list": Case(DIRECTORY),
    "people:person_detail": Case(DIRECTORY, args=person_args),
    "people:person_edit": Case(DIRECTORY, args=person_args),
    "people:consent_add": Case(DIRECTORY, args=person_args),
    "people:affiliation_add": Case(DIRECTORY, args=person_args),
    "people:affiliation_remove": Case(DIRECTORY, ok=302, method="post", args=affiliation_args),
    "people:relationship_add": Case(DIRECTORY, args=person_args),
    "people:relationship_remove": Case(DIRECTORY, ok=302, method="post", args=relationship_args),
    "people:person_merge": Case(DIRECTORY, args=person_args),
    "people:person_audit": Case(CONVENOR_ONLY, args=person_args),
    "people:person_account": Case(CONVENOR_ONLY, args=person_args),
    # Only the person themselves may make their own choices; the target here is someone else.
    "people:own_consent": Case(ANON, denied=404, args=person_args),
    "people:organisation_list": Case(ANY_ROLE),
    "people:organisation_create": Case(DIRECTORY),
    "people:organisation_detail": Case(ANY_ROLE, args=organisation_args),
    "people:organisation_edit": Case(DIRECTORY, args=organisation_args),
    "transfers:import_start": Case(DIRECTORY),
    "transfers:import_review": Case(DIRECTORY, args=batch_args),
    "transfers:export_people": Case(DIRECTORY),
    "transfers:export_organisations": Case(DIRECTORY),
    "audit:event_list": Case(CONVENOR_ONLY),
    # allauth: signed-in visitors are sent on from pages meant for signing in.
    "account_login": Case(ANON, anon=200, denied=302),
    "account_signup": Case(ANON, anon=200, denied=302),
    "account_logout": Case(SIGNED_IN),
    "account_inactive": Case(EVERYONE, anon=200),
    "account_reauthenticate": Case(SIGNED_IN),
    "account_email": Case(SIGNED_IN),
    "account_email_verification_sent": Case(EVERYONE, anon=200),
    "account_change_password": Case(SIGNED_IN),
    "account_set_password": Case(SIGNED_IN, ok=302),
    "account_reset_password": Case(EVERYONE, anon=200),
    "account_reset_password_done": Case(EVERYONE, anon=200),
    "account_reset_password_from_key": Case(
        EVERYONE, anon=200, args=lambda: {"uidb36": "1", "key": "not-a-real-key"}
    ),
    "account_reset_password_from_key_done": Case(EVERYONE, anon=200),
    "account_confirm_login_code": Case(EVERYONE, ok=302, anon=302),
    "account_confirm_email": Case(EVERYONE, anon=200, args=lambda: {"key": "not-a-real-key"}),
    "mfa_index": Case(SIGNED_IN),
    "mfa_authenticate": Case(EVERYONE, ok=302, anon=302),
    # Only people with an authenticator can re-confirm with it or turn it off.
    "mfa_reauthenticate": Case(SIGNED_IN, overrides={"participant": 302, "outsider": 302}),
    "mfa_activate_totp": Case(SIGNED_IN, ok=302),
    "mfa_deactivate_totp": Case(SIGNED_IN, ok=302, overrides={"participant": 404, "outsider": 404}),
    # Nobody in the cast has made recovery codes yet.
    "mfa_view_recovery_codes": Case(ANON, denied=404),
    "mfa_generate_recovery_codes": Case(SIGNED_IN, ok=302),
    "mfa_download_recovery_codes": Case(ANON, denied=404),
}


def test_every_url_has_an_entry_in_the_matrix() -> None:
    assert sorted(walk(get_resolver().url_patterns)) == sorted(MATRIX)


def client_as(persona: str) -> tuple[Client, User | None]:
    client = Client()
    if persona == "anonymous":
        return client, None
    user = make_user(persona, PERSONAS[persona])
    client.force_login(user)
    return client, user


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_expected_status(name: str) -> None:
    case = MATRIX[name]
    clients = {persona: client_as(persona)[0] for persona in NAMES}
    actual, expected = {}, {}
    for persona, client in clients.items():
        url = reverse(name, kwargs=case.args())
        response = getattr(client, case.method)(url)
        actual[persona] = response.status_code
        expected[persona] = case.expected(persona)
    assert actual == expected
