"""Who may invite guests and withdraw them, and what a guest's link opens. Views load rows only here.

The people who see a session decide who else may: the cohort's accepted members, its facilitators
and convenors (programmes.access.cohorts_visible_to). A guest has no account; the token in their
link is the credential, and it opens one session and nothing else.
"""

from uuid import UUID

from django.http import Http404

from carecommons.accounts.models import User
from carecommons.guests.models import GuestInvitation
from carecommons.programmes.access import cohorts_visible_to, get_session_for_user
from carecommons.programmes.models import Material, Session


def may_manage_guests(user: User, session: Session) -> bool:
    return cohorts_visible_to(user).filter(pk=session.cohort_id).exists()


def get_session_for_guests(user: User, session_uuid: UUID) -> Session:
    return get_session_for_user(user, session_uuid)


def get_invitation_for_user(user: User, invitation_uuid: UUID) -> GuestInvitation:
    try:
        return GuestInvitation.objects.select_related("session").get(
            uuid=invitation_uuid, session__cohort__in=cohorts_visible_to(user).values("id")
        )
    except GuestInvitation.DoesNotExist:
        raise Http404 from None


def get_invitation_for_token(token: str) -> GuestInvitation:
    """The invitation behind a guest's link, only while it is open and not withdrawn."""
    try:
        return GuestInvitation.objects.usable().select_related("session").get(token=token)
    except GuestInvitation.DoesNotExist:
        raise Http404 from None


def get_material_for_guest(invitation: GuestInvitation, material_uuid: UUID) -> Material:
    try:
        return Material.objects.get(uuid=material_uuid, session_id=invitation.session_id)
    except Material.DoesNotExist:
        raise Http404 from None
