"""A guest link's window is bounded (lib/dates.py PLANNED): beside the field on the form, and in the
service for anything that does not come through a form."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carecommons.guests.models import GuestInvitation
from carecommons.guests.tests.factories import invite
from carecommons.programmes.models import Session
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session

pytestmark = pytest.mark.django_db

NOT_BEFORE_2000 = "Enter a date on or after 1 January 2000."


@pytest.fixture
def session(facilitator, participant) -> Session:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    return make_session(cohort, title="Workshop 5")


def test_a_link_window_from_year_1_to_year_3000_is_refused_beside_each_date(
    session, participant, client_for
) -> None:
    data = {
        "guest_name": "Sam",
        "guest_email": "sam@example.org",
        "purpose": "To talk about crisis support.",
        "valid_from": "0001-01-01T10:00",
        "valid_until": "3000-01-01T10:00",
    }
    response = client_for(participant).post(
        reverse("guests:session_guests", kwargs={"session_id": session.uuid}), data
    )
    errors = response.context["form"].errors
    assert errors["valid_from"] == [NOT_BEFORE_2000]
    assert errors["valid_until"][0].startswith("Enter a date no later than ")
    page = response.content.decode()
    assert 'value="0001-01-01T10:00"' in page and 'value="3000-01-01T10:00"' in page
    assert 'value="sam@example.org"' in page
    assert not GuestInvitation.objects.exists()


def test_the_service_refuses_a_link_window_from_year_1_or_until_year_3000(session, participant) -> None:
    with pytest.raises(ValidationError) as refused:
        invite(session, participant, valid_from=datetime(1, 1, 2, 12, tzinfo=UTC))
    assert refused.value.message_dict == {"valid_from": [NOT_BEFORE_2000]}
    with pytest.raises(ValidationError) as refused:
        invite(session, participant, valid_until=datetime(3000, 1, 1, 12, tzinfo=UTC))
    assert list(refused.value.message_dict) == ["valid_until"]
    assert refused.value.message_dict["valid_until"][0].startswith("Enter a date no later than ")
    assert not GuestInvitation.objects.exists()
