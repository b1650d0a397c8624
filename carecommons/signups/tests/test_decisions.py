import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.programmes.models import Enrolment, EnrolmentStatus
from carecommons.signups import services
from carecommons.signups.tests.factories import accepted, apply_as, open_cohort, waiting

pytestmark = pytest.mark.django_db


def test_a_convenor_accepts_declines_and_waitlists_and_each_person_is_emailed(
    convenor, client_for, django_capture_on_commit_callbacks
) -> None:
    cohort = open_cohort(capacity=5)
    ada, bo, cy = (apply_as(cohort, f"{n}@example.org") for n in ("ada", "bo", "cy"))
    client = client_for(convenor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for enrolment, decision in ((ada, "accept"), (bo, "decline"), (cy, "waitlist")):
            response = client.post(reverse("signups:decide", args=[enrolment.uuid]), {"decision": decision})
            assert response["Location"] == reverse("signups:applications", args=[cohort.uuid])
    statuses = dict(Enrolment.objects.values_list("person__email", "status"))
    assert statuses == {
        "ada@example.org": "accepted",
        "bo@example.org": "declined",
        "cy@example.org": "waitlisted",
    }
    emails = {m.to[0]: m for m in mail.outbox}
    assert emails["ada@example.org"].subject.startswith("[Care Commons] You have a place on")
    assert "cannot offer you a place" in emails["bo@example.org"].body
    assert "you are on the waiting list" in emails["cy@example.org"].body
    events = AuditEvent.objects.filter(actor=convenor, action__startswith="signup.")
    assert sorted(events.values_list("action", flat=True)) == [
        "signup.accepted",
        "signup.declined",
        "signup.waitlisted",
    ]
    assert all(set(e.detail) == {"cohort", "person"} for e in events)


def test_accepting_beyond_capacity_is_refused_with_a_clear_message(convenor, client_for) -> None:
    cohort = open_cohort(capacity=1)
    accepted(cohort, "first@example.org")
    second = apply_as(cohort, "second@example.org")
    with pytest.raises(ValidationError, match="All 1 places are taken"):
        services.accept(enrolment=second, by=convenor)
    response = client_for(convenor).post(
        reverse("signups:decide", args=[second.uuid]), {"decision": "accept"}, follow=True
    )
    assert "places are taken" in response.content.decode()
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.APPLIED


def test_an_offered_place_counts_against_capacity() -> None:
    cohort = open_cohort(capacity=1)
    first = accepted(cohort, "first@example.org")
    next_in_line = waiting(cohort, "next@example.org")
    services.withdraw(enrolment=first, by=None)
    next_in_line.refresh_from_db()
    assert next_in_line.status == EnrolmentStatus.OFFERED
    with pytest.raises(ValidationError):
        services.accept(enrolment=apply_as(cohort, "late@example.org"), by=None)


def test_a_decision_that_no_longer_fits_the_status_is_refused() -> None:
    cohort = open_cohort()
    enrolment = accepted(cohort, "a@example.org")
    with pytest.raises(ValidationError, match="now “accepted”"):
        services.decline(enrolment=enrolment, by=None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers"
)
def test_two_convenors_accepting_at_once_cannot_overfill_the_cohort() -> None:
    cohort = open_cohort(capacity=1)
    applicants = [apply_as(cohort, f"racer{n}@example.org") for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(enrolment: Enrolment) -> None:
        barrier.wait()
        try:
            services.accept(enrolment=enrolment, by=None)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(e,)) for e in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Enrolment.objects.filter(cohort=cohort).holding_places().count() == 1


def test_the_applications_page_shows_each_status_with_organisation_access_needs_and_answers(
    convenor, client_for
) -> None:
    cohort = open_cohort()
    question = services.add_question(cohort=cohort, by=None, text="Been before?", kind="yes_no")
    apply_as(
        cohort,
        "ada@example.org",
        organisation_name="Hulme Recovery Cafe",
        access_needs="Large print",
        answers={str(question.pk): "yes"},
    )
    waiting(cohort, "wait@example.org")
    page = client_for(convenor).get(reverse("signups:applications", args=[cohort.uuid])).content.decode()
    assert "Hulme Recovery Cafe" in page
    assert "Large print" in page
    assert "<dt>Been before?</dt><dd>Yes</dd>" in page
    assert "Waiting for a decision (1)" in page
    assert "Waiting list, in order (1)" in page
    assert AuditEvent.objects.filter(action="signup.applications_viewed", actor=convenor).exists()


def test_the_applications_page_query_count_does_not_grow_with_applications(convenor, client_for) -> None:
    cohort = open_cohort(capacity=100)
    services.add_question(cohort=cohort, by=None, text="Why?", kind="text")
    client = client_for(convenor)
    url = reverse("signups:applications", args=[cohort.uuid])

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            enrolment = apply_as(cohort, f"p{n}@example.org", organisation_name=f"Group {n % 4}")
            if n % 3 == 1:
                services.accept(enrolment=enrolment, by=None)
            elif n % 3 == 2:
                services.waitlist(enrolment=enrolment, by=None)

    add(3, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(27, 3)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "persona", ["facilitator", "participant", "organiser", "treasurer", "evaluator", "outsider"]
)
def test_only_convenors_reach_the_staff_pages(persona, make_persona, client_for) -> None:
    cohort = open_cohort()
    enrolment = apply_as(cohort, "a@example.org")
    client = client_for(make_persona(persona))
    assert client.get(reverse("signups:applications", args=[cohort.uuid])).status_code == 404
    assert client.get(reverse("signups:questions", args=[cohort.uuid])).status_code == 404
    assert (
        client.post(reverse("signups:decide", args=[enrolment.uuid]), {"decision": "accept"}).status_code
        == 404
    )
    assert client.get(reverse("signups:withdraw", args=[enrolment.uuid])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.APPLIED


def test_a_facilitator_of_the_cohort_still_cannot_decide_on_applications(facilitator, client_for) -> None:
    from carecommons.programmes.tests.factories import person_of

    cohort = open_cohort()
    from carecommons.programmes.services import add_facilitator

    add_facilitator(cohort=cohort, person=person_of(facilitator), lived_experience_leader=False, by=None)
    assert client_for(facilitator).get(reverse("signups:applications", args=[cohort.uuid])).status_code == 404
