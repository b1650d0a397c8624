"""What ripple maps add to a session: on its page, for a convenor or a facilitator of its cohort, a
link to start a ripple map there, in the room; in its closing report, the rounds started from it
with how many ripples each holds."""

from django.db.models import Count, Q
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.lib.words import plural
from carecommons.programmes.models import Session
from carecommons.programmes.session_report import Line, Part
from carecommons.ripples.access import may_start_round_from
from carecommons.ripples.models import MappingRound


def start_here(user: User, session: Session) -> list[Line]:
    if not user.is_authenticated or not may_start_round_from(user, session):
        return []
    return [Line("Start a ripple map here", url=reverse("ripples:round_from_session", args=[session.uuid]))]


def rounds_started(session: Session) -> list[Line]:
    rounds = (
        MappingRound.objects.filter(session=session)
        .annotate(count=Count("ripples", filter=Q(ripples__merged_into__isnull=True)))
        .order_by("held_on", "id")
    )
    return [Line(found.title, detail=plural(found.count, "ripple")) for found in rounds]


SESSION_REPORT = [Part("ripples", "Ripple maps", on_page=start_here, in_report=rounds_started)]
