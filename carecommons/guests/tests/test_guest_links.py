import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.guests.models import GuestInvitation, GuestVisit
from carecommons.guests.services import revoke_invitation
from carecommons.guests.tests.factories import add_text_material, invite, move_window
from carecommons.lib.urls import site_url
from carecommons.people.services import create_person
from carecommons.programmes.models import Session
from carecommons.programmes.services import save_closing_report
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(facilitator, participant) -> Session:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    enrol(cohort, create_person(by=None, given_name="Amara", family_name="Okafor", email="amara@example.org"))
    return make_session(
        cohort,
        title="Workshop 5: Others to self",
        mode="hybrid",
        location="Levenshulme Library, Room 2",
        meeting_link="https://meet.example.org/radsec-5",
        agenda="Check-in\nCompassionate others\nClosing round",
    )


def entry_url(invitation: GuestInvitation) -> str:
    return reverse("guests:guest_entry", kwargs={"token": invitation.token})


def material_url(invitation: GuestInvitation, material_uuid: object) -> str:
    return reverse("guests:guest_material", kwargs={"token": invitation.token, "material_id": material_uuid})


def test_a_member_invites_and_the_guest_email_holds_a_working_link(
    session, participant, client_for, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(participant).post(
            reverse("guests:session_guests", kwargs={"session_id": session.uuid}),
            {
                "guest_name": "Bernadette Okonjo",
                "guest_email": "Bernadette@Example.org",
                "purpose": "To talk about crisis support.",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["bernadette@example.org"]]
    body = str(mail.outbox[0].body)
    assert "To talk about crisis support." in body and "Workshop 5: Others to self" in body
    match = re.search(re.escape(site_url()) + r"(/guests/visit/[^/\s]+/)", body)
    assert match is not None
    page = Client().get(match.group(1))
    assert page.status_code == 200
    assert "Compassionate others" in page.content.decode()


def test_no_email_goes_out_if_the_invitation_is_withdrawn_before_it_is_sent(
    session, participant, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(session, participant)
        revoke_invitation(invitation=invitation, by=participant)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_the_guest_sees_that_session_with_its_agenda_meeting_link_place_and_materials(
    session, participant
) -> None:
    invitation = invite(session, participant)
    add_text_material(session, "Crisis plan")
    page = Client().get(entry_url(invitation)).content.decode()
    for expected in [
        "Workshop 5: Others to self",
        "Compassionate others",
        "https://meet.example.org/radsec-5",
        "Levenshulme Library, Room 2",
        "Crisis plan",
        "To talk about crisis support.",
    ]:
        assert expected in page, expected


def test_an_in_person_session_shows_guests_no_meeting_link(facilitator) -> None:
    cohort = make_cohort(facilitator=facilitator)
    session = make_session(cohort, mode="in_person", meeting_link="https://meet.example.org/old")
    page = Client().get(entry_url(invite(session, facilitator))).content.decode()
    assert "meet.example.org" not in page


def test_the_guest_downloads_that_sessions_material_as_an_attachment(session, participant) -> None:
    invitation = invite(session, participant)
    material = add_text_material(session, "Crisis plan", b"Who to call in a crisis.")
    response = Client().get(material_url(invitation, material.uuid))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Crisis plan.txt"'
    assert b"".join(response.streaming_content) == b"Who to call in a crisis."  # type: ignore[attr-defined]


def test_the_guest_sees_that_session_only(session, participant) -> None:
    invitation = invite(session, participant)
    other = make_session(session.cohort, title="Workshop 6: Self to others", agenda="Secret plans")
    other_material = add_text_material(other, "Workshop 6 handout")
    page = Client().get(entry_url(invitation)).content.decode()
    assert "Workshop 6" not in page and "Secret plans" not in page
    assert Client().get(material_url(invitation, other_material.uuid)).status_code == 404
    assert not GuestVisit.objects.filter(what__startswith="material").exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(-3, -1), (1, 3)],
    ids=["expired", "not yet open"],
)
def test_a_link_outside_its_time_window_shows_a_plain_not_found_page(
    session, participant, start, end
) -> None:
    invitation = invite(session, participant)
    material = add_text_material(session)
    now = timezone.now()
    move_window(
        GuestInvitation.objects.filter(pk=invitation.pk),
        now + timedelta(days=start),
        now + timedelta(days=end),
    )
    for url in [entry_url(invitation), material_url(invitation, material.uuid)]:
        response = Client().get(url)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert not GuestVisit.objects.exists()


def test_a_withdrawn_or_made_up_link_shows_a_plain_not_found_page(session, participant) -> None:
    invitation = invite(session, participant)
    material = add_text_material(session)
    revoke_invitation(invitation=invitation, by=participant)
    for url in [
        entry_url(invitation),
        material_url(invitation, material.uuid),
        reverse("guests:guest_entry", kwargs={"token": "not-a-real-token"}),
    ]:
        response = Client().get(url)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_every_guest_view_is_logged_and_audited(session, participant) -> None:
    invitation = invite(session, participant)
    material = add_text_material(session)
    guest = Client(REMOTE_ADDR="203.0.113.9")
    guest.get(entry_url(invitation))
    guest.get(material_url(invitation, material.uuid))
    assert sorted(GuestVisit.objects.values_list("what", "ip")) == [
        (f"material {material.uuid}", "203.0.113.9"),
        ("session page", "203.0.113.9"),
    ]
    events = AuditEvent.objects.filter(action="guest.visited", target_id=str(invitation.uuid))
    assert sorted(e.detail["what"] for e in events) == ["material " + str(material.uuid), "session page"]
    assert all(set(e.detail) == {"session", "what"} for e in events)


def test_guest_pages_never_show_member_names_or_session_notes(session, participant, facilitator) -> None:
    invitation = invite(session, participant)
    save_closing_report(
        session=session,
        by=facilitator,
        notes="Amara shared a hard week.",
        reflections="Reflections",
        follow_ups="Follow up with Amara",
        complete=True,
    )
    page = Client().get(entry_url(invitation)).content.decode()
    for private in ["Persona", "Amara", "Okafor", "@example.org", "hard week", "Follow up"]:
        assert private not in page, private


def test_guest_pages_send_no_referrer_and_no_store_and_set_no_cookies(session, participant) -> None:
    invitation = invite(session, participant)
    material = add_text_material(session)
    for url in [
        entry_url(invitation),
        material_url(invitation, material.uuid),
        reverse("guests:guest_entry", kwargs={"token": "not-a-real-token"}),
    ]:
        response = Client().get(url)
        assert response["Referrer-Policy"] == "no-referrer", url
        assert "no-store" in response["Cache-Control"], url
        assert not response.cookies, url


def test_guest_links_answer_only_get(session, participant) -> None:
    invitation = invite(session, participant)
    assert Client().post(entry_url(invitation)).status_code == 405
    assert not GuestVisit.objects.exists()
