from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.lib.urls import absolute_url
from carecommons.programmes.models import Enrolment, EnrolmentStatus
from carecommons.programmes.tests.factories import person_of
from carecommons.signups import services
from carecommons.signups.tests.factories import accepted, apply_as, open_cohort, publish_wordings, waiting

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


def full_cohort_with_a_queue():
    cohort = open_cohort(capacity=1)
    holder = accepted(cohort, "holder@example.org")
    first = waiting(cohort, "first@example.org")
    second = waiting(cohort, "second@example.org")
    return holder, first, second


def refreshed(*enrolments: Enrolment) -> list[str]:
    return [Enrolment.objects.get(pk=e.pk).status for e in enrolments]


def test_a_withdrawal_offers_the_place_to_the_first_on_the_waiting_list_by_email(
    django_capture_on_commit_callbacks,
) -> None:
    holder, first, second = full_cohort_with_a_queue()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(enrolment=holder, by=None)
    assert refreshed(holder, first, second) == [S.WITHDRAWN, S.OFFERED, S.WAITLISTED]
    first.refresh_from_db()
    assert len(first.response_token) >= 40
    assert first.offer_expires_at - timezone.now() > timedelta(days=6, hours=23)
    [email] = mail.outbox
    assert email.to == ["first@example.org"]
    link = absolute_url(reverse("signups:offer_response", args=[first.response_token]))
    assert link in email.body
    assert (
        first.offer_expires_at.astimezone(timezone.get_current_timezone()).strftime("%-d %B %Y") in email.body
    )


def test_withdrawing_without_a_place_offers_nothing() -> None:
    holder, first, second = full_cohort_with_a_queue()
    services.withdraw(enrolment=second, by=None)
    assert refreshed(holder, first, second) == [S.ACCEPTED, S.WAITLISTED, S.WITHDRAWN]


def test_taking_the_offered_place_through_the_link_works_once(
    client, django_capture_on_commit_callbacks
) -> None:
    holder, first, _ = full_cohort_with_a_queue()
    services.withdraw(enrolment=holder, by=None)
    first.refresh_from_db()
    url = reverse("signups:offer_response", args=[first.response_token])
    page = client.get(url).content.decode()
    assert "A place has come up for you" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"choice": "accept"})
    assert "Your place is confirmed" in response.content.decode()
    assert refreshed(first) == [S.ACCEPTED]
    assert mail.outbox[0].subject.startswith("[Care Commons] You have a place")
    assert client.post(url, {"choice": "decline"}).status_code == 404
    assert client.get(url).status_code == 404
    assert refreshed(first) == [S.ACCEPTED]
    assert AuditEvent.objects.filter(action="signup.offer_accepted", actor=None).exists()


def test_turning_down_the_offer_passes_it_to_the_next_person(client) -> None:
    holder, first, second = full_cohort_with_a_queue()
    services.withdraw(enrolment=holder, by=None)
    first.refresh_from_db()
    response = client.post(
        reverse("signups:offer_response", args=[first.response_token]), {"choice": "decline"}
    )
    assert "Thank you for letting us know" in response.content.decode()
    assert refreshed(first, second) == [S.DECLINED, S.OFFERED]


def test_an_expired_offer_passes_on_when_its_link_is_opened(
    client, django_capture_on_commit_callbacks
) -> None:
    holder, first, second = full_cohort_with_a_queue()
    services.withdraw(enrolment=holder, by=None)
    first.refresh_from_db()
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("signups:offer_response", args=[first.response_token]))
    assert "This offer has ended" in response.content.decode()
    assert refreshed(first, second) == [S.WITHDRAWN, S.OFFERED]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "has passed on" in subjects["first@example.org"]
    assert "has come up for you" in subjects["second@example.org"]


def test_accepting_an_expired_offer_is_too_late(client) -> None:
    holder, first, second = full_cohort_with_a_queue()
    services.withdraw(enrolment=holder, by=None)
    first.refresh_from_db()
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(
        reverse("signups:offer_response", args=[first.response_token]), {"choice": "accept"}
    )
    assert "This offer has ended" in response.content.decode()
    assert refreshed(first, second) == [S.WITHDRAWN, S.OFFERED]


def test_the_worker_task_and_the_command_pass_on_expired_offers(django_capture_on_commit_callbacks) -> None:
    from carecommons.signups.tasks import expire_offers

    holder, first, second = full_cohort_with_a_queue()
    other_holder, other_first, _ = full_cohort_with_a_queue()
    services.withdraw(enrolment=holder, by=None)
    services.withdraw(enrolment=other_holder, by=None)
    assert services.expire_offers() == 0
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = expire_offers.enqueue()
    assert result.return_value == 1
    assert refreshed(first, second, other_first) == [S.WITHDRAWN, S.OFFERED, S.OFFERED]
    assert {m.to[0] for m in mail.outbox} == {"first@example.org", "second@example.org"}
    Enrolment.objects.filter(pk=second.pk).update(offer_expires_at=timezone.now() - timedelta(hours=1))
    call_command("expire_offers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert refreshed(second) == [S.WITHDRAWN]
    assert AuditEvent.objects.filter(action="signup.offer_expired").count() == 2


def test_an_unknown_token_is_a_404(client) -> None:
    assert client.get(reverse("signups:offer_response", args=["x" * 43])).status_code == 404
    assert client.get(reverse("signups:offer_response", args=["short"])).status_code == 404


def test_a_participant_withdraws_their_own_application(participant, client_for) -> None:
    cohort = open_cohort(capacity=1)
    own = services.accept(enrolment=apply_as(cohort, participant.email), by=None)
    assert own.person == person_of(participant)
    next_in_line = waiting(cohort, "next@example.org")
    client = client_for(participant)
    url = reverse("signups:withdraw", args=[own.uuid])
    assert "Withdraw your application" in client.get(url).content.decode()
    assert client.post(url)["Location"] == reverse("home:index")
    assert refreshed(own, next_in_line) == [S.WITHDRAWN, S.OFFERED]
    event = AuditEvent.objects.get(action="signup.withdrawn")
    assert (event.actor, event.detail["by_self"]) == (participant, True)
    assert "already been closed" in client.get(url).content.decode()


def test_a_convenor_withdraws_someone_and_returns_to_the_applications(convenor, client_for) -> None:
    holder, first, _ = full_cohort_with_a_queue()
    response = client_for(convenor).post(reverse("signups:withdraw", args=[holder.uuid]))
    assert response["Location"] == reverse("signups:applications", args=[holder.cohort.uuid])
    assert refreshed(holder, first) == [S.WITHDRAWN, S.OFFERED]


def test_the_offer_email_is_not_sent_once_the_offer_is_answered() -> None:
    from carecommons.signups.emails import send_signup_email

    holder, first, _ = full_cohort_with_a_queue()
    services.withdraw(enrolment=holder, by=None)
    first.refresh_from_db()
    services.respond_to_offer(token=first.response_token, accept=True)
    mail.outbox.clear()
    assert send_signup_email(enrolment_id=first.pk, kind="offered") is False
    assert mail.outbox == []


def test_emails_about_an_application_are_sent_whatever_the_contact_consent(
    django_capture_on_commit_callbacks,
) -> None:
    publish_wordings()
    cohort = open_cohort()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = apply_as(cohort, "no-contact@example.org", consents={"contact": False})
        services.decline(enrolment=enrolment, by=None)
    assert [m.to for m in mail.outbox] == [["no-contact@example.org"]] * 2
