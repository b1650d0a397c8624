from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.guests import demo
from carecommons.guests.models import GuestInvitation, InvitationStatus
from carecommons.guests.services import invite_guest, revoke_invitation
from carecommons.guests.tests.factories import add_text_material, invite
from carecommons.programmes.models import Session
from carecommons.programmes.services import cancel_session
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(facilitator, participant) -> Session:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    return make_session(cohort, title="Workshop 5")


def guests_url(session: Session) -> str:
    return reverse("guests:session_guests", kwargs={"session_id": session.uuid})


def revoke_url(invitation: GuestInvitation) -> str:
    return reverse("guests:revoke", kwargs={"invitation_id": invitation.uuid})


def test_a_link_lasts_until_the_day_after_the_session_by_default(session, participant) -> None:
    invitation = invite(session, participant)
    assert invitation.valid_until == session.ends_at + timedelta(days=1)
    assert invitation.valid_from <= timezone.now() < invitation.valid_until
    assert invitation.status() == InvitationStatus.ACTIVE
    assert len(invitation.token) >= 43


def test_a_link_for_a_far_off_session_opens_30_days_before_it_closes(facilitator) -> None:
    cohort = make_cohort(facilitator=facilitator)
    session = make_session(cohort, starts_at=timezone.now() + timedelta(days=60))
    invitation = invite(session, facilitator)
    assert invitation.valid_until - invitation.valid_from == timedelta(days=30)
    assert invitation.status() == InvitationStatus.NOT_YET_OPEN


def test_a_link_can_work_for_at_most_30_days(session, participant) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        invite(session, participant, valid_from=now, valid_until=now + timedelta(days=31))
    assert "at most 30 days" in str(error.value)
    with pytest.raises(ValidationError):
        invite(session, participant, valid_from=now, valid_until=now - timedelta(minutes=1))
    assert not GuestInvitation.objects.exists()


