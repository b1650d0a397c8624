from datetime import UTC, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.calendars import events, services
from carecommons.calendars.tests.factories import contact_consent, member, parse
from carecommons.programmes import services as programme_services
from carecommons.programmes.models import Cohort, Session
from carecommons.programmes.tests.factories import make_cohort, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(facilitator: Any) -> Cohort:
    cohort = make_cohort(facilitator=facilitator)
    contact_consent(facilitator)
    member(cohort, "Ada")
    member(cohort, "Ben", consents=False)
    return cohort


def ics_time(moment: Any) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def move(session: Session, by: timedelta) -> Session:
    start = session.starts_at + by
    return programme_services.update_session(
        session=session, by=None, starts_at=start, ends_at=start + timedelta(hours=2)
    )


def test_rescheduling_emails_the_consenting_cohort_with_the_new_time(
    cohort, django_capture_on_commit_callbacks
):
    session = make_session(cohort, title="Workshop 2")
    with django_capture_on_commit_callbacks(execute=True):
        moved = move(session, timedelta(days=2))
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "facilitator@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("[Care Commons] Moved: Workshop 2 is now on")
    assert "has moved to a new time" in message.body
    [event] = parse(message.attachments[0][1])
    assert event["DTSTART"] == ics_time(moved.starts_at)
    assert event["UID"] == f"{session.uuid}@carecommons"
    assert AuditEvent.objects.filter(action="session.rescheduled_notice_sent").count() == 1


def test_changing_a_session_without_moving_it_emails_nobody(cohort, django_capture_on_commit_callbacks):
    session = make_session(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.update_session(session=session, by=None, agenda="Tea first")
    assert mail.outbox == []


def test_cancelling_emails_the_cohort_and_the_attachment_says_cancelled(
    cohort, django_capture_on_commit_callbacks
):
    session = make_session(
        cohort, title="Workshop 4", mode="online", meeting_link="https://meet.example.org/x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.cancel_session(session=session, by=None)
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject.startswith("[Care Commons] Cancelled: Workshop 4 on")
    assert "meet.example.org" not in message.body
    [event] = parse(message.attachments[0][1])
    assert event["STATUS"] == "CANCELLED"


def test_a_move_overtaken_by_a_later_move_or_a_cancellation_sends_nothing(cohort):
    session = make_session(cohort)
    first_start = move(session, timedelta(days=1)).starts_at
    move(session, timedelta(days=2))
    assert services.send_notice(session_id=session.pk, kind="rescheduled", planned_start=first_start) == 0
    programme_services.cancel_session(session=session, by=None)
    session.refresh_from_db()
    assert (
        services.send_notice(session_id=session.pk, kind="rescheduled", planned_start=session.starts_at) == 0
    )
    assert services.send_notice(session_id=session.pk, kind="cancelled", planned_start=session.starts_at) == 2


def test_nobody_is_told_about_a_session_that_has_already_ended(cohort):
    past = make_session(cohort, starts_at=timezone.now() - timedelta(days=3))
    programme_services.cancel_session(session=past, by=None)
    assert services.send_notice(session_id=past.pk, kind="cancelled", planned_start=past.starts_at) == 0


def test_a_change_that_is_rolled_back_tells_nobody(cohort, django_capture_on_commit_callbacks):
    session = make_session(cohort)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move(session, timedelta(days=1))
    assert len(callbacks) == 1  # the notice waits for the commit
    assert mail.outbox == []


def test_the_sequence_grows_with_each_change_so_calendars_replace_what_they_hold(cohort):
    session = make_session(cohort)
    later = session.created_at + timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(updated_at=later)
    session.refresh_from_db()
    assert events.sequence(session) == 3600
    Session.objects.filter(pk=session.pk).update(cancelled_at=later + timedelta(seconds=5))
    session.refresh_from_db()
    assert events.sequence(session) == 3605
