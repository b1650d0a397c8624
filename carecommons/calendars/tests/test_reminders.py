from datetime import UTC, datetime, timedelta
from smtplib import SMTPRecipientsRefused
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from carecommons.audit.models import AuditEvent
from carecommons.calendars import services
from carecommons.calendars.models import ReminderSent
from carecommons.calendars.tests.factories import contact_consent, member, parse
from carecommons.programmes import services as programme_services
from carecommons.programmes.models import Cohort, Session
from carecommons.programmes.tests.factories import make_cohort, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(facilitator: Any) -> Cohort:
    cohort = make_cohort(facilitator=facilitator)
    contact_consent(facilitator)
    return cohort


def soon(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def remind(session: Session, kind: str = "day_before", **extra: Any) -> int:
    return services.send_reminder(session_id=session.pk, kind=kind, planned_start=session.starts_at, **extra)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminders_go_only_to_accepted_members_and_facilitators_who_agreed_to_be_contacted(cohort):
    member(cohort, "Ada")
    member(cohort, "Ben", consents=False)
    contact_consent(member(cohort, "Cara"), given=False)
    member(cohort, "Dev", status="waitlisted")
    elsewhere = member(make_cohort(name="Another cohort"), "Eve")
    session = make_session(cohort, starts_at=soon(20))

    assert remind(session) == 2
    assert recipients() == ["ada@example.org", "facilitator@example.org"]
    assert elsewhere.email not in recipients()
    event = AuditEvent.objects.get(action="session.reminders_sent")
    assert event.detail["kind"] == "day_before" and len(event.detail["people"]) == 2


def test_running_the_same_reminder_twice_sends_it_once(cohort):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(20))
    assert remind(session) == 2
    assert remind(session) == 0
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(session=session).count() == 2


def test_someone_who_joins_after_the_reminder_went_gets_it_on_the_next_run(cohort):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(20))
    remind(session)
    member(cohort, "Ben")
    assert remind(session) == 1
    assert mail.outbox[-1].to == ["ben@example.org"]


def test_a_cancelled_session_sends_no_reminder(cohort):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(20))
    programme_services.cancel_session(session=session, by=None)
    assert remind(session) == 0
    call_command("send_reminders", verbosity=0)
    assert mail.outbox == []


def test_a_moved_session_sends_nothing_for_its_old_time_and_reminds_for_the_new_one(cohort):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(20))
    old_start = session.starts_at
    moved = programme_services.update_session(
        session=session,
        by=None,
        starts_at=old_start + timedelta(hours=2),
        ends_at=old_start + timedelta(hours=4),
    )
    assert services.send_reminder(session_id=session.pk, kind="day_before", planned_start=old_start) == 0
    assert mail.outbox == []
    assert remind(moved) == 2
    assert {r.sent_for_start for r in ReminderSent.objects.all()} == {moved.starts_at}


def test_reminders_are_not_sent_too_early_or_after_their_moment_has_passed(cohort):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(72))
    assert remind(session) == 0
    assert remind(session, now=session.starts_at - timedelta(minutes=30)) == 0
    assert remind(session, "hour_before", now=session.starts_at + timedelta(minutes=1)) == 0
    assert remind(session, "hour_before", now=session.starts_at - timedelta(minutes=59)) == 2


def test_the_reminder_says_what_when_and_where_and_attaches_the_session(cohort):
    member(cohort, "Ada")
    session = make_session(
        cohort,
        starts_at=soon(20),
        title="Workshop 3: kindness",
        mode="hybrid",
        location="Levenshulme Library, Room 2",
        meeting_link="https://meet.example.org/abc",
        agenda="Arrive, tea, practice",
    )
    remind(session)
    message = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert "Reminder: Workshop 3: kindness, " in message.subject
    assert "Levenshulme Library, Room 2" in message.body
    assert "https://meet.example.org/abc" in message.body
    assert "Arrive, tea, practice" in message.body
    assert str(session.uuid) in message.body  # the link to the session's page
    [attachment] = message.attachments
    assert attachment[0].endswith(".ics") and attachment[2] == "text/calendar"
    [event] = parse(attachment[1])
    assert event["UID"] == f"{session.uuid}@carecommons"
    assert event["DTSTART"] == session.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["STATUS"] == "CONFIRMED"
    assert "meet.example.org" in event["DESCRIPTION"]


