"""The email that tells someone they have an account and lets them choose a password."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.lib import email

PURPOSES = {
    Role.PARTICIPANT: "see your own details and choices",
    Role.CONVENOR: "run programmes and the directory",
    Role.ORGANISER: "keep track of conversations and the people in your Care Lab",
}


def password_path(user: User) -> str:
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return path.replace("UID-KEY", key)


def send_invitation(*, user_id: int, inviter_name: str) -> None:
    user = User.objects.get(pk=user_id)
    role = next((r for r in PURPOSES if r in user.roles), None)
    email.send(
        to=user.email,
        subject=f"Your {settings.SITE_NAME} account",
        text_template="accounts/email/invitation.txt",
        context={
            "name": user.display_name or user.email,
            "inviter": inviter_name or "Someone",
            "purpose": PURPOSES[role] if role else "take part",
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            "email": user.email,
            "needs_two_factor": user.needs_two_factor,
        },
        links={"link": password_path(user)},
    )
