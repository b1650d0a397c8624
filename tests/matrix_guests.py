"""Expected statuses for guest invitations (see tests/matrix.py for what each field means).

Member pages target a session of a cohort none of the cast belongs to, so only the convenor gets in.
A guest's link needs no account: a working link opens for everyone, signed in or not."""

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account
from carecommons.guests.models import GuestInvitation
from carecommons.guests.services import invite_guest
from carecommons.programmes.models import Session
from carecommons.programmes.services import add_material
from carecommons.programmes.tests.factories import make_cohort, make_session
from tests.matrix import CONVENOR_ONLY, EVERYONE, Case, unique_name


def outside_session() -> tuple[Session, User]:
    """A session of a new cohort, and the facilitator who runs it (none of the cast)."""
    email = f"inviter-{uuid.uuid4().hex[:8]}@example.org"
    inviter = create_account(email=email, password=None, roles=[Role.FACILITATOR], by=None)
    cohort = make_cohort(name=unique_name("Matrix cohort"), facilitator=inviter)
    return make_session(cohort), inviter


def outside_invitation() -> GuestInvitation:
    session, inviter = outside_session()
    return invite_guest(
        session=session, by=inviter, guest_name="Matrix Guest", guest_email="g@example.org", purpose="Check"
    )


def session_args() -> dict[str, Any]:
    return {"session_id": outside_session()[0].uuid}


def invitation_args() -> dict[str, Any]:
    return {"invitation_id": outside_invitation().uuid}


def token_args() -> dict[str, Any]:
    return {"token": outside_invitation().token}


def material_args() -> dict[str, Any]:
    invitation = outside_invitation()
    upload = SimpleUploadedFile("handout.txt", b"A handout.", content_type="text/plain")
    material = add_material(session=invitation.session, upload=upload, title="Handout", by=None)
    return {"token": invitation.token, "material_id": material.uuid}


MATRIX: dict[str, Case] = {
    "guests:session_guests": Case(CONVENOR_ONLY, args=session_args),
    "guests:revoke": Case(CONVENOR_ONLY, args=invitation_args),  # the confirmation page
    "guests:guest_entry": Case(EVERYONE, anon=200, args=token_args),
    "guests:guest_material": Case(EVERYONE, anon=200, args=material_args),
}
