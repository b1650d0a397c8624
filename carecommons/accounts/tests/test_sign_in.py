import re
from datetime import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.middleware import REFRESHED_KEY
from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account
from carecommons.audit.models import AuditEvent
from conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password})


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def test_participant_signs_in_with_email_in_any_case_and_signs_out() -> None:
    make_user("participant", [Role.PARTICIPANT])
    client = Client()
    response = sign_in(client, "Participant@Example.org")
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "participant@example.org"
    client.post(reverse("account_logout"))
    assert not client.get("/").context["user"].is_authenticated
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "account.signed_in" in actions and "account.signed_out" in actions


def test_wrong_password_is_refused_with_a_message_and_audited() -> None:
    make_user("participant", [Role.PARTICIPANT])
    response = sign_in(Client(), "participant@example.org", "not the password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.sign_in_failed").count() == 1


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password() -> None:
    make_user("participant", [Role.PARTICIPANT])
    client = Client()
    for _ in range(5):
        sign_in(client, "participant@example.org", "wrong password")
    response = sign_in(client, "participant@example.org")
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert not Client().get("/").context["user"].is_authenticated


def test_password_reset_sends_an_email_whose_link_sets_a_new_password() -> None:
    make_user("participant", [Role.PARTICIPANT])
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "participant@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "a brand new long passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert User.objects.get(email="participant@example.org").check_password(new_password)


def test_password_reset_for_an_unknown_email_sends_nothing_revealing() -> None:
    make_user("participant", [Role.PARTICIPANT])
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    known = Client().post(reverse("account_reset_password"), {"email": "participant@example.org"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [["participant@example.org"]]


def test_nobody_can_create_their_own_account() -> None:
    response = Client().post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "long enough pass", "password2": "long enough pass"},
    )
    assert not User.objects.filter(email="new@example.org").exists()
    assert response.status_code in (200, 302, 403)


def test_staff_must_set_up_two_factor_before_anything_else() -> None:
    make_user("convenor", [Role.CONVENOR], totp=False)
    client = Client()
    sign_in(client, "convenor@example.org")
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_participants_are_not_forced_to_use_two_factor() -> None:
    user = make_user("participant", [Role.PARTICIPANT], totp=False)
    client = Client()
    sign_in(client, user.email)
    assert client.get("/").status_code == 200


def test_staff_with_totp_must_enter_a_current_code_to_sign_in() -> None:
    user = make_user("convenor", [Role.CONVENOR], totp=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()
    response = sign_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("home:index")).context["user"].is_authenticated
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.get(reverse("people:person_list")).status_code == 200


def test_activating_totp_through_the_page_lets_staff_in() -> None:
    make_user("convenor", [Role.CONVENOR], totp=False)
    client = Client()
    sign_in(client, "convenor@example.org")
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    assert page.status_code == 200
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 1
    assert client.get(reverse("people:person_list")).status_code == 200


def stored_expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_signed_in_request_pushes_the_idle_limit_back_at_most_once_a_minute(settings) -> None:  # type: ignore[no-untyped-def]
    user = make_user("participant", [Role.PARTICIPANT])
    client = Client()
    sign_in(client, user.email)
    client.get("/")
    first = stored_expiry(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert stored_expiry(client) == first
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    session = client.session
    session[REFRESHED_KEY] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    saved = stored_expiry(client)
    client.get("/")
    assert stored_expiry(client) > saved
    assert client.get("/").context["user"].is_authenticated


def test_signed_out_visitors_and_signing_out_leave_no_session_behind() -> None:
    client = Client()
    client.get("/")
    client.get(reverse("account_login"))
    assert Session.objects.count() == 0
    user = make_user("participant", [Role.PARTICIPANT])
    sign_in(client, user.email)
    session = client.session
    session[REFRESHED_KEY] = 0  # due for a push back when the sign-out request ends
    session.save()
    client.post(reverse("account_logout"))
    assert Session.objects.count() == 0


def test_demo_accounts_are_refused_when_debug_is_off(settings) -> None:  # type: ignore[no-untyped-def]
    create_account(
        email="demo@example.org", password=PASSWORD, roles=[Role.PARTICIPANT], by=None, is_demo=True
    )
    settings.DEBUG = False
    client = Client()
    response = sign_in(client, "demo@example.org")
    assert response["Location"] == reverse("account_login")
    assert not client.get("/").context["user"].is_authenticated
    settings.DEBUG = True
    assert sign_in(Client(), "demo@example.org").status_code == 302


def test_sessions_expire_after_the_idle_time(settings) -> None:  # type: ignore[no-untyped-def]
    user = make_user("participant", [Role.PARTICIPANT])
    client = Client()
    sign_in(client, user.email)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert not client.get("/").context["user"].is_authenticated
