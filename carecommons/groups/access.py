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
from datetime import date, datetime, timedelta
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import Role as SiteRole
from carecommons.accounts.models import User
from carecommons.groups import handover
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    GroupMembershipQuerySet,
    HandoverPlan,
    HandoverStep,
    Joining,
    MembershipState,
    Power,
    Role,
    RolePower,
    RoleTerm,
    StaffInvitation,
    StaffScope,
    StaffVisit,
    Standing,
)
from carecommons.people.access import own_person
from carecommons.people.models import Affiliation, Person
from carecommons.programmes.access import cohorts_run_by, sessions_visible_to
from carecommons.programmes.labs import labs_organised_by
from carecommons.programmes.models import Cohort, EnrolmentStatus, Programme, SessionQuerySet


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


def own_membership(access: GroupAccess) -> GroupMembership:
    """The user's membership, for what only members do (leave, propose, vote, start initiatives):
    convening staff and staff invited back get a 404."""
    if access.member is None:
        raise Http404
    return access.member


def invited_only(access: GroupAccess) -> bool:
    """In the group only through an invitation back: neither a member nor convening staff."""
    return access.member is None and not access.convening


def may_see_ballots(access: GroupAccess) -> bool:
    """Invited staff never see ballots or who voted how (decision 0030 section 4)."""
    return not invited_only(access)


def may_see_money(access: GroupAccess) -> bool:
    """Invited staff never see the group's money (decision 0030 section 4)."""
    return not invited_only(access)


MONEY_POWERS = frozenset({Power.KEEP_BOOKS, Power.APPROVE_SPENDING, Power.GIVE_MONEY_ROLES})


def may_handle(access: GroupAccess, role_powers: "set[Power] | frozenset[Power]") -> bool:
    """Whether the member may give, end or plan terms in a role with these powers: it takes
    `give_roles`, and `give_money_roles` too for a role that handles money."""
    if Power.GIVE_ROLES not in access.powers:
        return False
    return not (role_powers & MONEY_POWERS) or Power.GIVE_MONEY_ROLES in access.powers


def role_in(access: GroupAccess, role_uuid: UUID) -> Role:
    """One of the group's roles; another group's is a 404."""
    role = access.group.roles.filter(uuid=role_uuid).prefetch_related("powers").first()
    if role is None:
        raise Http404
    return role


def term_in(access: GroupAccess, term_uuid: UUID) -> RoleTerm:
    """A term in one of the group's roles that has not ended yet; anything else is a 404."""
    term = (
        RoleTerm.objects.filter(uuid=term_uuid, role__group=access.group)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=timezone.localdate()))
        .select_related("role", "person")
        .first()
    )
    if term is None:
        raise Http404
    return term


def request_in(access: GroupAccess, membership_uuid: UUID) -> GroupMembership:
    """A request to join this group, waiting for an answer."""
    row = access.group.memberships.filter(
        uuid=membership_uuid, state=MembershipState.REQUESTED, ends_on__isnull=True
    ).first()
    if row is None:
        raise Http404
    return row


def own_memberships(user: User) -> GroupMembershipQuerySet:
    """The user's rows still in play: groups they belong to, invitations waiting for their answer,
    requests they made. One query with each group and what it belongs to."""
    person = own_person(user)
    if person is None:
        return GroupMembership.objects.none()
    return (
        GroupMembership.objects.open()
        .filter(person=person, standing=Standing.MEMBER)
        .select_related("group__lab", "group__cohort__programme", "group__parent")
        .order_by("group__name", "group_id")
    )


def get_invitation_for_user(user: User, membership_uuid: UUID) -> GroupMembership:
    """An invitation to the user themselves, still waiting for their answer."""
    person = own_person(user)
    row = (
        GroupMembership.objects.filter(
            uuid=membership_uuid, person=person, state=MembershipState.INVITED, ends_on__isnull=True
        )
        .select_related("group", "invited_by__person")
        .first()
        if person is not None
        else None
    )
    if row is None:
        raise Http404
    return row


def get_group_to_join(user: User, group_uuid: UUID) -> tuple[CommunityGroup, Person]:
    """A group whose joining allows requests, for a signed-in person with a record; any other
    group is a 404, so a shared link says nothing about a group that takes no requests."""
    person = own_person(user)
    group = (
        CommunityGroup.objects.filter(uuid=group_uuid, joining=Joining.INVITATION_OR_REQUEST).first()
        if person is not None
        else None
    )
    if group is None or person is None:
        raise Http404
    return group, person


def may_start_group(user: User) -> bool:
    return own_person(user) is not None


