"""Demo guests: a nurse the group has invited to a session, and an invitation it withdrew."""

from datetime import timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.guests.models import GuestVisit
from carecommons.guests.services import invite_guest, record_visit, revoke_invitation
from carecommons.lib.windows import MAX_VALIDITY
from carecommons.programmes.models import Session


def load(*, session: Session, inviter: User) -> None:
    """`inviter` must see the session: an accepted member of its cohort, a facilitator or a convenor."""
    now = timezone.now()
    until = session.ends_at + timedelta(days=1)
    if not now < until <= now + MAX_VALIDITY:
        until = now + timedelta(days=14)  # a past or far-off session still gets a link that works today
    nurse = invite_guest(
        session=session,
        by=inviter,
        guest_name="Bernadette Okonjo",
        guest_email="bernadette.okonjo@example.org",
        purpose=(
            "A community mental-health nurse, to talk about crisis support: what to do when someone "
            "in our groups is in crisis, who to call, and how to look after ourselves afterwards."
        ),
        valid_from=now,
        valid_until=until,
    )
    record_visit(invitation=nurse, what=GuestVisit.SESSION_PAGE, ip=None)
    for material in session.materials.all()[:1]:
        record_visit(invitation=nurse, what=GuestVisit.material_what(material.uuid), ip=None)
    withdrawn = invite_guest(
        session=session,
        by=inviter,
        guest_name="Dev Malhotra",
        guest_email="dev.malhotra@example.org",
        purpose="A benefits adviser, to answer questions about Universal Credit and work capability.",
        valid_from=now,
        valid_until=until,
    )
    revoke_invitation(invitation=withdrawn, by=inviter)
