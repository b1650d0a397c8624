"""Sign-in and account security events go to the audit log (framework signals, not domain flow).

Events name the account and what changed, never a password, a code or an email address. Signing
in also notes when the session's idle limit was last pushed back (accounts.middleware)."""

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from carecommons.accounts.middleware import mark_refreshed
from carecommons.audit.services import record_event

TOTP = Authenticator.Type.TOTP
RECOVERY_CODES = Authenticator.Type.RECOVERY_CODES


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="account.signed_in", target=user)
    if request is not None and hasattr(request, "session"):
        mark_refreshed(request.session)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action="account.signed_out", target=user)


@receiver(user_login_failed)
def audit_failed_sign_in(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    record_event(actor=None, action="account.sign_in_failed", target=None, detail={})


@receiver(account_signals.password_changed)
def audit_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="account.password_changed", target=user)


@receiver(account_signals.password_set)
def audit_password_set(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="account.password_set", target=user)


@receiver(account_signals.password_reset)
def audit_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # Whoever followed the emailed link is not signed in: the event names the account, not an actor.
    record_event(actor=None, action="account.password_reset", target=user)


@receiver(mfa_signals.authenticator_added)
def audit_authenticator_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    totp = authenticator.type == TOTP
    record_event(
        actor=user,
        action="account.two_factor_on" if totp else "account.recovery_codes_generated",
        target=user,
        detail={"authenticator": authenticator.type},
    )


@receiver(mfa_signals.authenticator_reset)
def audit_authenticator_reset(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    record_event(
        actor=user,
        action="account.recovery_codes_generated",
        target=user,
        detail={"authenticator": authenticator.type, "replaced": True},
    )


@receiver(mfa_signals.authenticator_removed)
def audit_authenticator_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    totp = authenticator.type == TOTP
    record_event(
        actor=user,
        action="account.two_factor_off" if totp else "account.recovery_codes_removed",
        target=user,
        detail={"authenticator": authenticator.type},
    )


@receiver(mfa_signals.authenticator_used)
def audit_recovery_code_used(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if authenticator.type == RECOVERY_CODES:
        record_event(
            actor=user,
            action="account.recovery_code_used",
            target=user,
            detail={"reauthenticated": bool(kwargs.get("reauthenticated"))},
        )


@receiver(mfa_signals.authentication_failed)
def audit_second_factor_failed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(actor=None, action="account.second_factor_failed", target=user)


@receiver(account_signals.email_added)
def audit_email_added(
    sender: Any, request: HttpRequest, user: Any, email_address: Any, **kwargs: Any
) -> None:
    record_event(actor=user, action="account.email_added", target=user, detail={"email_id": email_address.pk})


@receiver(account_signals.email_removed)
def audit_email_removed(
    sender: Any, request: HttpRequest, user: Any, email_address: Any, **kwargs: Any
) -> None:
    record_event(actor=user, action="account.email_removed", target=user)


@receiver(account_signals.email_changed)
def audit_primary_email_changed(
    sender: Any,
    request: HttpRequest,
    user: Any,
    from_email_address: Any,
    to_email_address: Any,
    **kwargs: Any,
) -> None:
    detail = {"from_email_id": getattr(from_email_address, "pk", None), "to_email_id": to_email_address.pk}
    record_event(actor=user, action="account.email_primary_changed", target=user, detail=detail)


@receiver(account_signals.email_confirmed)
def audit_email_confirmed(sender: Any, request: HttpRequest, email_address: Any, **kwargs: Any) -> None:
    actor = getattr(request, "user", None)
    detail = {"email_id": email_address.pk}
    record_event(actor=actor, action="account.email_confirmed", target=email_address.user, detail=detail)
