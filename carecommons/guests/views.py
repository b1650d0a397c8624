from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carecommons.accounts.http import AuthedRequest
from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.guests import services
from carecommons.guests.access import (
    get_invitation_for_token,
    get_invitation_for_user,
    get_material_for_guest,
    get_session_for_guests,
)
from carecommons.guests.forms import InviteForm
from carecommons.guests.models import GuestInvitation, GuestVisit, InvitationStatus
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form
from carecommons.lib.private_pages import keep_private
from carecommons.lib.request_context import client_ip
from carecommons.people.access import own_person
from carecommons.programmes.models import Material, Session, SessionMode

VISITS_SHOWN = 50


def private_link(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The token in the URL is the credential: never send it on, never keep the page, one 404 for all."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(request, "guests/link_not_found.html", status=404)
        response["Referrer-Policy"] = "no-referrer"
        keep_private(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


@private_link
@require_GET
def guest_entry(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation_for_token(token)
    session = invitation.session
    services.record_visit(invitation=invitation, what=GuestVisit.SESSION_PAGE, ip=client_ip(request))
    context = {
        "invitation": invitation,
        "session": session,
        "materials": session.materials.all(),
        "show_meeting_link": session.mode in (SessionMode.ONLINE, SessionMode.HYBRID),
    }
    return render(request, "guests/guest_entry.html", context)


def download_name(material: Material) -> str:
    suffix = Path(material.file.name).suffix.lower()
    title = material.title.strip() or "material"
    return title if title.lower().endswith(suffix) else f"{title}{suffix}"


@private_link
@require_GET
def guest_material(request: HttpRequest, token: str, material_id: UUID) -> FileResponse:
    invitation = get_invitation_for_token(token)
    material = get_material_for_guest(invitation, material_id)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.record_visit(
        invitation=invitation, what=GuestVisit.material_what(material.uuid), ip=client_ip(request)
    )
    return FileResponse(
        handle, as_attachment=True, filename=download_name(material), content_type=material.content_type
    )


def describe_visit(visit: GuestVisit, titles: dict[str, str]) -> str:
    material = visit.material_uuid
    if material is None:
        return "Opened the session page"
    return f"Downloaded “{titles.get(material, 'a material since removed')}”"


def name_of(user: User | None) -> str:
    if user is None:
        return "someone who has since left"
    person = own_person(user)
    return person.display_name if person is not None else str(user)


@dataclass
class InvitationRow:
    invitation: GuestInvitation
    status: InvitationStatus
    invited_by: str
    revoked_by: str
    visit_count: int
    visits: list[tuple[GuestVisit, str]]


def invitation_rows(session: Session) -> list[InvitationRow]:
    invitations = (
        session.guest_invitations.all()
        .select_related("invited_by__person", "revoked_by__person")
        .annotate(visit_count=Count("visits"))
        .prefetch_related(
            Prefetch("visits", queryset=GuestVisit.objects.all()[:VISITS_SHOWN], to_attr="recent_visits")
        )
    )
    titles = {str(uuid): title for uuid, title in session.materials.values_list("uuid", "title")}
    now = timezone.now()
    return [
        InvitationRow(
            invitation=invitation,
            status=invitation.status(now),
            invited_by=name_of(invitation.invited_by),
            revoked_by=name_of(invitation.revoked_by) if invitation.revoked_at else "",
            visit_count=invitation.visit_count,  # type: ignore[attr-defined]
            visits=[(v, describe_visit(v, titles)) for v in invitation.recent_visits],  # type: ignore[attr-defined]
        )
        for invitation in invitations
    ]


@login_required
def session_guests(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_guests(request.user, session_id)
    form = InviteForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = create_from_form(
                form,
                request.user,
                GuestInvitation,
                lambda data: services.invite_guest(session=session, by=request.user, **data),
            )
        except ValidationError as error:
            for field, errors in error.update_error_dict({}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, f"{invitation.guest_name} is invited. We have emailed them their private link."
            )
            return redirect("guests:session_guests", session_id=session.uuid)
    context = {
        "session": session,
        "form": form,
        "rows": invitation_rows(session),
        "visits_shown": VISITS_SHOWN,
    }
    record_event(actor=request.user, action="guest.list_viewed", target=session)
    return render(request, "guests/session_guests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    """Asks first (see lib/confirm.py); only the confirmation page's "Yes" withdraws."""
    invitation = get_invitation_for_user(request.user, invitation_id)
    already = invitation.revoked_at is not None
    if not is_confirmed(request):
        if already:
            messages.info(request, f"The invitation to {invitation.guest_name} is already withdrawn.")
            return redirect("guests:session_guests", session_id=invitation.session.uuid)
        record_event(actor=request.user, action="guest.revoke_asked", target=invitation)
        return confirm_page(request, revoke_confirmation(invitation))
    services.revoke_invitation(invitation=invitation, by=request.user)
    if not already:
        messages.success(
            request, f"The invitation to {invitation.guest_name} is withdrawn. Their link no longer works."
        )
    return redirect("guests:session_guests", session_id=invitation.session.uuid)


def revoke_confirmation(invitation: GuestInvitation) -> Confirmation:
    return Confirmation(
        title=f"Withdraw the invitation to {invitation.guest_name}?",
        consequences=[
            f"Their private link to “{invitation.session.title}” stops working at once.",
            "What they opened so far stays listed for the group to see.",
            "This cannot be undone: to let them come after all, invite them again.",
        ],
        yes="Yes, withdraw the invitation",
        back_url=reverse("guests:session_guests", args=[invitation.session.uuid]),
    )
