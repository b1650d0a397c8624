import time

import pytest
from django.urls import reverse

from carecommons.people.models import Person
from carecommons.programmes.models import Enrolment
from carecommons.signups import spam
from carecommons.signups.tests.factories import form_data, open_cohort, publish_wordings

pytestmark = pytest.mark.django_db


def post(client, cohort, data):
    return client.post(reverse("signups:cohort_signup", args=[cohort.uuid]), data)


def nothing_created() -> bool:
    return not Enrolment.objects.exists() and not Person.objects.exists()


def test_a_filled_in_honeypot_is_refused_with_a_plain_message(client) -> None:
    cohort = open_cohort()
    response = post(client, cohort, form_data(cohort, website="http://cheap.example"))
    assert response.status_code == 200
    assert "we could not accept this form" in response.content.decode()
    assert nothing_created()


def test_a_form_sent_faster_than_a_person_can_read_it_is_refused_then_accepted_later(client) -> None:
    cohort = open_cohort()
    response = post(client, cohort, form_data(cohort, seconds_ago=1))
    assert "quicker than anyone can read this form" in response.content.decode()
    assert nothing_created()
    assert post(client, cohort, form_data(cohort, seconds_ago=4)).status_code == 302


def test_a_form_opened_more_than_a_day_ago_is_refused_and_given_a_fresh_start(client) -> None:
    cohort = open_cohort()
    response = post(client, cohort, form_data(cohort, seconds_ago=25 * 3600))
    assert "more than a day ago" in response.content.decode()
    assert nothing_created()
    fresh = response.context["form"].data["started"]
    assert spam.token_problem(fresh, str(cohort.uuid), now=time.time() + 5) is None


def test_a_missing_tampered_or_borrowed_start_time_is_refused(client) -> None:
    cohort, other = open_cohort(), open_cohort()
    token = spam.form_token(str(other.uuid), now=time.time() - 30)
    for started in (None, "nonsense", token, token[:-2] + "xx"):
        response = post(client, cohort, form_data(cohort, started=started))
        assert "could not check this form" in response.content.decode()
    assert nothing_created()


def test_an_address_is_limited_to_ten_applications_an_hour(client) -> None:
    publish_wordings()
    cohort = open_cohort()
    for n in range(spam.LIMIT_PER_HOUR):
        assert post(client, cohort, form_data(cohort, email=f"p{n}@example.org")).status_code == 302
    response = post(client, cohort, form_data(cohort, email="one-more@example.org"))
    assert "a lot of applications from your internet connection" in response.content.decode()
    assert not Person.objects.filter(email="one-more@example.org").exists()
    assert Enrolment.objects.count() == spam.LIMIT_PER_HOUR
    other_address = client.post(
        reverse("signups:cohort_signup", args=[cohort.uuid]),
        form_data(cohort, email="elsewhere@example.org"),
        REMOTE_ADDR="203.0.113.9",
    )
    assert other_address.status_code == 302


def test_the_limit_counts_per_hour() -> None:
    now = 1_800_000_000.0
    for _ in range(spam.LIMIT_PER_HOUR):
        spam.count_application("198.51.100.7", now=now)
    assert spam.over_limit("198.51.100.7", now=now)
    assert not spam.over_limit("198.51.100.7", now=now + 3600)
    assert not spam.over_limit(None, now=now)
