"""Guest fixtures, made through the real services."""

from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet

from carecommons.accounts.models import User
from carecommons.guests.models import GuestInvitation
from carecommons.guests.services import invite_guest
from carecommons.programmes.models import Material, Session
from carecommons.programmes.services import add_material


def invite(session: Session, by: User, **extra: Any) -> GuestInvitation:
    values: dict[str, Any] = {
        "guest_name": "Bernadette Okonjo",
        "guest_email": "bernadette@example.org",
        "purpose": "To talk about crisis support.",
    }
    return invite_guest(session=session, by=by, **(values | extra))


def add_text_material(
    session: Session, title: str = "Crisis plan", body: bytes = b"Who to call."
) -> Material:
    upload = SimpleUploadedFile(f"{title.lower().replace(' ', '-')}.txt", body, content_type="text/plain")
    return add_material(session=session, upload=upload, title=title, by=None)


def move_window(invitations: QuerySet[GuestInvitation], start: datetime, end: datetime) -> None:
    """Tests only: put an invitation's window where the test needs it, without waiting."""
    invitations.update(valid_from=start, valid_until=end)
