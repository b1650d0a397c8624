"""The email that gives a guest their private link to the session they are invited to."""

from django.urls import reverse

from carecommons.guests.models import GuestInvitation
from carecommons.lib import email


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
    email.send(
        to=invitation.guest_email,
        subject=f"You are invited to {session.title}",
        text_template="guests/email/invitation.txt",
        context={"invitation": invitation, "session": session, "programme": session.cohort.programme},
        links={"link": reverse("guests:guest_entry", kwargs={"token": invitation.token})},
    )
    return True
