"""Helpers that go through the real forms and services."""

from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.transfers import services
from carecommons.transfers.models import ImportBatch

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PEOPLE_HEADER = "email,first_name,last_name,organisation,organisation_role,tags"


def people_csv(*lines: str) -> str:
    return "\n".join([PEOPLE_HEADER, *lines]) + "\n"


def checked_batch(*, by: User, text: str, kind: str = "people") -> ImportBatch:
    return services.check_upload(kind=kind, filename=f"{kind}.csv", raw_bytes=text.encode(), by=by)


def upload(
    client: Client,
    content: str | bytes,
    *,
    kind: str = "people",
    name: str = "people.csv",
    content_type: str = "text/csv",
) -> "Response":
    raw = content.encode() if isinstance(content, str) else content
    file = SimpleUploadedFile(name, raw, content_type=content_type)
    return client.post(reverse("transfers:import_start"), {"kind": kind, "file": file})


def latest_batch() -> ImportBatch:
    batch = ImportBatch.objects.first()
    assert batch is not None
    return batch


def review_url(batch: ImportBatch) -> str:
    return reverse("transfers:import_review", kwargs={"batch_id": batch.uuid})
