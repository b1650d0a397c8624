"""The cron sweep: opening invitations, reminders at most once each, and escalation. Times are passed
in, never waited for."""

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.measures.models import Invitation, SafeguardingAlert
from carecommons.measures.running import notifications, services, sweep
from carecommons.measures.tests.factories import GAD7_CALM, PHQ9_CALM, PHQ9_RISK, answer, invite, make_wave
from carecommons.people.services import create_person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import enrol, make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setup(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path
    settings.MEASURES_REMINDER_DAYS = [3, 7]


def cohort_of(count: int) -> Cohort:
    cohort = make_cohort()
    for n in range(count):
        enrol(cohort, create_person(by=None, given_name=f"P{n}", email=f"p{n}@example.org"))
    return cohort


def sent_invitation() -> Invitation:
    invitation = invite(create_person(by=None, given_name="Sam", email="sam@example.org"))
    notifications.send_invitation(invitation.pk)
    mail.outbox.clear()
    invitation.refresh_from_db()
    return invitation


def run(at: datetime, capture: Any) -> sweep.SweepResult:
    with capture(execute=True):
        return sweep.run(now=at)


def test_the_sweep_opens_the_waves_that_have_come_and_emails_each_link_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohort = cohort_of(2)
    make_wave(cohort.programme, "baseline")
    make_wave(cohort.programme, "end")  # ten weeks away
    now = timezone.now()
    assert run(now, django_capture_on_commit_callbacks).opened == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["p0@example.org", "p1@example.org"]
    assert Invitation.objects.filter(wave__kind="baseline", sent_at__isnull=False).count() == 2
    assert run(now + timedelta(minutes=10), django_capture_on_commit_callbacks).opened == 0
    assert len(mail.outbox) == 2


def test_a_wave_asked_only_on_paper_opens_invitations_but_sends_no_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohort = cohort_of(1)
    make_wave(cohort.programme, "baseline", instruments=["ceas_self"])
    assert run(timezone.now(), django_capture_on_commit_callbacks).opened == 1
    assert mail.outbox == []


def test_reminders_go_on_the_configured_days_and_each_only_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = sent_invitation()
    sent = invitation.sent_at
    assert sent is not None
    expected = [(2, 0), (3, 1), (3, 0), (6, 0), (7, 1), (7, 0), (10, 0)]
    for days, reminded in expected:
        at = sent + timedelta(days=days, minutes=1)
        assert run(at, django_capture_on_commit_callbacks).reminded == reminded, f"day {days}"
    assert len(mail.outbox) == 2 and all("A gentle reminder" in m.body for m in mail.outbox)
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 2
    assert invitation.last_reminded_at == sent + timedelta(days=7, minutes=1)
    assert invitation.sent_at == sent


def test_after_a_gap_in_sweeps_only_the_latest_reminder_goes(django_capture_on_commit_callbacks: Any) -> None:
    invitation = sent_invitation()
    assert invitation.sent_at is not None
    at = invitation.sent_at + timedelta(days=8)
    assert run(at, django_capture_on_commit_callbacks).reminded == 1
    assert run(at + timedelta(minutes=10), django_capture_on_commit_callbacks).reminded == 0
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 2 and len(mail.outbox) == 1


def test_two_sweeps_before_the_worker_runs_queue_a_reminder_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = sent_invitation()
    assert invitation.sent_at is not None
    at = invitation.sent_at + timedelta(days=3, minutes=1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sweep.run(now=at)
        sweep.run(now=at + timedelta(seconds=1))
    assert len(queued) == 1


def test_queuing_a_reminder_is_audited_when_the_count_goes_up_whether_or_not_the_worker_sends_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = sent_invitation()
    assert invitation.sent_at is not None
    at = invitation.sent_at + timedelta(days=3, minutes=1)
    with django_capture_on_commit_callbacks(execute=False):
        sweep.run(now=at)
        sweep.run(now=at + timedelta(seconds=1))
    queued = AuditEvent.objects.filter(action="measures.reminder_queued")
    assert [(e.target_id, e.detail) for e in queued] == [(str(invitation.uuid), {"reminder": 1, "was": 0})]
    assert not AuditEvent.objects.filter(action="measures.reminder_sent").exists()
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1


def test_no_reminders_for_links_that_are_finished_withdrawn_or_expired(
    django_capture_on_commit_callbacks: Any,
) -> None:
    finished, withdrawn, expired = sent_invitation(), sent_invitation(), sent_invitation()
    answer(finished, "phq9", PHQ9_CALM)
    answer(finished, "gad7", GAD7_CALM)
    services.revoke_invitation(invitation=withdrawn, by=None)
    assert expired.sent_at is not None
    at = expired.sent_at + timedelta(days=3, minutes=1)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=at - timedelta(minutes=1))
    assert run(at, django_capture_on_commit_callbacks).reminded == 0
    assert mail.outbox == []


def test_the_sweep_escalates_overdue_safeguarding_follow_ups_once(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SAFEGUARDING_FOLLOW_UP_HOURS = 24
    invitation = invite(create_person(by=None, given_name="Alex", email="alex@example.org"))
    answer(invitation, "phq9", PHQ9_RISK)
    alert = SafeguardingAlert.objects.get()
    assert run(alert.due_at - timedelta(minutes=1), django_capture_on_commit_callbacks).escalated == 0
    assert run(alert.due_at + timedelta(minutes=1), django_capture_on_commit_callbacks).escalated == 1
    assert run(alert.due_at + timedelta(minutes=11), django_capture_on_commit_callbacks).escalated == 0
    alert.refresh_from_db()
    assert alert.escalated_at == alert.due_at + timedelta(minutes=1)


def test_the_follow_up_window_setting_decides_when_an_alert_is_overdue(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SAFEGUARDING_FOLLOW_UP_HOURS = 4
    invitation = invite(create_person(by=None, given_name="Alex", email="alex@example.org"))
    answer(invitation, "phq9", PHQ9_RISK)
    alert = SafeguardingAlert.objects.get()
    assert alert.due_at == alert.raised_at + timedelta(hours=4)
    four_hours = alert.raised_at + timedelta(hours=4)
    assert run(four_hours - timedelta(minutes=1), django_capture_on_commit_callbacks).escalated == 0
    assert run(four_hours + timedelta(minutes=1), django_capture_on_commit_callbacks).escalated == 1
    alert.refresh_from_db()
    assert alert.escalated_at == four_hours + timedelta(minutes=1)


def test_the_command_prints_a_one_line_summary(django_capture_on_commit_callbacks: Any) -> None:
    cohort = cohort_of(1)
    make_wave(cohort.programme, "baseline")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("measures_sweep", stdout=out)
    assert out.getvalue() == (
        "Opened 1 invitation, sent 0 reminders, escalated 0 overdue safeguarding follow-ups.\n"
    )
    quiet = StringIO()
    call_command("measures_sweep", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""
