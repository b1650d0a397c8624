"""Who may see a group and what they may do in it. Views load groups only through here.

Members see their own group, and every member sees its roles and who holds them until when. A
member's powers are the powers of the roles they hold today, in areas already handed over (a group
with no handover plan is self-governing). Staff of the convening organisation come in only through
`staff_powers`: a current convening seat until the handover ends, or an invitation back. Anything
out of reach is a 404, so nobody learns that another group exists. Site roles (convenor,
organiser) give nothing inside a group: a deliberate departure from "convenors see and change
everything" (decision 0030).
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import handover
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    HandoverPlan,
    HandoverStep,
    Power,
    RolePower,
    RoleTerm,
    StaffInvitation,
    StaffScope,
    StaffVisit,
    Standing,
)
from carecommons.people.access import own_person
from carecommons.people.models import Affiliation, Person


@dataclass(frozen=True)
class GroupAccess:
    group: CommunityGroup
    person: Person
    member: GroupMembership | None  # None for staff who are not members in their own right
    powers: frozenset[Power]
    convening: bool = False  # holds a current convening seat
    invitation: StaffInvitation | None = None  # the usable invitation back, if any


def stage_of(group: CommunityGroup) -> handover.Stage:
    plan = HandoverPlan.objects.filter(group=group).first()
    if plan is None:
        return handover.SELF_GOVERNING
    done = plan.steps.filter(done_on__isnull=False).values_list("area", flat=True)
    return handover.Stage(
        planned=True,
        completed=plan.completed_on is not None,
        done=frozenset(handover.HandoverArea(a) for a in done),
    )


def powers_of(group: CommunityGroup, person: Person, today: date) -> frozenset[Power]:
    """The powers of the roles they hold that day, and `see`, every member's; before withholding."""
    held = RolePower.objects.filter(
        role__terms__in=RoleTerm.objects.current(today).filter(role__group=group, person=person)
    ).values_list("power", flat=True)
    return frozenset({Power.SEE, *(Power(p) for p in held)})


def convening_seat(group: CommunityGroup, person: Person, today: date) -> GroupMembership | None:
    return (
        GroupMembership.objects.current(today)
        .filter(group=group, person=person, standing=Standing.CONVENING)
        .first()
    )


def usable_invitation(group: CommunityGroup, person: Person, now: datetime) -> StaffInvitation | None:
    return StaffInvitation.objects.usable(now).filter(group=group, person=person).first()


def invitation_powers(invitation: StaffInvitation | None) -> frozenset[Power]:
    if invitation is None:
        return frozenset()
    if invitation.scope == StaffScope.SEE_AND_ADVISE:
        return frozenset({Power.SEE, Power.ADVISE})
    return frozenset({Power.SEE})


def _staff(
    group: CommunityGroup, person: Person, stage: handover.Stage, now: datetime
) -> tuple[frozenset[Power], bool, StaffInvitation | None]:
    seat = convening_seat(group, person, timezone.localdate(now))
    invitation = usable_invitation(group, person, now)
    powers = handover.convening_powers(stage) if seat is not None else frozenset()
    return powers | invitation_powers(invitation), seat is not None, invitation


def staff_powers(group: CommunityGroup, person: Person, *, now: datetime) -> frozenset[Power]:
    """What staff of the convening organisation may do in this group now: `see` and the powers of
    the areas not yet handed over with a current convening seat, plus `see` (and `advise`, if
    granted) from a usable invitation back; nothing otherwise. The one way staff get in."""
    return _staff(group, person, stage_of(group), now)[0]


def _reach(user: User, group_uuid: UUID) -> GroupAccess:
    """The user's standing in the group, worked out once per request (decision 0020); a 404 for
    anyone who may not see it."""
    person = own_person(user)
    group = CommunityGroup.objects.filter(uuid=group_uuid).select_related("convened_by").first()
    if person is None or group is None:
        raise Http404
    now = timezone.now()
    today = timezone.localdate(now)
    stage = stage_of(group)
    member = (
        GroupMembership.objects.current(today)
        .filter(group=group, person=person, standing=Standing.MEMBER)
        .first()
    )
    powers: frozenset[Power] = frozenset()
    if member is not None:
        powers = powers_of(group, person, today) - handover.withheld_from_members(stage)
    staff, convening, invitation = _staff(group, person, stage, now)
    powers |= staff
    if Power.SEE not in powers:
        raise Http404
    return GroupAccess(
        group=group, person=person, member=member, powers=powers, convening=convening, invitation=invitation
    )


def _needing(access: GroupAccess, need: Power | None) -> GroupAccess:
    if need is not None and need not in access.powers:
        raise Http404
    return access


def get_group_for_user(
    user: User, group_uuid: UUID, *, need: Power | None = None, page: str = "the group's page"
) -> GroupAccess:
    """The group and the user's standing in it; `need` asks for a power the user must hold. A page
    opened only through an invitation back is logged for the group to see (`StaffVisit`, with
    `page` saying which)."""
    access = _needing(_reach(user, group_uuid), need)
    if invited_only(access) and access.invitation is not None:
        StaffVisit.objects.create(invitation=access.invitation, what=page)
    return access


def get_group_for_handover(
    user: User, group_uuid: UUID, *, need: Power | None = None, convening: bool = False
) -> GroupAccess:
    """The handover pages: members and convening staff (`convening`: convening staff only). Staff
    invited back see the group, not how it was handed over: for them the pages do not exist."""
    access = _needing(_reach(user, group_uuid), need)
    if invited_only(access) or (convening and not access.convening):
        raise Http404
    return access


def get_step_for_user(access: GroupAccess, step_uuid: UUID) -> HandoverStep:
    step = (
        HandoverStep.objects.filter(uuid=step_uuid, plan__group=access.group).select_related("plan").first()
    )
    if step is None:
        raise Http404
    return step


def get_seat_for_user(access: GroupAccess, seat_uuid: UUID) -> GroupMembership:
    seat = (
        GroupMembership.objects.filter(uuid=seat_uuid, group=access.group, standing=Standing.CONVENING)
        .select_related("person")
        .first()
    )
    if seat is None:
        raise Http404
    return seat


def get_staff_invitation_for_user(access: GroupAccess, invitation_uuid: UUID) -> StaffInvitation:
    invitation = (
        StaffInvitation.objects.filter(uuid=invitation_uuid, group=access.group)
        .select_related("person")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def staff_of(organisation_id: int, today: date) -> QuerySet[Affiliation]:
    """Current affiliations to the organisation: what "staff of X" means (decision 0030 section 4)."""
    return Affiliation.objects.filter(organisation_id=organisation_id).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=today),
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
    )


def staff_candidates(group: CommunityGroup, today: date) -> QuerySet[Person]:
    """Who may take a convening seat or be invited back: people with an account and a current
    Affiliation to the convening organisation. A short list of its staff, never a directory search."""
    if group.convened_by_id is None:
        return Person.objects.none()
    current = staff_of(group.convened_by_id, today)
    return Person.objects.filter(user__isnull=False, pk__in=current.values("person_id")).order_by(
        "given_name", "family_name", "id"
    )


def invited_only(access: GroupAccess) -> bool:
    """In the group only through an invitation back: neither a member nor convening staff."""
    return access.member is None and not access.convening


def may_see_ballots(access: GroupAccess) -> bool:
    """Invited staff never see ballots or who voted how (decision 0030 section 4)."""
    return not invited_only(access)


def may_see_money(access: GroupAccess) -> bool:
    """Invited staff never see the group's money (decision 0030 section 4)."""
    return not invited_only(access)
