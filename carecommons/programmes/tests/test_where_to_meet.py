"""Where a session meets: online and hybrid need a link, in person and hybrid a place. One rule on the
model (clean and two database constraints), kept by the service and shown by the form."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecommons.programmes import services
from carecommons.programmes.forms import SessionForm
from carecommons.programmes.models import Session, SessionMode, where_to_meet_errors
from carecommons.programmes.tests.factories import make_cohort, make_programme, make_session

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/care-1"


def test_the_rule_asks_online_for_a_link_in_person_for_a_place_and_hybrid_for_both() -> None:
    assert set(where_to_meet_errors(SessionMode.ONLINE, "", "")) == {"meeting_link"}
    assert set(where_to_meet_errors(SessionMode.IN_PERSON, "", LINK)) == {"location"}
    assert set(where_to_meet_errors(SessionMode.HYBRID, "", "")) == {"meeting_link", "location"}
    assert where_to_meet_errors(SessionMode.ONLINE, "", LINK) == {}
    assert where_to_meet_errors(SessionMode.IN_PERSON, "Hall", "") == {}


@pytest.mark.parametrize(
    ("mode", "location", "meeting_link", "field"),
    [
        (SessionMode.ONLINE, "Hall", "", "meeting_link"),
        (SessionMode.IN_PERSON, "", LINK, "location"),
        (SessionMode.HYBRID, "Hall", "", "meeting_link"),
        (SessionMode.HYBRID, "", LINK, "location"),
    ],
)
def test_the_service_refuses_to_schedule_a_session_with_nowhere_to_meet(
    mode: str, location: str, meeting_link: str, field: str
) -> None:
    cohort = make_cohort(make_programme(workshops=1))
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.schedule_session(
            cohort=cohort,
            by=None,
            title="Workshop",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            mode=mode,
            location=location,
            meeting_link=meeting_link,
        )
    assert field in refused.value.message_dict
    assert not Session.objects.filter(cohort=cohort).exists()


def test_the_service_refuses_to_move_a_session_online_without_a_link() -> None:
    session = make_session(make_cohort(make_programme(workshops=1)))
    with pytest.raises(ValidationError) as refused:
        services.update_session(session=session, by=None, mode=SessionMode.ONLINE)
    assert refused.value.message_dict == {"meeting_link": ["Online and hybrid sessions need a meeting link."]}
    session.refresh_from_db()
    assert session.mode == SessionMode.IN_PERSON


def test_the_database_refuses_an_online_session_without_a_link_and_an_in_person_one_without_a_place() -> None:
    online = make_session(
        make_cohort(make_programme(workshops=1)), mode=SessionMode.ONLINE, meeting_link=LINK
    )
    in_person = make_session(online.cohort, location="Hall")
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=online.pk).update(meeting_link="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=in_person.pk).update(location="")


def test_the_session_form_shows_the_rule_beside_both_fields() -> None:
    cohort = make_cohort(make_programme(workshops=1))
    form = SessionForm(
        {
            "title": "Workshop",
            "starts_at": "2027-01-05T10:00",
            "ends_at": "2027-01-05T12:00",
            "mode": SessionMode.HYBRID,
        },
        cohort=cohort,
    )
    assert not form.is_valid()
    assert form.errors["meeting_link"] == ["Online and hybrid sessions need a meeting link."]
    assert form.errors["location"] == ["In-person and hybrid sessions need a place."]
