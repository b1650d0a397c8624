"""Every change to how someone signs in is audited, through allauth's own pages (issue 11, item 5)."""

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account
from carecommons.audit.models import AuditEvent
from conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase entirely"


def actions_for(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(user.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def signed_in(user: User) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def reauthenticate(client: Client) -> None:
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def no_addresses_in_details() -> None:
    for detail in AuditEvent.objects.values_list("detail", flat=True):
        assert "@" not in str(detail)


def test_changing_the_password_is_audited() -> None:
    user = make_user("participant", [Role.PARTICIPANT])
    client = signed_in(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "account.password_changed" in actions_for(user)
    no_addresses_in_details()


def test_setting_a_first_password_is_audited() -> None:
    user = create_account(email="new@example.org", password=None, roles=[Role.PARTICIPANT], by=None)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert "account.password_set" in actions_for(user)


def test_resetting_the_password_from_the_emailed_link_is_audited() -> None:
    user = make_user("participant", [Role.PARTICIPANT])
    client = Client()
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(0).split("testserver", 1)[-1], follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert "account.password_reset" in actions_for(user)


def turn_on_totp(client: Client) -> str:
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = str(client.session["mfa.totp.secret"])
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def test_turning_two_factor_on_and_off_and_recovery_codes_are_audited(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_user("participant", [Role.PARTICIPANT], totp=False)
    client = signed_in(user)
    # allauth sends some of these signals once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        turn_on_totp(client)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("mfa_download_recovery_codes")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    actions = actions_for(user)
    for action in (
        "account.two_factor_on",
        "account.recovery_codes_generated",
        "account.recovery_codes_viewed",
        "account.recovery_codes_downloaded",
        "account.two_factor_off",
    ):
        assert action in actions, action
    assert actions.index("account.two_factor_on") < actions.index("account.two_factor_off")
    assert actions.count("account.recovery_codes_generated") == 2  # made with TOTP, then replaced


def test_signing_in_with_a_recovery_code_and_a_wrong_code_are_audited() -> None:
    user = make_user("convenor", [Role.CONVENOR], totp=False)
    TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user)
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": codes.get_unused_codes()[0]})
    assert response.status_code == 302
    actions = actions_for(user)
    assert "account.second_factor_failed" in actions
    assert "account.recovery_code_used" in actions


def test_adding_making_main_and_removing_an_email_address_are_audited() -> None:
    user = make_user("participant", [Role.PARTICIPANT])
    client = signed_in(user)
    other = "second@example.org"
    added = client.post(reverse("account_email"), {"email": other, "action_add": ""})
    assert added.status_code == 302
    made_main = client.post(reverse("account_email"), {"email": other, "action_primary": ""})
    assert made_main.status_code == 302
    assert User.objects.get(pk=user.pk).email == other
    removed = client.post(reverse("account_email"), {"email": "participant@example.org", "action_remove": ""})
    assert removed.status_code == 302
    actions = actions_for(user)
    for action in ("account.email_added", "account.email_primary_changed", "account.email_removed"):
        assert action in actions, action
    no_addresses_in_details()


def test_reading_recovery_codes_that_do_not_exist_is_not_audited(settings: Any) -> None:
    user = make_user("participant", [Role.PARTICIPANT], totp=False)
    client = signed_in(user)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 404
    assert "account.recovery_codes_viewed" not in actions_for(user)