def test_an_invitation_needs_a_purpose(session, participant, client_for) -> None:
    with pytest.raises(ValidationError):
        invite(session, participant, purpose="   ")
    response = client_for(participant).post(
        guests_url(session), {"guest_name": "Sam", "guest_email": "sam@example.org", "purpose": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'value="sam@example.org"' in response.content.decode()
    assert not GuestInvitation.objects.exists()


def test_a_second_click_does_not_invite_the_same_guest_twice(session, participant, client_for) -> None:
    data = {"guest_name": "Sam", "guest_email": "sam@example.org", "purpose": "To help"}
    client = client_for(participant)
    assert client.post(guests_url(session), data).status_code == 302
    again = client.post(guests_url(session), data | {"guest_email": "SAM@example.org"})
    assert again.status_code == 200 and "already have a link" in again.content.decode()
    assert GuestInvitation.objects.count() == 1
    revoke_invitation(invitation=GuestInvitation.objects.get(), by=participant)
    assert client.post(guests_url(session), data).status_code == 302
    assert GuestInvitation.objects.count() == 2


def test_nobody_can_be_invited_to_a_cancelled_session(session, participant, client_for) -> None:
    cancel_session(session=session, by=None)
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        invite(session, participant)


def test_people_outside_the_cohort_cannot_invite(session, outsider) -> None:
    with pytest.raises(Http404):
        invite(session, outsider)


def test_people_outside_the_cohort_cannot_withdraw_an_invitation_and_it_stays_open(
    session, participant, outsider
) -> None:
    invitation = invite(session, participant)
    with pytest.raises(Http404):
        revoke_invitation(invitation=invitation, by=outsider)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_members_see_each_invitation_with_purpose_inviter_validity_status_and_visit_log(
    session, participant, facilitator, client_for
) -> None:
    invitation = invite(session, participant)
    material = add_text_material(session, "Crisis plan")
    guest = Client()
    guest.get(reverse("guests:guest_entry", kwargs={"token": invitation.token}))
    guest.get(
        reverse("guests:guest_material", kwargs={"token": invitation.token, "material_id": material.uuid})
    )
    page = client_for(facilitator).get(guests_url(session)).content.decode()
    for expected in [
        "Bernadette Okonjo",
        "To talk about crisis support.",
        "Participant Persona",
        "Link works now",
        "Opened the session page",
        "Downloaded “Crisis plan”",
        "2 times",
    ]:
        assert expected in page, expected
    assert invitation.token not in page


def test_any_member_can_withdraw_an_invitation_made_by_another(
    session, participant, facilitator, client_for
) -> None:
    other_member = make_user("other-member", [])
    enrol(session.cohort, other_member)
    invitation = invite(session, facilitator)
    response = client_for(other_member).post(revoke_url(invitation), {"confirm": "yes"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == other_member
    assert Client().get(reverse("guests:guest_entry", kwargs={"token": invitation.token})).status_code == 404
    page = client_for(participant).get(guests_url(session)).content.decode()
    assert "Withdrawn" in page and "Other-Member Persona" in page


def test_withdrawing_twice_changes_nothing(session, participant, facilitator) -> None:
    invitation = invite(session, participant)
    first = revoke_invitation(invitation=invitation, by=participant).revoked_at
    again = revoke_invitation(invitation=invitation, by=facilitator)
    assert again.revoked_at == first and again.revoked_by == participant
    assert AuditEvent.objects.filter(action="guest.revoked").count() == 1


def test_a_participant_outside_the_cohort_cannot_see_or_withdraw_invitations(
    session, facilitator, client_for
) -> None:
    stranger = make_user("stranger", [])
    enrol(make_cohort(name="Another cohort"), stranger)
    invitation = invite(session, facilitator)
    client = client_for(stranger)
    assert client.get(guests_url(session)).status_code == 404
    assert client.post(guests_url(session), {"guest_name": "X"}).status_code == 404
    assert client.get(revoke_url(invitation)).status_code == 404
    assert client.post(revoke_url(invitation), {"confirm": "yes"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_applicant_whose_place_is_not_accepted_cannot_see_invitations(session, client_for) -> None:
    applicant = make_user("applicant", [])
    enrol(session.cohort, applicant, status="applied")
    assert client_for(applicant).get(guests_url(session)).status_code == 404


def test_inviting_and_withdrawing_are_audited_with_ids_only(session, participant) -> None:
    invitation = invite(session, participant)
    revoke_invitation(invitation=invitation, by=participant)
    events = AuditEvent.objects.filter(target_id=str(invitation.uuid)).order_by("at", "id")
    assert [e.action for e in events] == ["guest.invited", "guest.revoked"]
    assert all(e.detail == {"session": str(session.uuid)} for e in events)


def test_the_guests_page_query_count_does_not_grow_with_invitations(session, participant, client_for) -> None:
    client = client_for(participant)
    add_text_material(session)

    def add(n: int) -> None:
        for i in range(n):
            email = f"guest-{GuestInvitation.objects.count()}@example.org"
            invitation = invite(session, participant, guest_name=f"Guest {i}", guest_email=email)
            Client().get(reverse("guests:guest_entry", kwargs={"token": invitation.token}))
        revoke_invitation(invitation=invitation, by=participant)

    add(2)
    client.get(guests_url(session))
    with CaptureQueriesContext(connection) as few:
        assert client.get(guests_url(session)).status_code == 200
    add(8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(guests_url(session)).status_code == 200
    assert len(many) == len(few)


def test_demo_makes_one_working_invitation_and_one_withdrawn(session, facilitator) -> None:
    demo.load(session=session, inviter=facilitator)
    statuses = sorted(i.status() for i in GuestInvitation.objects.all())
    assert statuses == [InvitationStatus.ACTIVE, InvitationStatus.WITHDRAWN]
    nurse = GuestInvitation.objects.get(revoked_at__isnull=True)
    assert "crisis support" in nurse.purpose and nurse.visits.exists()


def test_demo_works_for_a_session_already_past(facilitator) -> None:
    cohort = make_cohort(facilitator=facilitator)
    past = make_session(cohort, starts_at=timezone.now() - timedelta(days=20))
    demo.load(session=past, inviter=facilitator)
    assert GuestInvitation.objects.usable().count() == 1


def test_invite_guest_refuses_a_blank_name(session, participant) -> None:
    with pytest.raises(ValidationError):
        invite_guest(
            session=session, by=participant, guest_name=" ", guest_email="a@example.org", purpose="Why"
        )


def test_withdrawing_asks_first_and_a_post_without_the_confirmation_changes_nothing(
    session, participant, facilitator, client_for
) -> None:
    invitation = invite(session, facilitator)
    client = client_for(participant)
    assert f'href="{revoke_url(invitation)}"' in client.get(guests_url(session)).content.decode()
    for response in (client.get(revoke_url(invitation)), client.post(revoke_url(invitation))):
        page = response.content.decode()
        assert response.status_code == 200
        assert "Yes, withdraw the invitation" in page and "No, go back" in page
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert not AuditEvent.objects.filter(action="guest.revoked").exists()
    assert AuditEvent.objects.filter(action="guest.revoke_asked", target_id=str(invitation.uuid)).count() == 2
    client.post(revoke_url(invitation), {"confirm": "yes"})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
