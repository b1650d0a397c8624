import pytest
from django.core.management import CommandError, call_command

from carecommons.accounts.models import Role
from carecommons.audit.models import AuditEvent
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_grant_role_gives_and_takes_away_a_role_with_audit() -> None:
    user = make_user("someone", [])
    call_command("grant_role", "Someone@example.org", "convenor")
    user.__dict__.pop("roles", None)
    assert Role.CONVENOR in user.roles
    call_command("grant_role", "someone@example.org", "convenor", "--revoke")
    user.__dict__.pop("roles", None)
    assert Role.CONVENOR not in user.roles
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "account.role_granted" in actions and "account.role_revoked" in actions


def test_grant_role_for_an_unknown_email_fails_clearly() -> None:
    with pytest.raises(CommandError, match="No account has the email"):
        call_command("grant_role", "nobody@example.org", "convenor")
