"""Every page with a form that creates something carries the hidden once-only key (lib/once.py).

The pages are found from the permission matrix: every GET page whose name says it creates, rendered
as the first persona the matrix lets see it. A page that cannot carry the key, or need not, is listed
below with the reason; a new create page without the key fails here."""

import re

import pytest
from django.urls import reverse

from tests.matrix import NAMES
from tests.test_permission_matrix import MATRIX, client_as, second_factor_if_reached

CREATES = re.compile(r"(_create|_add|_new|_upload|import_start)$")
# Pages that hold a create form although their names do not say so.
HOLDS_A_CREATE_FORM = {"guests:session_guests", "signups:questions", "listening:ladder"}
KEY = re.compile(r'<input type="hidden" name="(submission|submission_key)" value="[0-9a-f-]{36}"')
WHY_NOT = {
    "listening:ladder": "its add-a-level form shares LevelForm with renaming, and refuses a repeated name",
    "people:affiliation_add": "a second identical link is refused by the service with a message",
    "people:relationship_add": "a second identical relationship is refused by the service with a message",
    "programmes:enrol_add": "a second place for the same person is refused by the service with a message",
    "programmes:facilitator_add": "adding the same facilitator twice finds the first (get_or_create)",
}


def create_pages() -> list[str]:
    return sorted(
        name
        for name, case in MATRIX.items()
        if case.method == "get" and (CREATES.search(name) or name in HOLDS_A_CREATE_FORM)
    )


def test_the_allow_list_names_only_create_pages_that_exist() -> None:
    assert set(WHY_NOT) <= set(create_pages())


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name in create_pages() if name not in WHY_NOT])
def test_a_create_page_gives_its_form_a_once_only_key(name: str) -> None:
    case = MATRIX[name]
    persona = next(p for p in NAMES if case.expected(p) == 200)
    client = client_as(persona)
    url = reverse(name, kwargs=case.args())
    second_factor_if_reached(persona)
    response = client.get(url)
    assert response.status_code == 200
    assert KEY.search(response.content.decode()), f"{name} has a create form without a submission key"
