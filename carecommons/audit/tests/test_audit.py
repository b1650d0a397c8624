import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.audit.models import AppendOnlyError, AuditEvent
from carecommons.audit.services import record_event
from carecommons.people.models import Person
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm() -> None:
    event = record_event(actor=None, action="test.thing", target=None)
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_change_or_delete_audit_events() -> None:
    event = record_event(actor=None, action="test.thing", target=None)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"


def test_a_write_records_who_did_what_to_which_record_and_from_where(convenor, client_for) -> None:
    client = client_for(convenor)
    response = client.post(
        reverse("people:person_create"),
        {"given_name": "Ada", "family_name": "Byrne", "preferred_language": "English"},
        REMOTE_ADDR="203.0.113.9",
    )
    person = Person.objects.get(given_name="Ada")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.created", target_id=str(person.uuid))
    assert event.actor == convenor
    assert event.target_type == "people.person"
    assert event.ip_address == "203.0.113.9"


def test_reading_a_person_is_audited(convenor, client_for) -> None:
    person = create_person(by=None, given_name="Ada", family_name="Byrne")
    client_for(convenor).get(reverse("people:person_detail", args=[person.uuid]))
    assert AuditEvent.objects.filter(
        action="person.viewed", actor=convenor, target_id=str(person.uuid)
    ).exists()


def test_audit_detail_holds_field_names_not_personal_values(convenor, client_for) -> None:
    person = create_person(by=None, given_name="Ada", family_name="Byrne", phone="0161 000 0000")
    client_for(convenor).post(
        reverse("people:person_edit", args=[person.uuid]),
        {
            "given_name": "Ada",
            "family_name": "Byrne",
            "phone": "0161 999 9999",
            "accessibility_needs": "Hearing loop",
        },
    )
    event = AuditEvent.objects.get(action="person.updated")
    assert sorted(event.detail["fields"]) == ["accessibility_needs", "phone", "preferred_language"]
    assert "9999" not in str(event.detail) and "Hearing" not in str(event.detail)


def test_a_person_can_see_who_has_read_their_record_but_not_staff_addresses(
    participant, convenor, client_for
) -> None:
    person = participant.person
    type(convenor).objects.filter(pk=convenor.pk).update(display_name="Grace Adeyemi")
    client_for(convenor).get(reverse("people:person_detail", args=[person.uuid]), REMOTE_ADDR="198.51.100.7")
    response = client_for(participant).get(reverse("people:person_audit", args=[person.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Grace Adeyemi" in html and "Record opened" in html and "person.viewed" not in html
    assert "convenor@example.org" not in html and "198.51.100.7" not in html
    as_convenor = client_for(convenor).get(reverse("people:person_audit", args=[person.uuid]))
    assert "198.51.100.7" in as_convenor.content.decode()


def test_the_audit_log_is_hidden_from_everyone_but_convenors(
    convenor, organiser, facilitator, participant, client_for
) -> None:
    assert client_for(convenor).get(reverse("audit:event_list")).status_code == 200
    for user in (organiser, facilitator, participant):
        assert client_for(user).get(reverse("audit:event_list")).status_code == 404


def test_audit_log_query_count_does_not_grow_with_events(convenor, client_for) -> None:
    client = client_for(convenor)
    for n in range(5):
        record_event(actor=convenor, action=f"test.{n}", target=None)
    client.get(reverse("audit:event_list"))

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:event_list"))
    for n in range(60):
        record_event(actor=convenor, action=f"test.more.{n}", target=None)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit:event_list"))
    assert len(many) == len(few)


def test_the_audit_log_names_the_actor_through_their_account_and_stores_no_email(
    convenor, client_for
) -> None:
    actor = User.objects.create_user(email="old.address@example.org", password="x")
    record_event(actor=actor, action="person.viewed", target=None)
    User.objects.filter(pk=actor.pk).update(email="erased-1234abcd@erased.invalid")
    page = client_for(convenor).get(reverse("audit:event_list")).content.decode()
    assert "erased-1234abcd@erased.invalid" in page and "old.address@example.org" not in page
    assert "actor_email" not in {f.name for f in AuditEvent._meta.get_fields()}
