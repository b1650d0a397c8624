"""The handover as the group reads it: its plan, steps, convening seats, invitations back and the
pages opened through them, and one timeline of them all. A fixed number of queries, whatever the
number of rows (decision 0030 section 4: the history is kept and shown)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Prefetch
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    HandoverPlan,
    HandoverStep,
    StaffInvitation,
    StaffInvitationStatus,
    StaffVisit,
    Standing,
)
from carecommons.people.access import own_person

VISITS_SHOWN = 50


def name_of(user: User | None) -> str:
    if user is None:
        return "someone whose account has gone"
    person = own_person(user)
    return person.display_name if person is not None else str(user)


@dataclass(frozen=True)
class Moment:
    """One line of the timeline: when, and what happened, in words."""

    on: date
    text: str


@dataclass
class InvitationRow:
    invitation: StaffInvitation
    status: StaffInvitationStatus
    invited_by: str
    revoked_by: str
    visit_count: int
    visits: list[StaffVisit]


@dataclass
class History:
    plan: HandoverPlan | None
    steps: list[HandoverStep] = field(default_factory=list)
    seats: list[GroupMembership] = field(default_factory=list)
    invitations: list[InvitationRow] = field(default_factory=list)
    timeline: list[Moment] = field(default_factory=list)

    @property
    def current_seats(self) -> list[GroupMembership]:
        return [s for s in self.seats if s.ends_on is None]


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def history(group: CommunityGroup) -> History:
    plan = HandoverPlan.objects.filter(group=group).select_related("created_by__person").first()
    # The decisions carrying each step (decisions sits above groups: read through the reverse key,
    # named as a string, never imported), with their outcomes: two queries, whatever their number.
    steps = list(plan.steps.prefetch_related("decisions__outcome")) if plan is not None else []
    seats = list(
        GroupMembership.objects.filter(group=group, standing=Standing.CONVENING)
        .select_related("person")
        .order_by("starts_on", "id")
    )
    invitations = (
        StaffInvitation.objects.filter(group=group)
        .select_related("person", "invited_by__person", "revoked_by__person")
        .annotate(visit_count=Count("visits"))
        .prefetch_related(
            Prefetch("visits", queryset=StaffVisit.objects.all()[:VISITS_SHOWN], to_attr="recent_visits")
        )
    )
    now = timezone.now()
    rows = [
        InvitationRow(
            invitation=i,
            status=i.status(now),
            invited_by=name_of(i.invited_by),
            revoked_by=name_of(i.revoked_by) if i.revoked_at else "",
            visit_count=i.visit_count,  # type: ignore[attr-defined]
            visits=i.recent_visits,  # type: ignore[attr-defined]
        )
        for i in invitations
    ]
    found = History(plan=plan, steps=steps, seats=seats, invitations=rows)
    found.timeline = timeline(found)
    return found


def timeline(found: History) -> list[Moment]:
    moments: list[Moment] = []
    for seat in found.seats:
        name = seat.person.display_name
        if seat.starts_on is not None:
            moments.append(Moment(seat.starts_on, f"{name} took a convening seat."))
        if seat.ends_on is not None:
            moments.append(Moment(seat.ends_on, f"{name}'s convening seat ended."))
    plan = found.plan
    if plan is not None:
        maker = name_of(plan.created_by)
        moments.append(Moment(_day(plan.created_at), f"{maker} made the handover plan."))
        for step in found.steps:
            if step.done_on is not None:
                moments.append(Moment(step.done_on, f"Step {step.position} done: {step.get_area_display()}."))
        if plan.completed_on is not None:
            moments.append(Moment(plan.completed_on, "The handover was completed: the group governs itself."))
    for row in found.invitations:
        invitation = row.invitation
        name = invitation.person.display_name
        moments.append(Moment(_day(invitation.created_at), f"{row.invited_by} invited {name} back."))
        if invitation.revoked_at is not None:
            moments.append(
                Moment(_day(invitation.revoked_at), f"{row.revoked_by} withdrew {name}'s invitation.")
            )
    return sorted(moments, key=lambda m: m.on)
