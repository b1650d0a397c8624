import csv
import io

from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.people.models import Affiliation, Organisation, Person
from carecommons.people.services import add_affiliation, create_organisation, create_person
from carecommons.transfers import services
from carecommons.transfers.csvformat import header
from carecommons.transfers.tests.factories import latest_batch, review_url, upload


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def make_directory() -> None:
    hub = create_organisation(
        by=None, name="Riverside Hub", kind="charity", website="https://hub.example", tags=["food"]
    )
    create_organisation(by=None, name="=Sneaky Org", kind="other", description="two\nlines")
    ann = create_person(
        by=None,
        given_name="Siân",
        family_name="O\u2019Brien",
        email="sian@example.org",
        phone="+44 20 7946 0000",
        postal_address="1 High St\nTown",
        tags=["carer", "newsletter"],
    )
    add_affiliation(person=ann, organisation=hub, role="volunteer", by=None)
    create_person(
        by=None, given_name='=HYPERLINK("http://evil")', family_name="-Minus", preferred_language=""
    )


def test_people_export_is_a_csv_attachment_in_the_import_format(convenor, client_for):
    make_directory()
    response = client_for(convenor).get(reverse("transfers:export_people"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="people-')
    rows = rows_of(response.content)
    assert rows[0] == header("people")
    sian = next(row for row in rows if row[0] == "sian@example.org")
    assert sian == [
        "sian@example.org",
        "Siân",
        "O\u2019Brien",
        "",
        "",
        "'+44 20 7946 0000",
        "1 High St\nTown",
        "English",
        "",
        "Riverside Hub",
        "volunteer",
        "carer; newsletter",
    ]


def test_export_guards_cells_a_spreadsheet_would_run_as_formulas(convenor, client_for):
    make_directory()
    people = rows_of(client_for(convenor).get(reverse("transfers:export_people")).content)
    organisations = rows_of(client_for(convenor).get(reverse("transfers:export_organisations")).content)
    cells = [cell for row in people[1:] + organisations[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'-Minus" in cells
    assert "'=Sneaky Org" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_export_then_reimport_changes_nothing(convenor, client_for):
    make_directory()
    client = client_for(convenor)
    counts = (Person.objects.count(), Organisation.objects.count(), Affiliation.objects.count())
    for kind in ("organisations", "people"):
        exported = client.get(reverse(f"transfers:export_{kind}")).content
        upload(client, exported, kind=kind, name=f"{kind}.csv")
        batch = latest_batch()
        assert batch.report == []
        client.post(review_url(batch), {"import": ""})
        batch.refresh_from_db()
        assert batch.result["created"] == batch.result["updated"] == 0
        assert batch.result["unchanged"] == batch.row_count
    assert (Person.objects.count(), Organisation.objects.count(), Affiliation.objects.count()) == counts
    assert Person.objects.get(family_name="-Minus").given_name == '=HYPERLINK("http://evil")'
    assert not AuditEvent.objects.filter(action__in=["person.updated", "organisation.updated"]).exists()


def test_people_export_holds_only_people_the_user_may_see(participant, convenor):
    make_directory()
    out = io.StringIO()
    services.export_people_csv(user=participant, out=out)
    rows = rows_of(out.getvalue().encode())
    assert [row[0] for row in rows[1:]] == ["participant@example.org"]
    out = io.StringIO()
    assert services.export_people_csv(user=convenor, out=out) == Person.objects.count()


def test_exports_write_audit_events_with_counts_only(convenor, client_for):
    make_directory()
    client = client_for(convenor)
    client.get(reverse("transfers:export_people"))
    client.get(reverse("transfers:export_organisations"))
    people = AuditEvent.objects.get(action="export.people")
    organisations = AuditEvent.objects.get(action="export.organisations")
    assert people.actor == organisations.actor == convenor
    assert people.detail == {"rows": Person.objects.count()}
    assert organisations.detail == {"rows": 2}
