import pytest
from django.core import mail
from django.test import override_settings

from carecommons.accounts.invitations import send_invitation
from carecommons.accounts.models import Role
from carecommons.accounts.services import create_account

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://care.example.org")
def test_an_account_invitation_has_the_site_subject_and_a_password_link_on_the_site_address() -> None:
    user = create_account(email="nadia@example.org", password=None, roles=[Role.PARTICIPANT], by=None)
    send_invitation(user_id=user.pk, inviter_name="Ruth")
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert message.subject == "[Care Commons] Your Care Commons account"
    assert "\nhttps://care.example.org/accounts/password/reset/key/" in message.body


def test_an_account_invitation_names_the_inviter_as_typed_not_as_html() -> None:
    user = create_account(email="nadia@example.org", password=None, roles=[Role.PARTICIPANT], by=None)
    send_invitation(user_id=user.pk, inviter_name="Siobhán O'Neill & <Ruth>")
    body = mail.outbox[0].body
    assert "Siobhán O'Neill & <Ruth> has given you an account on Care Commons" in body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body
