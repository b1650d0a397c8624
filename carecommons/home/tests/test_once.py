"""A double click, a retry or a resubmitted page never creates a second record."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carecommons.people.models import Consent, Person
from carecommons.people.services import create_person, publish_wording
from carecommons.programmes.models import Material, Session
from carecommons.programmes.tests.factories import make_cohort, make_session

pytestmark = pytest.mark.django_db


def test_the_same_new_person_form_sent_twice_creates_one_person(convenor, client_for) -> None:
    client = client_for(convenor)
    data = {"given_name": "Ada", "family_name": "Byrne", "submission": str(uuid.uuid4())}
    first = client.post(reverse("people:person_create"), data)
    second = client.post(reverse("people:person_create"), data)
    assert Person.objects.filter(given_name="Ada").count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_session_form_sent_twice_schedules_one_session(convenor, client_for) -> None:
    cohort = make_cohort()
    data = {
        "title": "Workshop 1",
        "starts_at": "2027-03-01T10:00",
        "ends_at": "2027-03-01T12:00",
        "mode": "in_person",
        "location": "Zion Arts Centre",
        "submission": str(uuid.uuid4()),
    }
    client = client_for(convenor)
    url = reverse("programmes:session_create", args=[cohort.uuid])
    assert client.post(url, data)["Location"] == client.post(url, data)["Location"]
    assert Session.objects.count() == 1
    client.post(url, data | {"submission": str(uuid.uuid4())})
    assert Session.objects.count() == 2


def test_a_consent_decision_and_an_upload_sent_twice_are_recorded_once(
    facilitator, convenor, client_for
) -> None:
    person = create_person(by=None, given_name="Ada", family_name="Byrne")
    publish_wording(purpose="contact", text="May we contact you?", by=None)
    key = str(uuid.uuid4())
    for _ in range(2):
        client_for(convenor).post(
            reverse("people:consent_add", args=[person.uuid]),
            {"purpose": "contact", "decision": "given", "method": "paper", "submission": key},
        )
    assert Consent.objects.filter(person=person).count() == 1
    session = make_session(make_cohort(facilitator=facilitator))
    key = str(uuid.uuid4())
    for _ in range(2):
        upload = SimpleUploadedFile("notes.txt", b"Bring a notebook.")
        client_for(facilitator).post(
            reverse("programmes:material_add", args=[session.uuid]),
            {"title": "Notes", "file": upload, "submission": key},
        )
    assert Material.objects.count() == 1


def test_a_key_used_by_someone_else_is_not_a_way_into_their_record(convenor, organiser, client_for) -> None:
    key = str(uuid.uuid4())
    client_for(convenor).post(reverse("people:person_create"), {"given_name": "Ada", "submission": key})
    response = client_for(organiser).post(
        reverse("people:person_create"), {"given_name": "Eve", "submission": key}
    )
    assert response.status_code == 404
    assert not Person.objects.filter(given_name="Eve").exists()
