from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.models import SafeguardingAlert
from carecommons.measures.running import safeguarding, services
from carecommons.measures.tests.factories import PHQ9_RISK, invite
from carecommons.people.services import create_person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import make_cohort, person_of

pytestmark = pytest.mark.django_db


def raise_alert(participant: User, cohort: Cohort, capture: Any) -> SafeguardingAlert:
    with capture(execute=True):
        saved = services.save_answers(
            invitation=invite(participant, cohort=cohort),
            instrument_id="phq9",
            answers=PHQ9_RISK,
            send=True,
            by=None,
        )
    assert saved.alert is not None
    return saved.alert


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_leads_with_accounts_and_the_cohorts_facilitators_are_told_without_names_or_answers(
    participant: User,
    facilitator: User,
    organiser: User,
    convenor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    no_account = create_person(by=None, given_name="Nell", family_name="Noaccount", email="nell@example.org")
    services.set_safeguarding_leads(
        programme=cohort.programme, people=[person_of(organiser), no_account], by=None
    )
    alert = raise_alert(participant, cohort, django_capture_on_commit_callbacks)
    assert recipients() == [facilitator.email, organiser.email]
    participant_person = person_of(participant)
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in [participant.email, participant_person.given_name, "Several days", "PHQ", "question 9"]:
            assert secret not in text
        assert reverse("measures:alert_detail", args=[alert.uuid]) in message.body
        assert "Safeguarding follow-up needed" in message.subject
    alert.refresh_from_db()
    assert alert.notified_at is not None
    event = AuditEvent.objects.get(action="safeguarding.leads_notified")
    assert event.detail == {"count": 2}


def test_an_inactive_facilitator_is_not_emailed(
    participant: User, facilitator: User, convenor: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    User.objects.filter(pk=facilitator.pk).update(is_active=False)
    raise_alert(participant, cohort, django_capture_on_commit_callbacks)
    assert recipients() == [convenor.email]


def test_with_no_lead_or_facilitator_the_convenors_are_told(
    participant: User, convenor: User, django_capture_on_commit_callbacks: Any
) -> None:
    raise_alert(participant, make_cohort(), django_capture_on_commit_callbacks)
    assert recipients() == [convenor.email]


def test_with_nobody_at_all_the_escalation_addresses_are_told(
    participant: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SAFEGUARDING_ESCALATION_EMAILS = ["duty@example.org"]
    raise_alert(participant, make_cohort(), django_capture_on_commit_callbacks)
    assert recipients() == ["duty@example.org"]


def test_an_overdue_alert_goes_to_convenors_and_the_escalation_addresses_once(
    participant: User,
    facilitator: User,
    organiser: User,
    convenor: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SAFEGUARDING_ESCALATION_EMAILS = ["duty@example.org"]
    cohort = make_cohort(facilitator=facilitator)
    services.set_safeguarding_leads(programme=cohort.programme, people=[person_of(organiser)], by=None)
    alert = raise_alert(participant, cohort, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    later = alert.due_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding.escalate_overdue(now=later)
        safeguarding.escalate_overdue(now=later + timedelta(hours=1))
    assert recipients() == [convenor.email, "duty@example.org"]
    assert all("Overdue safeguarding follow-up" in message.subject for message in mail.outbox)
    assert all(person_of(participant).given_name not in message.body for message in mail.outbox)


def test_a_closed_alert_is_never_escalated(
    participant: User, facilitator: User, convenor: User, django_capture_on_commit_callbacks: Any
) -> None:
    alert = raise_alert(participant, make_cohort(facilitator=facilitator), django_capture_on_commit_callbacks)
    safeguarding.log_follow_up(
        alert=alert,
        by=facilitator,
        contacted_at=alert.raised_at,
        method="phone",
        note="Spoke.",
        closes_alert=True,
        now=alert.raised_at + timedelta(minutes=5),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert safeguarding.escalate_overdue(now=alert.due_at + timedelta(hours=1)) == []
    assert mail.outbox == []


def test_every_step_of_an_alert_leaves_an_audit_event(
    participant: User,
    facilitator: User,
    convenor: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    alert = raise_alert(participant, make_cohort(facilitator=facilitator), django_capture_on_commit_callbacks)
    client = client_for(facilitator)
    url = reverse("measures:alert_detail", args=[alert.uuid])
    client.get(url)
    attempt = alert.raised_at + timedelta(hours=1)
    safeguarding.log_follow_up(
        alert=alert,
        by=facilitator,
        contacted_at=attempt,
        method="no_reply",
        note="Rang, no answer; left a message.",
        closes_alert=False,
        now=attempt,
    )
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding.escalate_overdue(now=alert.due_at + timedelta(minutes=1))
    reached = alert.due_at + timedelta(hours=2)
    safeguarding.log_follow_up(
        alert=alert,
        by=convenor,
        contacted_at=reached,
        method="phone",
        note="Spoke; they have support from a friend tonight.",
        closes_alert=True,
        now=reached,
    )
    trail = list(
        AuditEvent.objects.filter(target_id=str(alert.uuid)).order_by("id").values_list("action", "actor")
    )
    assert trail == [
        ("safeguarding.alert_raised", None),
        ("safeguarding.leads_notified", None),
        ("safeguarding.alert_viewed", facilitator.pk),
        ("safeguarding.follow_up_logged", facilitator.pk),
        ("safeguarding.alert_escalated", None),
        ("safeguarding.escalation_sent", None),
        ("safeguarding.follow_up_logged", convenor.pk),
        ("safeguarding.alert_closed", convenor.pk),
    ]
