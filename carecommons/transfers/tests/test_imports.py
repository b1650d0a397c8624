from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.people.models import Affiliation, Organisation, Person
from carecommons.transfers.models import ImportBatch, ImportStatus
from carecommons.transfers.tests.factories import checked_batch, latest_batch, people_csv, review_url, upload

MIXED = people_csv(
    "ann@example.org,Ann,Lee,Riverside Hub,volunteer,newsletter; volunteer",
    "not-an-email,Bo,Khan,,,",
    ",Cy,Okafor,,,",
    "dee@example.org,,Nobody,,,",
)
GOOD = people_csv(
    "ann@example.org,Ann,Lee,Riverside Hub,volunteer,newsletter; volunteer",
    ",Cy,Okafor,,,",
)

Clients = Callable[[User], Client]


def test_dry_run_reports_each_bad_row_with_line_and_reason_and_imports_nothing(convenor, client_for):
    people_before = Person.objects.count()
    response = upload(client_for(convenor), MIXED)
    batch = latest_batch()
    assert response.status_code == 302
    assert response["Location"] == review_url(batch)
    assert batch.report == [
        {"line": 3, "reason": "email 'not-an-email' is not a valid email address"},
        {"line": 5, "reason": "first_name is empty but must be filled in"},
    ]
    assert (batch.row_count, batch.bad_row_count, batch.good_row_count) == (4, 2, 2)
    page = client_for(convenor).get(review_url(batch)).content.decode()
    assert "<td>3</td>" in page
    assert "is not a valid email address" in page
    assert "2 rows ready to import;" in page
    assert "Skip the 2 bad rows and import the rest" in page
    assert Person.objects.count() == people_before
    assert not Organisation.objects.exists()


def test_review_page_offers_no_skip_box_when_every_row_is_good(convenor, client_for):
    batch = checked_batch(by=convenor, text=GOOD)
    page = client_for(convenor).get(review_url(batch)).content.decode()
    assert "Skip the" not in page
    assert ">Import</button>" in page


def test_import_is_refused_while_bad_rows_exist_unless_skip_is_chosen(convenor, client_for):
    batch = checked_batch(by=convenor, text=MIXED)
    people_before = Person.objects.count()
    response = client_for(convenor).post(review_url(batch), {"import": ""})
    assert response.status_code == 200
    assert "Nothing was imported: 2 rows have problems." in response.content.decode()
    assert 'id="id_skip_bad_rows_error"' in response.content.decode()
    assert Person.objects.count() == people_before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_with_skip_the_good_rows_import_and_the_bad_ones_do_not(convenor, client_for):
    batch = checked_batch(by=convenor, text=MIXED)
    response = client_for(convenor).post(review_url(batch), {"import": "", "skip_bad_rows": "on"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert batch.result == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 2,
        "organisations_created": 1,
    }
    assert batch.content == ""
    ann = Person.objects.get(email="ann@example.org")
    assert sorted(ann.tags.values_list("name", flat=True)) == ["newsletter", "volunteer"]
    assert ann.affiliations.get().organisation.name == "Riverside Hub"
    assert Person.objects.filter(given_name="Cy", family_name="Okafor", email="").exists()
    assert not Person.objects.filter(given_name="Bo").exists()
    assert not Person.objects.filter(family_name="Nobody").exists()
    page = client_for(convenor).get(review_url(batch)).content.decode()
    assert "Import finished" in page
    assert "Rows that were skipped" in page


def test_reimporting_the_same_file_creates_no_duplicates(convenor, client_for):
    first = checked_batch(by=convenor, text=GOOD)
    client_for(convenor).post(review_url(first), {"import": ""})
    counts = (Person.objects.count(), Organisation.objects.count(), Affiliation.objects.count())
    second = checked_batch(by=convenor, text=GOOD)
    client_for(convenor).post(review_url(second), {"import": ""})
    second.refresh_from_db()
    assert second.result == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "skipped": 0,
        "organisations_created": 0,
    }
    assert (Person.objects.count(), Organisation.objects.count(), Affiliation.objects.count()) == counts


