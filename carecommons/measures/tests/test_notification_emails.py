import pytest
from django.core import mail
from django.test import override_settings

from carecommons.accounts.models import User
from carecommons.measures.running import notifications
from carecommons.measures.tests.factories import invite, link

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