def test_an_in_person_session_never_shows_a_meeting_link(cohort):
    member(cohort, "Ada")
    session = make_session(
        cohort, starts_at=soon(20), mode="in_person", meeting_link="https://meet.example.org/old-link"
    )
    remind(session)
    message = mail.outbox[0]
    assert "meet.example.org" not in message.body
    assert "meet.example.org" not in str(message.attachments[0][1])


def test_an_email_the_server_refuses_is_not_recorded_so_the_next_run_tries_again(cohort, monkeypatch):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(20))
    real_send = EmailMessage.send

    def refuse_ada(message: EmailMessage, fail_silently: bool = False) -> int:
        if message.to == ["ada@example.org"]:
            raise SMTPRecipientsRefused({"ada@example.org": (550, b"mailbox full")})
        return real_send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", refuse_ada)
    assert remind(session) == 1
    monkeypatch.undo()
    assert remind(session) == 1
    assert recipients() == ["ada@example.org", "facilitator@example.org"]


def test_the_sweep_command_sends_each_due_reminder_once(cohort):
    member(cohort, "Ada")
    make_session(cohort, starts_at=soon(20), title="Tomorrow")
    make_session(cohort, starts_at=soon(0.5), title="Within the hour")
    make_session(cohort, starts_at=soon(50), title="Later")
    call_command("send_reminders", verbosity=0)
    call_command("send_reminders", verbosity=0)
    sent = set(ReminderSent.objects.values_list("session__title", "kind").distinct())
    assert sent == {("Tomorrow", "day_before"), ("Within the hour", "hour_before")}
    assert len(mail.outbox) == 4


def test_the_sweep_command_says_how_many_it_sent(cohort, capsys):
    member(cohort, "Ada")
    make_session(cohort, starts_at=soon(20))
    call_command("send_reminders")
    assert "Sent 2 reminders." in capsys.readouterr().out


def test_nothing_is_queued_when_the_task_backend_cannot_defer(cohort):
    session = make_session(cohort, starts_at=soon(72))
    assert services.plan_reminders(session) == 0


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_scheduling_a_session_queues_both_reminders_for_the_worker(cohort, database_tasks, monkeypatch):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(72))
    results = {r.args_kwargs["args"][1]: r for r in DBTaskResult.objects.all()}
    assert set(results) == {"day_before", "hour_before"}
    assert results["day_before"].run_after == session.starts_at - timedelta(days=1)
    assert results["hour_before"].run_after == session.starts_at - timedelta(hours=1)
    assert results["day_before"].task_path == "carecommons.calendars.tasks.send_session_reminder"

    # The worker runs each task once its time has come.
    day_before = results["day_before"]
    monkeypatch.setattr(timezone, "now", lambda: day_before.run_after + timedelta(seconds=5))
    assert day_before.task.call(*day_before.args_kwargs["args"], **day_before.args_kwargs["kwargs"]) == 2
    hour_before = results["hour_before"]
    assert hour_before.task.call(*hour_before.args_kwargs["args"], **hour_before.args_kwargs["kwargs"]) == 0
    assert recipients() == ["ada@example.org", "facilitator@example.org"]


def test_moving_a_session_queues_reminders_for_the_new_time_and_the_old_ones_send_nothing(
    cohort, database_tasks, monkeypatch
):
    member(cohort, "Ada")
    session = make_session(cohort, starts_at=soon(72))
    new_start = session.starts_at + timedelta(days=1)
    programme_services.update_session(
        session=session, by=None, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
    )
    queued = DBTaskResult.objects.filter(task_path="carecommons.calendars.tasks.send_session_reminder")
    assert queued.count() == 4
    for result in queued:
        monkeypatch.setattr(timezone, "now", lambda result=result: result.run_after + timedelta(seconds=5))
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    assert len(mail.outbox) == 4  # two people, two reminders, all for the new time
    assert set(ReminderSent.objects.values_list("sent_for_start", flat=True)) == {new_start}


def test_a_session_scheduled_less_than_a_day_ahead_gets_its_day_before_reminder_at_once(
    cohort, database_tasks
):
    before = timezone.now()
    make_session(cohort, starts_at=soon(20))
    day_before = DBTaskResult.objects.get(args_kwargs__args__1="day_before")
    assert before <= day_before.run_after <= timezone.now()