def test_reimport_updates_changed_fields_and_adds_tags_but_never_clears(convenor, client_for):
    first = checked_batch(by=convenor, text=GOOD)
    client_for(convenor).post(review_url(first), {"import": ""})
    changed = people_csv("ANN@example.org,Annie,,Riverside Hub,volunteer,carer")
    second = checked_batch(by=convenor, text=changed)
    client_for(convenor).post(review_url(second), {"import": ""})
    second.refresh_from_db()
    assert second.result["updated"] == 1
    ann = Person.objects.get(email="ann@example.org")
    assert (ann.given_name, ann.family_name) == ("Annie", "Lee")
    assert sorted(ann.tags.values_list("name", flat=True)) == ["carer", "newsletter", "volunteer"]


def test_a_double_post_imports_once(convenor, client_for):
    batch = checked_batch(by=convenor, text=GOOD)
    client = client_for(convenor)
    people_before = Person.objects.count()
    first = client.post(review_url(batch), {"import": ""})
    second = client.post(review_url(batch), {"import": ""})
    assert first.status_code == second.status_code == 302
    assert Person.objects.count() == people_before + 2
    assert AuditEvent.objects.filter(action="import.completed").count() == 1


def test_the_import_service_claims_a_batch_only_once(convenor):
    from carecommons.transfers.services import run_import

    batch = checked_batch(by=convenor, text=GOOD)
    stale_copy = ImportBatch.objects.get(pk=batch.pk)
    run_import(batch=batch, skip_bad_rows=False, by=convenor)
    again = run_import(batch=stale_copy, skip_bad_rows=False, by=convenor)
    assert again.status == ImportStatus.IMPORTED
    assert Person.objects.filter(email="ann@example.org").count() == 1


