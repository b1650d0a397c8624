from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from carecommons.accounts.models import User
from carecommons.measures.running import notifications
from carecommons.measures.tests.factories import PHQ9_RISK, invite, link
from carecommons.measures.tests.test_one_alert_per_submission import (
    send,
    set_with_two_risk_questionnaires,
    someone_else,
)

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://care.example.org")
def test_a_questionnaire_email_and_its_reminder_have_the_site_subject_and_a_full_private_link(
    participant: User,
) -> None:
    invitation = invite(participant)
    mail.outbox.clear()
    assert notifications.send_invitation(invitation.pk) == 1
    assert notifications.send_invitation(invitation.pk, reminder=True) == 1
    first, reminder = mail.outbox
    questionnaires = f"your {invitation.wave.label.lower()} questionnaires for {invitation.cohort.name}"
    assert first.subject == f"[Care Commons] {questionnaires}"
    assert reminder.subject == f"[Care Commons] Reminder: {questionnaires}"
    for message in (first, reminder):
        assert message.to == [participant.email]
        assert f"\nhttps://care.example.org{link(invitation)}\n" in message.body


def test_a_questionnaire_email_names_the_crisis_services_the_site_is_set_up_with(participant: User) -> None:
    services = [{"name": "Lifeline Cymru", "contact": "0800 132 737", "detail": "Any time."}]
    invitation = invite(participant)
    mail.outbox.clear()
    with override_settings(CRISIS_SIGNPOSTING=services):
        notifications.send_invitation(invitation.pk)
    (message,) = mail.outbox
    assert "- Lifeline Cymru: 0800 132 737. Any time.\n" in message.body
    assert "Samaritans" not in message.body


@override_settings(SITE_NAME="Northside Care")
def test_a_safeguarding_email_names_the_site_it_keeps_the_details_in(
    facilitator: User, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    mail.outbox.clear()
    send(someone_else(cohort, "Rhiannon"), "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    alerts = [m for m in mail.outbox if "Safeguarding" in m.subject]
    assert len(alerts) == 2  # the lead and the facilitator
    for message in alerts:
        assert "That stays in Northside Care." in message.body
        assert "Care Commons" not in message.body
