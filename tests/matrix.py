"""The permission matrix's shared parts: the cases, the personas and factories for target rows."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver

from carecommons.people import services
from carecommons.transfers.services import check_upload
from conftest import PERSONAS

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