def refuse_people_named(name: str) -> None:
    """A database-level failure our code cannot see coming: a trigger refusing one insert."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_person BEFORE INSERT ON people_person "
                f"WHEN NEW.given_name = '{name}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_person() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.given_name = '{name}' THEN RAISE unique_violation USING MESSAGE = 'refused'; "
                "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_person BEFORE INSERT ON people_person "
                "FOR EACH ROW EXECUTE FUNCTION refuse_person()"
            )
        else:
            pytest.skip(f"no trigger recipe for {connection.vendor}")


def test_the_whole_import_is_one_transaction(convenor, client_for):
    text = people_csv("ann@example.org,Ann,Lee,Riverside Hub,,", ",Cy,Okafor,,,", ",Boom,Last,,,")
    batch = checked_batch(by=convenor, text=text)
    people_before = Person.objects.count()
    refuse_people_named("Boom")
    response = client_for(convenor).post(review_url(batch), {"import": ""}, follow=True)
    assert response.status_code == 200
    assert "Nothing was imported: line 4 could not be saved (the database refused it)" in (
        response.content.decode()
    )
    assert Person.objects.count() == people_before
    assert not Organisation.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert not AuditEvent.objects.filter(action__in=["import.completed", "person.created"], actor=convenor)
    assert AuditEvent.objects.filter(action="import.failed", actor=convenor).exists()


def test_an_oversize_upload_is_refused_beside_the_file_field(convenor, client_for, settings):
    settings.CSV_IMPORT_MAX_BYTES = 100
    response = upload(client_for(convenor), people_csv(*[f",Person{n},,,," for n in range(20)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_file_error"><li>This file is' in page
    assert "the largest file you can import is 100" in page
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "people.csv", "binary data"),
        ("first_name\nSiân\n".encode("latin-1"), "people.csv", "not saved as UTF-8"),
        (b"first_name\nAnn\n", "people.xlsx", "ends in .csv"),
    ],
)
def test_binary_or_misnamed_uploads_are_refused_beside_the_file_field(
    convenor, client_for, content, name, message
):
    response = upload(client_for(convenor), content, kind="organisations", name=name)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in page
    assert message in page
    assert 'value="organisations" required id="id_kind_1" checked' in page
    assert not ImportBatch.objects.exists()


def test_a_file_with_a_byte_order_mark_is_read(convenor, client_for):
    upload(client_for(convenor), "\ufeff" + GOOD)
    assert latest_batch().report == []


def test_a_person_matching_several_directory_entries_is_a_bad_row(convenor):
    from carecommons.people.services import create_person

    create_person(by=None, given_name="Ann", email="shared@example.org")
    create_person(by=None, given_name="Annie", email="shared@example.org")
    batch = checked_batch(by=convenor, text=people_csv("shared@example.org,Ann,,,,"))
    assert batch.report == [
        {"line": 2, "reason": "2 people in the directory have this email; merge them before importing"}
    ]


def test_organisations_import_matches_by_name_and_updates_changed_fields(convenor, client_for):
    text = "name,kind,website,tags\nCafé Hub,charity,cafehub.example,food\nRiver Group,Mutual aid group,,\n"
    first = checked_batch(by=convenor, kind="organisations", text=text)
    client_for(convenor).post(review_url(first), {"import": ""})
    hub = Organisation.objects.get(name="Café Hub")
    assert (hub.kind, hub.website) == ("charity", "https://cafehub.example")
    again = "name,kind\ncafe hub,Grassroots group\nRiver Group,mutual_aid\n"
    second = checked_batch(by=convenor, kind="organisations", text=again)
    client_for(convenor).post(review_url(second), {"import": ""})
    second.refresh_from_db()
    assert second.result == {"created": 0, "updated": 1, "unchanged": 1, "skipped": 0}
    assert Organisation.objects.count() == 2
    assert Organisation.objects.get(name_key=hub.name_key).kind == "grassroots"


def test_import_writes_audit_events_with_counts_and_ids_only(convenor, client_for):
    batch = checked_batch(by=convenor, text=MIXED)
    client_for(convenor).post(review_url(batch), {"import": "", "skip_bad_rows": "on"})
    checked = AuditEvent.objects.get(action="import.checked")
    completed = AuditEvent.objects.get(action="import.completed")
    assert checked.actor == completed.actor == convenor
    assert checked.target_id == completed.target_id == str(batch.uuid)
    assert checked.detail == {"kind": "people", "rows": 4, "bad_rows": 2}
    assert completed.detail == {
        "kind": "people",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 2,
        "organisations_created": 1,
    }
    for event in (checked, completed):
        assert "example.org" not in str(event.detail)
        assert "Ann" not in str(event.detail)


def test_discarding_an_upload_clears_it_and_nothing_can_be_imported_from_it(convenor, client_for):
    batch = checked_batch(by=convenor, text=GOOD)
    client = client_for(convenor)
    client.post(review_url(batch), {"discard": ""})
    client.post(review_url(batch), {"import": ""})
    batch.refresh_from_db()
    assert (batch.status, batch.content) == (ImportStatus.DISCARDED, "")
    assert not Person.objects.filter(email="ann@example.org").exists()
    assert AuditEvent.objects.filter(action="import.discarded").count() == 1


def review_queries(client: Client, batch: ImportBatch) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(review_url(batch)).status_code == 200
    return len(queries)


def test_review_page_queries_do_not_grow_with_report_rows(convenor, client_for):
    small = checked_batch(by=convenor, text=people_csv(*["bad,Ann,,,,"] * 10))
    large = checked_batch(by=convenor, text=people_csv(*["bad,Ann,,,,"] * 200))
    assert (len(small.report), len(large.report)) == (10, 200)
    client = client_for(convenor)
    review_queries(client, small)
    assert review_queries(client, small) == review_queries(client, large)


def test_organiser_can_import_too(organiser, client_for):
    batch = checked_batch(by=organiser, text=GOOD)
    assert client_for(organiser).post(review_url(batch), {"import": ""}).status_code == 302
    assert Person.objects.filter(email="ann@example.org").exists()


def start_page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("transfers:import_start")).status_code == 200
    return len(queries)


def test_start_page_queries_do_not_grow_with_recent_uploads(convenor, client_for):
    client = client_for(convenor)
    checked_batch(by=convenor, text=GOOD)
    start_page_queries(client)
    one = start_page_queries(client)
    for _ in range(11):
        checked_batch(by=convenor, text=GOOD)
    assert start_page_queries(client) == one


def test_an_import_is_queued_for_the_worker_and_the_page_polls_until_it_finishes(
    convenor, client_for, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = checked_batch(by=convenor, text=people_csv("ann@example.org,Ann,Lee,,,"))
    client = client_for(convenor)
    client.post(review_url(batch), {"import": ""})
    client.post(review_url(batch), {"import": ""})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    page = client.get(review_url(batch)).content.decode()
    assert "Importing" in page and 'hx-trigger="every 2s"' in page
    assert client.get(review_url(batch), HTTP_HX_REQUEST="true").status_code == 204
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "carecommons.transfers.tasks.import_batch"
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert Person.objects.filter(email="ann@example.org").count() == 1
    polled = client.get(review_url(batch), HTTP_HX_REQUEST="true")
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
