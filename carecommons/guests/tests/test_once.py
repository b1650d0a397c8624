"""Inviting a guest is a create form: the same form sent twice invites once and says so as the first."""

import uuid

import pytest
from django.urls import reverse

from carecommons.guests.models import GuestInvitation
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session

pytestmark = pytest.mark.django_db


def test_the_same_invitation_form_sent_twice_invites_the_guest_once(
    facilitator, participant, client_for
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    session = make_session(cohort, title="Workshop 5")
    url = reverse("guests:session_guests", args=[session.uuid])
    client = client_for(participant)
    assert 'name="submission"' in client.get(url).content.decode()
    data = {
        "submission": str(uuid.uuid4()),
        "guest_name": "Sam",
        "guest_email": "sam@example.org",
        "purpose": "To help",
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert GuestInvitation.objects.count() == 1
