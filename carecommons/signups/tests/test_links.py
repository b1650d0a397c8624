"""Links that leave the page (emails, calendar feeds, the sign-up address) use the site's address."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from carecommons.calendars.models import CalendarFeed
from carecommons.lib.urls import DEVELOPMENT_SITE_URL, absolute_url, site_url
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session
from carecommons.signups import services
from carecommons.signups.tests.factories import accepted, open_cohort, waiting

pytestmark = pytest.mark.django_db
CONFIGURED = "https://care.example.org"


@override_settings(SITE_URL=CONFIGURED)
def test_the_link_in_an_offer_email_uses_the_configured_address(django_capture_on_commit_callbacks) -> None:
    cohort = open_cohort(capacity=1)
    holder = accepted(cohort, "holder@example.org")
    first = waiting(cohort, "first@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(enrolment=holder, by=None)
    first.refresh_from_db()
    [email] = mail.outbox
    assert f"{CONFIGURED}/" in email.body
    assert CONFIGURED + reverse("signups:offer_response", args=[first.response_token]) in email.body
    assert ":8000" not in email.body


@override_settings(SITE_URL=CONFIGURED)
def test_the_links_in_an_icalendar_feed_use_the_configured_address(participant, client_for) -> None:
    cohort = make_cohort()
    enrol(cohort, participant)
    session = make_session(cohort, title="My workshop")
    client = client_for(participant)
    page = client.post(reverse("calendars:feed_settings"), {"action": "create"}, follow=True)
    feed = CalendarFeed.objects.active().get()
    assert CONFIGURED + reverse("calendars:feed", args=[feed.token]) in page.content.decode()
    text = Client().get(reverse("calendars:feed", args=[feed.token])).content.decode()
    assert CONFIGURED + reverse("programmes:session_detail", args=[session.uuid]) in text.replace("\r\n ", "")
    assert ":8000" not in text


@override_settings(SITE_URL=CONFIGURED)
def test_the_sign_up_address_to_share_uses_the_configured_address(convenor, client_for) -> None:
    cohort = open_cohort()
    page = client_for(convenor).get(reverse("signups:applications", args=[cohort.uuid])).content.decode()
    assert CONFIGURED + reverse("signups:cohort_signup", args=[cohort.uuid]) in page


@override_settings(SITE_URL="")
def test_without_a_configured_address_pages_link_to_the_host_and_port_that_served_them(
    convenor, client_for
) -> None:
    cohort = open_cohort()
    client = client_for(convenor)
    page = client.get(reverse("signups:applications", args=[cohort.uuid]), HTTP_HOST="localhost:8123")
    assert (
        "http://localhost:8123" + reverse("signups:cohort_signup", args=[cohort.uuid])
        in page.content.decode()
    )


@override_settings(SITE_URL="")
def test_without_a_configured_address_or_a_request_links_use_the_development_address() -> None:
    assert site_url() == DEVELOPMENT_SITE_URL
    assert absolute_url("/x/") == DEVELOPMENT_SITE_URL + "/x/"


@override_settings(SITE_URL="https://care.example.org/")
def test_a_configured_address_wins_over_the_request_and_loses_its_trailing_slash(rf) -> None:
    request = rf.get("/", HTTP_HOST="localhost:8123")
    assert absolute_url("/x/", request) == "https://care.example.org/x/"
