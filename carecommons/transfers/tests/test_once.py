"""Uploading a file to import is a create form: the same form sent twice checks one batch."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carecommons.transfers.models import ImportBatch
from carecommons.transfers.tests.factories import people_csv

pytestmark = pytest.mark.django_db


def test_the_same_upload_form_sent_twice_checks_one_batch(convenor, client_for) -> None:
    client = client_for(convenor)
    url = reverse("transfers:import_start")
    assert 'name="submission"' in client.get(url).content.decode()
    key = str(uuid.uuid4())
    raw = people_csv("ann@example.org,Ann,Lee,,,").encode()
    locations = [
        client.post(
            url,
            {"submission": key, "kind": "people", "file": SimpleUploadedFile("people.csv", raw, "text/csv")},
        )["Location"]
        for _ in range(2)
    ]
    batch = ImportBatch.objects.get()
    assert locations == [reverse("transfers:import_review", kwargs={"batch_id": batch.uuid})] * 2
