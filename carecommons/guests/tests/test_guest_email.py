import pytest
from django.core import mail
from django.test import override_settings

from carecommons.guests.emails import send_invitation_email
from carecommons.guests.tests.factories import invite
from carecommons.programmes.tests.factories import make_cohort, make_session

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://care.example.org")
def test_a_guest_email_has_the_site_subject_the_purpose_as_typed_and_a_full_link(facilitator) -> None:
    session = make_session(make_cohort(facilitator=facilitator), title="Workshop 5: Others to self")
    invitation = invite(session, facilitator, purpose="To talk about Mum's & Dad's <care>.")
    mail.outbox.clear()
    assert send_invitation_email(invitation_id=invitation.pk)
    [message] = mail.outbox
    assert message.to == ["bernadette@example.org"]
    assert message.subject == "[Care Commons] You are invited to Workshop 5: Others to self"
    assert "Why they are inviting you: To talk about Mum's & Dad's <care>." in message.body
    assert f"\nhttps://care.example.org/guests/visit/{invitation.token}/\n" in message.body
