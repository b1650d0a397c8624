"""Every URL × every persona has an expected status. A new URL without an entry fails here.

Each app's entries live in tests/matrix_<app>.py as a MATRIX dict; this test joins them."""

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

import tests
from carecommons.accounts.models import User
from conftest import PERSONAS, make_user, second_factor_if_needed
from tests.matrix import NAMES, Case, walk


def all_entries() -> dict[str, Case]:
    matrix: dict[str, Case] = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if module.name.startswith("matrix_"):
            entries = importlib.import_module(f"tests.{module.name}").MATRIX
            assert not set(entries) & set(matrix), f"{module.name} repeats entries"
            matrix |= entries
    return matrix


MATRIX = all_entries()


def test_every_url_has_an_entry_in_the_matrix() -> None:
    assert sorted(walk(get_resolver().url_patterns)) == sorted(MATRIX)


def client_as(persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(make_user(persona, PERSONAS[persona]))
    return client


def second_factor_if_reached(persona: str) -> None:
    """A target row may give the persona a relationship that needs a second factor (a treasurer's
    role in the target group, say): they set it up, as they would have to, so the matrix checks
    access itself. tests/test_second_factor_reach.py checks who is sent to set it up."""
    user = User.objects.filter(email=f"{persona}@example.org").first()
    if user is not None:
        second_factor_if_needed(user)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_expected_status(name: str) -> None:
    case = MATRIX[name]
    actual, expected = {}, {}
    for persona in NAMES:
        client = client_as(persona)
        url = reverse(name, kwargs=case.args())
        second_factor_if_reached(persona)
        actual[persona] = getattr(client, case.method)(url).status_code
        expected[persona] = case.expected(persona)
    assert actual == expected
