"""The shared cast. Every persona is made through the same services the app uses."""

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account
from carecommons.people.models import Person
from carecommons.people.services import create_person

PASSWORD = "correct horse battery staple"

PERSONAS: dict[str, list[Role]] = {
    "convenor": [Role.CONVENOR],
    "facilitator": [Role.FACILITATOR],
    "participant": [Role.PARTICIPANT],
    "organiser": [Role.ORGANISER],
    "treasurer": [Role.TREASURER],
    "evaluator": [Role.EVALUATOR],
    "outsider": [],
}


def make_user(name: str, roles: list[Role], *, with_person: bool = True, totp: bool = True) -> User:
    user = create_account(email=f"{name}@example.org", password=PASSWORD, roles=roles, by=None)
    if with_person:
        person = create_person(by=None, given_name=name.title(), family_name="Persona", email=user.email)
        Person.objects.filter(pk=person.pk).update(user=user)
    if totp:
        second_factor_if_needed(user)
    return user


def second_factor_if_needed(user: User) -> User:
    """Turn TOTP on for a user whose roles or relationships now need it (accounts/reach.py), as
    they would have to at their next page. Call it after giving a relationship in a test that is
    about access itself; tests/test_second_factor_reach.py checks who is sent to set it up."""
    user.forget_reach()
    if user.second_factor.needed and not user.second_factor.has_totp:
        TOTP.activate(user, generate_totp_secret())
        user.forget_reach()
    return user


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """Background tasks run at once in tests; the worker runs them in real deployments."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def private_media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files go to a throwaway folder, never the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Deliberately slow hashing is for attackers, not for the test suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_persona(db: None) -> Callable[[str], User]:
    def make(name: str) -> User:
        return make_user(name, PERSONAS[name])

    return make


@pytest.fixture
def convenor(make_persona: Callable[[str], User]) -> User:
    return make_persona("convenor")


@pytest.fixture
def facilitator(make_persona: Callable[[str], User]) -> User:
    return make_persona("facilitator")


@pytest.fixture
def participant(make_persona: Callable[[str], User]) -> User:
    return make_persona("participant")


@pytest.fixture
def organiser(make_persona: Callable[[str], User]) -> User:
    return make_persona("organiser")


@pytest.fixture
def treasurer(make_persona: Callable[[str], User]) -> User:
    return make_persona("treasurer")


@pytest.fixture
def evaluator(make_persona: Callable[[str], User]) -> User:
    return make_persona("evaluator")


@pytest.fixture
def outsider(make_persona: Callable[[str], User]) -> User:
    return make_persona("outsider")


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
