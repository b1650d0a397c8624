"""The email that gives a guest their private link to the session they are invited to."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from carecommons.guests.models import GuestInvitation
from carecommons.lib.urls import absolute_url


def guest_link(invitation: GuestInvitation) -> str:
    return absolute_url(reverse("guests:guest_entry", kwargs={"token": invitation.token}))


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the link, unless the group withdrew the invitation before the email went out."""
    invitation = (
        GuestInvitation.objects.select_related("session__cohort__programme")
        .filter(pk=invitation_id, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    session = invitation.session
    context = {
        "invitation": invitation,
        "session": session,
        "programme": session.cohort.programme,
        "link": guest_link(invitation),
        "site_name": settings.MFA_TOTP_ISSUER,
    }
    send_mail(
        subject=f"You are invited to {session.title}",
        message=render_to_string("guests/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.guest_email],
    )
    return True
