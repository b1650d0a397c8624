from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.calendars import demo
from carecommons.calendars.events import feed_text
from carecommons.calendars.models import CalendarFeed
from carecommons.calendars.tests.factories import member, parse
from carecommons.programmes import services as programme_services
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session, person_of

pytestmark = pytest.mark.django_db

SETTINGS = reverse("calendars:feed_settings")


def feed_path(feed: CalendarFeed) -> str:
    return reverse("calendars:feed", args=[feed.token])


def make_feed(client: Client) -> CalendarFeed:
    client.post(SETTINGS, {"action": "create"})
    return CalendarFeed.objects.active().get()


def test_a_participant_makes_a_feed_and_it_shows_only_their_own_sessions(participant, client_for):
    mine = make_cohort(name="Mine")
    enrol(mine, participant)
    member(mine, "Ada")
    make_session(mine, title="My workshop")
    make_session(make_cohort(name="Not mine"), title="Someone else's workshop")
    make_session(mine, title="Long ago", starts_at=timezone.now() - timedelta(days=90))
    waiting = make_cohort(name="Waiting")
    enrol(waiting, participant, status="waitlisted")
    make_session(waiting, title="Not yet my workshop")

    feed = make_feed(client_for(participant))
    response = Client().get(feed_path(feed))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert [e["SUMMARY"] for e in parse(response.content.decode())] == ["My workshop"]


def test_a_facilitator_feed_shows_the_cohorts_they_facilitate(facilitator, client_for):
    cohort = make_cohort(facilitator=facilitator)
    make_session(cohort, title="I facilitate this")
    feed = make_feed(client_for(facilitator))
    assert "I facilitate this" in Client().get(feed_path(feed)).content.decode()


def test_a_convenor_feed_is_personal_not_every_session(convenor, client_for):
    make_session(make_cohort(), title="Somebody's workshop")
    feed = make_feed(client_for(convenor))
    assert parse(Client().get(feed_path(feed)).content.decode()) == []


def test_the_feed_holds_no_one_else_s_details(facilitator, participant, client_for):
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    other = member(cohort, "Zebedee")
    make_session(cohort, title="Workshop", facilitators=[person_of(facilitator)])
    text = Client().get(feed_path(make_feed(client_for(participant)))).content.decode()
    for detail in (other.given_name, other.email, "Facilitator", facilitator.email, participant.email):
        assert detail not in text


def test_a_cancelled_session_stays_in_the_feed_marked_cancelled(participant, client_for):
    cohort = make_cohort()
    enrol(cohort, participant)
    session = make_session(cohort, title="Called off")
    programme_services.cancel_session(session=session, by=None)
    [event] = parse(Client().get(feed_path(make_feed(client_for(participant)))).content.decode())
    assert event["STATUS"] == "CANCELLED"


def test_a_new_address_stops_the_old_one_and_turning_it_off_stops_both(participant, client_for):
    client = client_for(participant)
    old = make_feed(client)
    client.post(SETTINGS, {"action": "replace"})
    new = CalendarFeed.objects.active().get()
    assert new.token != old.token
    assert Client().get(feed_path(old)).status_code == 404
    assert Client().get(feed_path(new)).status_code == 200
    assert new.token in client.get(SETTINGS).content.decode()
    client.post(SETTINGS, {"action": "revoke"})
    assert Client().get(feed_path(new)).status_code == 404
    assert CalendarFeed.objects.active().count() == 0


def test_an_unknown_token_is_a_404(client):
    assert client.get(reverse("calendars:feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("calendars:feed", args=["x" * 500])).status_code == 404


def test_a_closed_account_s_feed_stops_working(participant, client_for):
    feed = make_feed(client_for(participant))
    User.objects.filter(pk=participant.pk).update(is_active=False)
    assert Client().get(feed_path(feed)).status_code == 404


def test_making_a_feed_twice_keeps_one_address(participant, client_for):
    client = client_for(participant)
    client.post(SETTINGS, {"action": "create"})
    client.post(SETTINGS, {"action": "create"})
    assert CalendarFeed.objects.count() == 1


def test_looking_at_the_page_changes_nothing_and_a_bad_button_changes_nothing(participant, client_for):
    client = client_for(participant)
    page = client.get(SETTINGS)
    assert page.status_code == 200 and "Make my calendar address" in page.content.decode()
    client.post(SETTINGS, {"action": "delete-everything"})
    assert CalendarFeed.objects.count() == 0


def test_making_and_turning_off_a_feed_is_audited_but_reading_it_is_not(participant, client_for):
    client = client_for(participant)
    feed = make_feed(client)
    for _ in range(3):
        Client().get(feed_path(feed))
    client.post(SETTINGS, {"action": "revoke"})
    actions = list(AuditEvent.objects.filter(action__startswith="calendar.").values_list("action", flat=True))
    assert sorted(actions) == ["calendar.feed_created", "calendar.feed_revoked"]
    assert all(feed.token not in str(e.detail) for e in AuditEvent.objects.all())


def test_the_feed_query_count_does_not_grow_with_sessions(
    participant, client_for, django_assert_max_num_queries
):
    cohort = make_cohort()
    enrol(cohort, participant)
    feed = make_feed(client_for(participant))
    make_session(cohort)
    with django_assert_max_num_queries(3):
        Client().get(feed_path(feed))
    for n in range(10):
        make_session(cohort, title=f"Extra {n}", starts_at=timezone.now() + timedelta(days=n + 10))
    with django_assert_max_num_queries(3):
        response = Client().get(feed_path(feed))
    assert len(parse(response.content.decode())) == 11


def test_a_member_downloads_one_session_as_a_calendar_file(participant, client_for):
    cohort = make_cohort()
    enrol(cohort, participant)
    session = make_session(
        cohort, title="Workshop 5", mode="online", meeting_link="https://meet.example.org/q"
    )
    response = client_for(participant).get(reverse("calendars:session_ics", args=[session.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="session-{session.uuid}.ics"'
    [event] = parse(response.content.decode())
    assert event["SUMMARY"] == "Workshop 5" and event["LOCATION"] == "Online: https://meet.example.org/q"


def test_someone_outside_the_cohort_cannot_download_its_session(participant, client_for):
    session = make_session(make_cohort())
    url = reverse("calendars:session_ics", args=[session.uuid])
    assert client_for(participant).get(url).status_code == 404


def test_the_demo_gives_the_people_it_names_a_feed(participant: Any):
    person = person_of(participant)
    demo.load(people=[person])
    demo.load(people=[person])
    assert CalendarFeed.objects.active().filter(person=person).count() == 1


@override_settings(SITE_NAME="Northside Care")
def test_a_feed_is_named_after_the_site() -> None:
    assert "\r\nX-WR-CALNAME:Northside Care sessions\r\n" in feed_text([])
