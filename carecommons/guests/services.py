"""Inviting a guest to a session, withdrawing the invitation, and logging what the guest opened."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.guests.access import may_manage_guests
from carecommons.guests.models import AFTER_SESSION, GuestInvitation, GuestVisit
from carecommons.guests.tasks import send_guest_invitation
from carecommons.lib.dates import PLANNED, check_date
from carecommons.lib.windows import MAX_VALIDITY, check_window
from carecommons.programmes.models import Session


def default_window(
    session: Session, valid_from: datetime | None, valid_until: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """Until the day after the session; from now, or from 30 days before the link closes if later."""
    until = valid_until or session.ends_at + AFTER_SESSION
    start = valid_from or max(now, until - MAX_VALIDITY)
    return start, until


@transaction.atomic
def invite_guest(
    *,
    session: Session,
    by: User,
    guest_name: str,
    guest_email: str,
    purpose: str,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> GuestInvitation:
    """Anyone who sees the session may invite; the guest is emailed their private link."""
    if not may_manage_guests(by, session):
        raise Http404
    if not purpose.strip():
        raise ValidationError({"purpose": "Say why the group is inviting them."})
    if session.cancelled_at is not None:
        raise ValidationError("This session has been cancelled, so nobody can be invited to it.")
    check_date(valid_from, PLANNED, field="valid_from")
    check_date(valid_until, PLANNED, field="valid_until")
    now = timezone.now()
    valid_from, valid_until = default_window(session, valid_from, valid_until, now)
    check_window(valid_from, valid_until, now, noun="link")
    guest_email = guest_email.strip().lower()
    # Locking the session makes a double-clicked invite wait here, then find the first one.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    if GuestInvitation.objects.filter(
        session=session, guest_email=guest_email, revoked_at__isnull=True, valid_until__gt=now
    ).exists():
        raise ValidationError(
            {"guest_email": "They already have a link to this session. Withdraw it first to send a new one."}
        )
    invitation = GuestInvitation(
        session=session,
        guest_name=guest_name.strip(),
        guest_email=guest_email,
        purpose=purpose.strip(),
        invited_by=by,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    invitation.full_clean()
    invitation.save()
    record_event(actor=by, action="guest.invited", target=invitation, detail={"session": str(session.uuid)})
    transaction.on_commit(lambda: send_guest_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: GuestInvitation, by: User) -> GuestInvitation:
    """Any member, facilitator or convenor may withdraw; withdrawing twice changes nothing."""
    if not may_manage_guests(by, invitation.session):
        raise Http404
    withdrawn = GuestInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    invitation.refresh_from_db(fields=["revoked_at", "revoked_by"])
    if withdrawn:
        record_event(
            actor=by,
            action="guest.revoked",
            target=invitation,
            detail={"session": str(invitation.session.uuid)},
        )
    return invitation


@transaction.atomic
def record_visit(*, invitation: GuestInvitation, what: str, ip: str | None) -> GuestVisit:
    visit = GuestVisit.objects.create(invitation=invitation, what=what, ip=ip)
    record_event(
        actor=None,
        action="guest.visited",
        target=invitation,
        detail={"session": str(invitation.session.uuid), "what": what},
    )
    return visit
