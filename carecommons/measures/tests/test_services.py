from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.models import Invitation, Response, SafeguardingAlert
from carecommons.measures.running import safeguarding, services, waves
from carecommons.measures.tests.factories import GAD7_CALM, PHQ9_CALM, PHQ9_RISK, answer, invite, make_wave
from carecommons.programmes.tests.factories import enrol, make_cohort, make_programme


def test_waves_fall_on_the_cohort_dates() -> None:
    start, end = date(2026, 1, 5), date(2026, 3, 30)
    assert waves.wave_date("baseline", 0, start, end) == start
    assert waves.wave_date("mid", 0, start, end) == date(2026, 2, 16)
    assert waves.wave_date("end", 0, start, end) == end
    assert waves.wave_date("follow_up", 12, start, end) == end + timedelta(weeks=12)


def test_a_wave_window_opens_before_its_date_and_closes_after() -> None:
    zone = ZoneInfo("Europe/London")
    opens, closes = waves.window(
        "baseline", 0, date(2026, 1, 5), date(2026, 3, 30), opens_days_before=7, stays_open_days=21, zone=zone
    )
    assert opens.date() == date(2025, 12, 29)
    assert closes.date() == date(2026, 1, 27)


@pytest.mark.django_db
def test_sending_scores_the_questionnaire_once_and_completes_the_invitation(participant: User) -> None:
    invitation = invite(participant)
    draft = answer(invitation, "phq9", PHQ9_CALM[:4], send=False)
    assert draft.status == "draft" and draft.scores == {}
    sent = answer(invitation, "phq9", PHQ9_CALM)
    assert sent.pk == draft.pk
    assert sent.scores == {"total": 2} and sent.bands == {"total": "none-minimal"}
    with pytest.raises(services.AlreadySent):
        answer(invitation, "phq9", PHQ9_RISK)
    assert Response.objects.get(pk=sent.pk).answers == PHQ9_CALM
    invitation.refresh_from_db()
    assert invitation.completed_at is None
    answer(invitation, "gad7", GAD7_CALM)
    invitation.refresh_from_db()
    assert invitation.completed_at is not None


@pytest.mark.django_db
def test_an_online_questionnaire_with_a_gap_is_refused_and_nothing_changes(participant: User) -> None:
    invitation = invite(participant)
    with pytest.raises(ValidationError) as error:
        answer(invitation, "gad7", [1, 0, None, 1, 0, 0, 0])
    assert "item_3" in error.value.message_dict
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_risk_answer_opens_an_alert_and_tells_the_facilitator(
    participant: User, facilitator: User, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(participant, facilitator=facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.save_answers(
            invitation=invitation, instrument_id="phq9", answers=PHQ9_RISK[:9], send=False, by=None
        )
    assert saved.alert is not None and saved.alert.flags == ["phq9_item9"]
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    assert participant.email not in mail.outbox[0].body
    answer(invitation, "phq9", PHQ9_RISK)
    assert SafeguardingAlert.objects.count() == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="safeguarding.alert_raised").count() == 1


@pytest.mark.django_db
def test_an_overdue_alert_is_escalated_once_and_a_follow_up_closes_it(
    participant: User, facilitator: User, convenor: User, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(participant, facilitator=facilitator)
    alert = services.save_answers(
        invitation=invitation, instrument_id="phq9", answers=PHQ9_RISK, send=True, by=None
    ).alert
    assert alert is not None
    later = alert.due_at + timedelta(minutes=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert safeguarding.escalate_overdue(now=later) == [alert]
        assert safeguarding.escalate_overdue(now=later) == []
    assert [m.to for m in mail.outbox] == [[convenor.email]]
    with pytest.raises(ValidationError):
        safeguarding.log_follow_up(
            alert=alert,
            by=facilitator,
            contacted_at=later,
            method="no_reply",
            note="Rang.",
            closes_alert=True,
            now=later,
        )
    safeguarding.log_follow_up(
        alert=alert,
        by=facilitator,
        contacted_at=later,
        method="phone",
        note="Spoke; seeing GP.",
        closes_alert=True,
        now=later,
    )
    alert.refresh_from_db()
    assert alert.closed_at == later


@pytest.mark.django_db
def test_opening_due_invitations_is_safe_to_repeat(participant: User) -> None:
    cohort = make_cohort(make_programme())
    enrol(cohort, participant)
    make_wave(cohort.programme)
    make_wave(cohort.programme, "end")
    now = timezone.now()
    assert len(services.open_due_invitations(now=now)) == 1
    assert services.open_due_invitations(now=now) == []
    assert Invitation.objects.get().wave.kind == "baseline"


@pytest.mark.django_db
def test_a_questionnaire_without_licensed_wording_is_paper_only(participant: User, facilitator: User) -> None:
    cohort = make_cohort(facilitator=facilitator)
    wave = make_wave(cohort.programme, instruments=("phq9", "ceas_self"))
    invitation = invite(participant, cohort=cohort, wave=wave)
    assert services.next_instrument(invitation) == "phq9"
    answer(invitation, "phq9", PHQ9_CALM)
    invitation.refresh_from_db()
    assert invitation.completed_at is not None and services.next_instrument(invitation) is None
    paper = services.save_answers(
        invitation=invitation,
        instrument_id="ceas_self",
        answers=[5] * 13,
        send=True,
        by=facilitator,
        mode="paper",
        answered_on=timezone.localdate(),
    ).response
    assert paper.mode == "paper" and paper.entered_by == facilitator and paper.scores
