"""What decisions add to a session: on its page, a link to open a decision from it in each group
of the session's cohort or Care Lab (or formed at it) the person is a member of; in its closing
report, the outcomes of the decisions opened from it."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.decisions.models import Decision
from carecommons.groups.models import CommunityGroup, GroupMembership, Standing
from carecommons.programmes.models import Session
from carecommons.programmes.session_report import Line, Part


def groups_of_session(session: Session) -> "Q":
    return Q(cohort_id=session.cohort_id) | Q(lab_id=session.cohort.programme_id) | Q(formed_at=session)


def open_from_session(user: User, session: Session) -> list[Line]:
    if not user.is_authenticated:
        return []
    mine = GroupMembership.objects.current(timezone.localdate()).filter(
        person__user_id=user.pk, standing=Standing.MEMBER
    )
    groups = CommunityGroup.objects.filter(groups_of_session(session), pk__in=mine.values("group_id"))
    return [
        Line(
            f"Open a decision in {group.name}",
            url=f"{reverse('decisions:propose', args=[group.uuid])}?session={session.uuid}",
        )
        for group in groups
    ]


def outcomes(session: Session) -> list[Line]:
    decided = (
        Decision.objects.filter(session=session, closed_at__isnull=False)
        .select_related("group", "outcome")
        .order_by("closed_at", "id")
    )
    return [
        Line(f"{d.group.name}: {d.title}", detail=d.outcome.statement or "Outcome not stated yet.")
        for d in decided
    ]


SESSION_REPORT = [Part("decisions", "Decisions", on_page=open_from_session, in_report=outcomes)]
