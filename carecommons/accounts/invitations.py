"""The email that tells someone they have an account and lets them choose a password."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.lib.urls import absolute_url

PURPOSES = {
    Role.PARTICIPANT: "see your own details and choices",
    Role.CONVENOR: "run programmes and the directory",
    Role.ORGANISER: "keep track of conversations and the people in your Care Lab",
}


def password_link(user: User) -> str:
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return absolute_url(path.replace("UID-KEY", key))


def send_invitation(*, user_id: int, inviter_name: str) -> None:
    user = User.objects.get(pk=user_id)
    role = next((r for r in PURPOSES if r in user.roles), None)
    context = {
        "name": user.display_name or user.email,
        "inviter": inviter_name or "Someone",
        "site_name": settings.MFA_TOTP_ISSUER,
        "purpose": PURPOSES[role] if role else "take part",
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "link": password_link(user),
        "email": user.email,
        "needs_two_factor": user.needs_two_factor,
    }
    send_mail(
        subject=f"Your {settings.MFA_TOTP_ISSUER} account",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