def homes_for_new_group(user: User) -> tuple[QuerySet[Programme], QuerySet[Cohort]]:
    """The Care Labs and cohorts a new group may belong to: those a convenor or organiser reaches.
    Anyone else starts a standalone group."""
    if not user.is_authenticated or not (
        user.has_role(SiteRole.CONVENOR) or user.has_role(SiteRole.ORGANISER)
    ):
        return Programme.objects.none(), Cohort.objects.none()
    cohorts = Cohort.objects.filter(id__in=cohorts_run_by(user).values("id")).select_related("programme")
    return labs_organised_by(user), cohorts


def parents_for_new_group(user: User, today: date) -> QuerySet[CommunityGroup]:
    """The groups a new group may be a working group of: the user's own current groups."""
    person = own_person(user)
    if person is None:
        return CommunityGroup.objects.none()
    current = GroupMembership.objects.current(today).filter(person=person, standing=Standing.MEMBER)
    return CommunityGroup.objects.filter(id__in=current.values("group_id")).order_by("name", "id")


GATHERINGS_SHOWN = timedelta(days=90)


def gatherings_for_new_group(user: User, today: date) -> SessionQuerySet:
    """Sessions a group may say it was formed at: ones the user reaches, held in the last 90 days."""
    since = today - GATHERINGS_SHOWN
    return (
        sessions_visible_to(user)
        .filter(starts_at__date__gte=since, starts_at__date__lte=today)
        .select_related("cohort")
        .order_by("-starts_at", "id")
    )


def people_to_invite(group: CommunityGroup, today: date) -> QuerySet[Person]:
    """People the group can reasonably know, without a directory search: accepted members of its
    Care Lab's cohorts, of its cohort, or current members of its parent group; never someone with
    a row still in play here."""
    if group.lab_id is not None:
        known = Q(enrolments__cohort__programme_id=group.lab_id, enrolments__status=EnrolmentStatus.ACCEPTED)
    elif group.cohort_id is not None:
        known = Q(enrolments__cohort_id=group.cohort_id, enrolments__status=EnrolmentStatus.ACCEPTED)
    elif group.parent_id is not None:
        parents = GroupMembership.objects.current(today).filter(
            group_id=group.parent_id, standing=Standing.MEMBER
        )
        known = Q(id__in=parents.values("person_id"))
    else:
        return Person.objects.none()
    here = GroupMembership.objects.open().filter(group=group, standing=Standing.MEMBER).values("person_id")
    ids = Person.objects.filter(known).values("id")
    return Person.objects.filter(id__in=ids).exclude(id__in=here).order_by("sort_key", "id")


def person_with_email(email: str) -> list[Person]:
    """The records with exactly this address (their own, or the one they sign in with): asked by
    the invite form, which needs exactly one. Never a search: no prefix, no name."""
    address = email.strip()
    return list(Person.objects.filter(Q(email__iexact=address) | Q(user__email__iexact=address))[:2])


def members_of(group: CommunityGroup, today: date) -> QuerySet[Person]:
    """The group's members that day, by name: names only are shown to other members."""
    current = GroupMembership.objects.current(today).filter(group=group, standing=Standing.MEMBER)
    return Person.objects.filter(id__in=current.values("person_id")).order_by("sort_key", "id")


@dataclass(frozen=True)
class Elsewhere:
    """Where the group page leads besides itself: its handover page (when there is a plan or
    convening staff, and never for staff invited back, for whom it does not exist) and its money
    page (when the group keeps books, for a viewer who may see them). Its initiatives are linked
    always: whoever reaches the group reads them. Its decisions are linked for members and
    convening staff, never for staff invited back, who never reach a decision."""

    handover: bool
    books_uuid: UUID | None
    decisions: bool = False


def elsewhere(access: GroupAccess, today: date) -> Elsewhere:
    """One query, whatever the group holds. The books are `finances.Group` rows, an app above this
    one, so they are read through the reverse `books` relation. Money's own rule for members is a
    current membership or a money-role term, and a money-role term is only ever held by a member, so
    a member who `may_see_money` is exactly who may open the money page."""
    seats = GroupMembership.objects.current(today).filter(group=OuterRef("pk"), standing=Standing.CONVENING)
    planned, convened, books_uuid = (
        CommunityGroup.objects.filter(pk=access.group.pk)
        .annotate(
            planned=Exists(HandoverPlan.objects.filter(group=OuterRef("pk"))),
            convened=Exists(seats),
        )
        .values_list("planned", "convened", "books__uuid")
        .get()
    )
    sees_money = may_see_money(access) and access.member is not None
    return Elsewhere(
        handover=(planned or convened) and not invited_only(access),
        books_uuid=books_uuid if sees_money else None,
        decisions=may_see_ballots(access),
    )
