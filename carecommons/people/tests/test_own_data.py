"""A person sees and downloads everything held about them; asks for erasure; convenors act."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.people.erasure import erase_person, request_erasure
from carecommons.people.models import ErasureRequest, Person
from carecommons.people.services import create_person
from carecommons.people.tests.everywhere import EMAIL, NAME, make_everywhere

pytestmark = pytest.mark.django_db

EVERY_SECTION = [
    "record", "affiliations", "relationships", "consents", "merges", "enrolments", "facilitation",
    "attendance", "learning_sets", "calendars", "questionnaires", "safeguarding", "conversations",
    "assets", "network", "money", "expenses", "donations", "audit",
]  # fmt: skip


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_download_holds_a_row_from_every_app_including_decrypted_notes_and_bank_details() -> None:
    world = make_everywhere()
    response = signed_in(world.user).get(f"/people/{world.person.uuid}/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert [key for key in EVERY_SECTION if not sections[key]] == []
    text = response.content.decode()
    for expected in ("call me on", "is safe and has support", "12345678", "12-34-56", "Knows ", "Larch Row"):
        assert expected in text
    assert sections["record"][0]["email"] == EMAIL
    assert sections["questionnaires"][-1]["answers"]


def test_the_page_shows_everything_readably_and_both_reads_are_audited() -> None:
    world = make_everywhere()
    client = signed_in(world.user)
    page = client.get(f"/people/{world.person.uuid}/my-data/").content.decode()
    assert "Everything we hold about you" in page and "Safeguarding follow-ups about you" in page
    assert "is safe and has support" in page and "12345678" in page
    client.get(f"/people/{world.person.uuid}/my-data.json")
    actions = set(
        AuditEvent.objects.filter(target_id=str(world.person.uuid)).values_list("action", flat=True)
    )
    assert {"person.own_data_viewed", "person.own_data_downloaded"} <= actions


def test_the_own_record_page_links_to_the_data_and_to_erasure(participant: User) -> None:
    person = Person.objects.get(user=participant)
    page = signed_in(participant).get(f"/people/{person.uuid}/").content.decode()
    assert f"/people/{person.uuid}/my-data/" in page and f"/people/{person.uuid}/erase/" in page


def test_no_one_else_reaches_a_persons_data_not_even_a_convenor(participant: User, convenor: User) -> None:
    person = Person.objects.get(user=participant)
    client = signed_in(convenor)
    for path in ("my-data/", "my-data.json", "erase/"):
        assert client.get(f"/people/{person.uuid}/{path}").status_code == 404


def test_asking_for_erasure_needs_a_confirmation_and_happens_once(participant: User) -> None:
    person = Person.objects.get(user=participant)
    client = signed_in(participant)
    url = f"/people/{person.uuid}/erase/"
    assert "What is kept, and why" in client.get(url).content.decode()
    confirm = client.post(url)
    assert "Yes, ask for my data to be erased" in confirm.content.decode()
    assert not ErasureRequest.objects.exists()
    client.post(url, {"confirm": "yes"})
    client.post(url, {"confirm": "yes"})
    assert ErasureRequest.objects.filter(person=person).count() == 1
    assert "You asked on" in client.get(url).content.decode()


def test_a_convenor_must_give_a_reason_and_a_missing_one_changes_nothing(convenor: User) -> None:
    person = create_person(by=None, given_name="Nell", family_name="Quint", email="nell@example.org")
    request = request_erasure(person=person, by=None)
    page = signed_in(convenor).post(
        f"/people/erasure-requests/{request.uuid}/", {"reason": "", "confirm": "yes"}
    )
    assert "Say why their data is being erased." in page.content.decode()
    assert Person.objects.get(pk=person.pk).email == "nell@example.org"


def test_the_home_page_tells_convenors_about_waiting_requests(convenor: User) -> None:
    request_erasure(person=create_person(by=None, given_name="Nell"), by=None)
    assert "Erasure requests waiting" in signed_in(convenor).get("/").content.decode()


def test_the_request_list_takes_the_same_number_of_queries_however_many_requests(convenor: User) -> None:
    client = signed_in(convenor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/erasure-requests/").status_code == 200
        return len(captured)

    request_erasure(person=create_person(by=None, given_name="One"), by=None)
    few = queries()
    for n in range(5):
        request_erasure(person=create_person(by=None, given_name=f"Many{n}"), by=None)
    assert queries() == few


def test_the_export_person_command_writes_json_or_text_and_is_audited(tmp_path: Path) -> None:
    world = make_everywhere()
    out = tmp_path / "data.json"
    call_command("export_person", EMAIL, output=str(out), stderr=StringIO())
    data: dict[str, Any] = json.loads(out.read_text())
    assert data["person_uuid"] == str(world.person.uuid)
    text_out = tmp_path / "data.txt"
    call_command(
        "export_person",
        str(world.person.uuid),
        format="text",
        output=str(text_out),
        stderr=StringIO(),
    )
    assert NAME.split()[1] in text_out.read_text() and "CONVERSATIONS ABOUT YOU" in text_out.read_text()
    assert (
        AuditEvent.objects.filter(action="person.own_data_exported", target_id=str(world.person.uuid)).count()
        == 2
    )


def test_an_erased_person_is_not_counted_as_undecided_about_being_contacted(convenor: User) -> None:
    person = create_person(by=None, given_name="Nell", family_name="Quint", email="nell@example.org")
    erase_person(person=person, by=None, reason="Asked by phone")
    # Only the convenor's own record is left without a decision.
    assert "1 person has no decision" in signed_in(convenor).get("/").content.decode()
