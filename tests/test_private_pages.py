"""No response to a signed-in person may be kept by a browser or a shared cache (issue 11, item 6)."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PERSONAS, make_user
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db


def test_every_matrix_url_answers_signed_in_people_with_private_no_store() -> None:
    clients = {}
    for persona in ("convenor", "participant", "treasurer"):
        clients[persona] = Client()
        clients[persona].force_login(make_user(persona, PERSONAS[persona]))
    kept: list[str] = []
    for name in sorted(MATRIX):
        case = MATRIX[name]
        url = reverse(name, kwargs=case.args())
        for persona, client in clients.items():
            response = getattr(client, case.method)(url)
            directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
            if not {"private", "no-store"} <= directives:
                kept.append(f"{persona} {case.method.upper()} {url} ({response.status_code})")
    assert kept == []


def test_a_signed_in_person_is_told_private_no_store_even_on_the_public_home_page() -> None:
    client = Client()
    client.force_login(make_user("participant", PERSONAS["participant"]))
    assert client.get(reverse("home:index"))["Cache-Control"] == "private, no-store"


def test_signed_out_visitors_public_pages_are_not_marked_private() -> None:
    response = Client().get(reverse("home:index"))
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
