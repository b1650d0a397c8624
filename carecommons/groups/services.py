"""Writes for groups: starting one, joining and leaving, naming roles, giving terms (decision 0030).

Keyword-only, one transaction each, audited with ids only. Who may do what is for `access.py` to
decide before a service is called; the services keep the rules that hold whoever asks.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.groups import rotation
from carecommons.groups.access import staff_of
from carecommons.groups.models import (
    ROLE_POWERS,
    CommunityGroup,
    GroupMembership,
    HandoverArea,
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
    Standing,
)
from carecommons.lib.dates import HAPPENED, PLANNED, add_months, check_date
from carecommons.lib.windows import check_window
from carecommons.people.access import own_person
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Cohort, Programme, Session


def _audit(action: str, *, by: User | None, target: models.Model, **detail: str) -> None:
    record_event(actor=by, action=action, target=target, detail=detail)


@transaction.atomic
def start_group(
    *,
    name: str,
    by: User | None,
    purpose: str = "",
    lab: Programme | None = None,
    cohort: Cohort | None = None,
    parent: CommunityGroup | None = None,
    formed_at: Session | None = None,
    joining: str = Joining.INVITATION,
    founders: Iterable[Person] = (),
    today: date | None = None,
    convened_by: Organisation | None = None,
) -> CommunityGroup:
    """A new group; its founders are members from today. A group an organisation convenes names it
    in `convened_by`; its staff take seats with `give_convening_seat`."""
    group = CommunityGroup(
        name=name.strip(),
        purpose=purpose.strip(),
        lab=lab,
        cohort=cohort,
        parent=parent,
        formed_at=formed_at,
        joining=joining,
        convened_by=convened_by,
    )
    group.full_clean()
    group.save()
    _audit("groups.started", by=by, target=group)
    day = today or timezone.localdate()
    for person in founders:
        membership = GroupMembership.objects.create(
            group=group,
            person=person,
            state=MembershipState.ACTIVE,
            starts_on=day,
            answered_at=timezone.now(),
        )
        _audit(
            "groups.member_joined", by=by, target=membership, group=str(group.uuid), person=str(person.uuid)
        )
    return group


def _refuse_if_open(group: CommunityGroup, person: Person) -> None:
    open_row = (
        GroupMembership.objects.open().filter(group=group, person=person, standing=Standing.MEMBER).first()
    )
    if open_row is None:
        return
    if open_row.state == MembershipState.ACTIVE:
        raise ValidationError({"person": "They are already a member of this group."})
    if open_row.state == MembershipState.INVITED:
        raise ValidationError({"person": "They have already been invited and not yet answered."})
    raise ValidationError({"person": "They have already asked to join; answer their request."})


@transaction.atomic
def invite_member(*, group: CommunityGroup, person: Person, by: User | None) -> GroupMembership:
    CommunityGroup.objects.select_for_update().get(pk=group.pk)
    _refuse_if_open(group, person)
    membership = GroupMembership.objects.create(
        group=group, person=person, state=MembershipState.INVITED, invited_by=by if by and by.pk else None
    )
    _audit("groups.member_invited", by=by, target=membership, group=str(group.uuid), person=str(person.uuid))
    return membership


@transaction.atomic
def request_to_join(*, group: CommunityGroup, person: Person, by: User | None) -> GroupMembership:
    CommunityGroup.objects.select_for_update().get(pk=group.pk)
    if group.joining != Joining.INVITATION_OR_REQUEST:
        raise ValidationError("This group takes new members by invitation only.")
    _refuse_if_open(group, person)
    membership = GroupMembership.objects.create(group=group, person=person, state=MembershipState.REQUESTED)
    _audit("groups.join_requested", by=by, target=membership, group=str(group.uuid), person=str(person.uuid))
    return membership


ANSWERS = {
    # state waiting → (state if yes, state if no)
    MembershipState.INVITED: (MembershipState.ACTIVE, MembershipState.DECLINED),
    MembershipState.REQUESTED: (MembershipState.ACTIVE, MembershipState.REFUSED),
}


def _answer(
    membership: GroupMembership, waiting: str, *, accept: bool, by: User | None, today: date | None
) -> GroupMembership:
    row = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if row.state != waiting or row.ends_on is not None:
        raise ValidationError("This has already been answered.")
    yes, no = ANSWERS[MembershipState(waiting)]
    row.state = yes if accept else no
    row.answered_at = timezone.now()
    if accept:
        row.starts_on = today or timezone.localdate()
    row.save(update_fields=["state", "answered_at", "starts_on", "updated_at"])
    if accept:
        action = "groups.member_joined"
    else:
        action = "groups.invitation_declined" if no == MembershipState.DECLINED else "groups.request_refused"
    _audit(action, by=by, target=row, group=str(row.group.uuid), person=str(row.person.uuid))
    return row


@transaction.atomic
def answer_invitation(
    *, membership: GroupMembership, accept: bool, by: User | None, today: date | None = None
) -> GroupMembership:
    """The invited person says yes (a member from today) or no."""
    return _answer(membership, MembershipState.INVITED, accept=accept, by=by, today=today)


@transaction.atomic
def answer_request(
    *, membership: GroupMembership, accept: bool, by: User | None, today: date | None = None
) -> GroupMembership:
    """A member who may invite people lets a person in (a member from today) or refuses."""
    return _answer(membership, MembershipState.REQUESTED, accept=accept, by=by, today=today)


@transaction.atomic
def leave_group(*, membership: GroupMembership, by: User | None, on: date | None = None) -> GroupMembership:
    """Leaving (or being removed) ends the membership that day, never deletes it. Their roles end
    the same day; terms starting that day or later are taken out of the rotation."""
    row = GroupMembership.objects.select_for_update().select_related("group", "person").get(pk=membership.pk)
    day = on or timezone.localdate()
    if row.state != MembershipState.ACTIVE or row.ends_on is not None:
        raise ValidationError("They are not a member of this group now.")
    if row.starts_on is not None and day < row.starts_on:
        raise ValidationError({"on": "A membership ends on or after the day it started."})
    row.ends_on = day
    row.save(update_fields=["ends_on", "updated_at"])
    terms = RoleTerm.objects.filter(role__group=row.group, person=row.person)
    dropped, _ = terms.filter(starts_on__gte=day).delete()
    terms.current(day).update(ends_on=day, updated_at=timezone.now())
    _audit(
        "groups.member_left",
        by=by,
        target=row,
        group=str(row.group.uuid),
        person=str(row.person.uuid),
        planned_terms_dropped=str(dropped),
    )
    return row


@transaction.atomic
def name_role(
    *,
    group: CommunityGroup,
    name: str,
    by: User | None,
    description: str = "",
    term_months: int | None = None,
    max_consecutive_terms: int | None = None,
    seats: int | None = None,
    powers: Iterable[str] = (),
) -> Role:
    chosen = {Power(p) for p in powers}
    if chosen - ROLE_POWERS:
        raise ValidationError({"powers": "Seeing and advising belong to every member, not to a role."})
    if max_consecutive_terms is not None and term_months is None:
        raise ValidationError(
            {"max_consecutive_terms": "Say how long a term lasts before limiting terms in a row."}
        )
    if Role.objects.filter(group=group, name__iexact=name.strip()).exists():
        raise ValidationError({"name": "This group already has a role with that name."})
    role = Role(
        group=group,
        name=name.strip(),
        description=description.strip(),
        term_months=term_months,
        max_consecutive_terms=max_consecutive_terms,
        seats=seats,
    )
    role.full_clean(validate_constraints=False)
    role.save()
    RolePower.objects.bulk_create([RolePower(role=role, power=p) for p in sorted(chosen)])
    _audit("groups.role_named", by=by, target=role, group=str(group.uuid))
    return role


def _span(term: RoleTerm) -> rotation.Span:
    return rotation.Span(term.starts_on, term.ends_on)


@transaction.atomic
def give_term(
    *,
    role: Role,
    person: Person,
    starts_on: date,
    by: User | None,
    ends_on: date | None = None,
    today: date | None = None,
) -> RoleTerm:
    """A term in a role, now or planned ahead. Without `ends_on`, a role with a term length gets a
    full term. Refused, in plain words, when the role's rule does not allow it."""
    role = Role.objects.select_for_update().select_related("group").get(pk=role.pk)
    day = today or timezone.localdate()
    check_date(starts_on, PLANNED, field="starts_on", today=day)
    if ends_on is None and role.term_months is not None:
        ends_on = add_months(starts_on, role.term_months)
    check_date(ends_on, PLANNED, field="ends_on", today=day)
    member = GroupMembership.objects.current(day).filter(
        group=role.group, person=person, standing=Standing.MEMBER
    )
    if not member.exists():
        raise ValidationError({"person": "Only a member of the group can hold one of its roles."})
    term = rotation.Span(starts_on, ends_on)
    terms = list(RoleTerm.objects.filter(role=role))
    problems = rotation.term_problems(
        rotation.Rule(role.term_months, role.max_consecutive_terms, role.seats),
        term,
        own=[_span(t) for t in terms if t.person_id == person.pk],
        others=[_span(t) for t in terms if t.person_id != person.pk],
    )
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)
    row = RoleTerm.objects.create(
        role=role,
        person=person,
        starts_on=starts_on,
        ends_on=ends_on,
        planned_by=by if by and by.pk else None,
    )
    _audit(
        "groups.term_given" if starts_on <= day else "groups.term_planned",
        by=by,
        target=row,
        group=str(role.group.uuid),
        role=str(role.uuid),
        person=str(person.uuid),
    )
    return row


@transaction.atomic
def end_term(*, term: RoleTerm, by: User | None, on: date | None = None) -> RoleTerm:
    """A term ends early (they step down); a term not started yet is taken out of the rotation."""
    row = RoleTerm.objects.select_for_update().select_related("role__group", "person").get(pk=term.pk)
    day = on or timezone.localdate()
    if row.ends_on is not None and row.ends_on <= day:
        raise ValidationError("This term has already ended.")
    detail = {"group": str(row.role.group.uuid), "role": str(row.role.uuid), "person": str(row.person.uuid)}
    if row.starts_on >= day:
        _audit("groups.term_cancelled", by=by, target=row, **detail)
        row.delete()
        return row
    row.ends_on = day
    row.save(update_fields=["ends_on", "updated_at"])
    _audit("groups.term_ended", by=by, target=row, **detail)
    return row


# The handover (decision 0030 section 4).


def _lock(group: CommunityGroup) -> CommunityGroup:
    return CommunityGroup.objects.select_for_update().get(pk=group.pk)


def _is_staff_of(person: Person, organisation: Organisation, day: date) -> bool:
    return staff_of(organisation.pk, day).filter(person=person).exists()


def _holds_seat(group: CommunityGroup, person: Person | None, day: date) -> bool:
    return (
        person is not None
        and GroupMembership.objects.current(day)
        .filter(group=group, person=person, standing=Standing.CONVENING)
        .exists()
    )


@transaction.atomic
def give_convening_seat(
    *, group: CommunityGroup, person: Person, by: User | None, today: date | None = None
) -> GroupMembership:
    """A seat for a member of the convening organisation's staff, from today. A seat is not a
    membership: it counts for no vote and no quorum, and it ends when the handover completes."""
    group = _lock(group)
    day = today or timezone.localdate()
    if group.convened_by is None:
        raise ValidationError("No organisation convenes this group, so it has no convening staff.")
    if HandoverPlan.objects.filter(group=group, completed_on__isnull=False).exists():
        raise ValidationError("The handover is complete: staff come back only if the group invites them.")
    if not _is_staff_of(person, group.convened_by, day):
        raise ValidationError(
            {"person": f"Only staff of {group.convened_by.name} can hold a convening seat."}
        )
    if person.user_id is None:
        raise ValidationError({"person": "They need an account to sign in before they can hold a seat."})
    if (
        GroupMembership.objects.open()
        .filter(group=group, person=person, standing=Standing.CONVENING)
        .exists()
    ):
        raise ValidationError({"person": "They already hold a convening seat in this group."})
    seat = GroupMembership.objects.create(
        group=group,
        person=person,
        standing=Standing.CONVENING,
        state=MembershipState.ACTIVE,
        starts_on=day,
        answered_at=timezone.now(),
        invited_by=by if by and by.pk else None,
    )
    _audit("groups.seat_given", by=by, target=seat, group=str(group.uuid), person=str(person.uuid))
    return seat


def _end_seat(seat: GroupMembership, day: date, by: User | None) -> None:
    seat.ends_on = max(day, seat.starts_on or day)
    seat.save(update_fields=["ends_on", "updated_at"])
    _audit("groups.seat_ended", by=by, target=seat, group=str(seat.group.uuid), person=str(seat.person.uuid))


@transaction.atomic
def end_convening_seat(*, seat: GroupMembership, by: User | None, on: date | None = None) -> GroupMembership:
    """A member of staff leaves the group's convening before the handover ends. Kept, never deleted."""
    row = GroupMembership.objects.select_for_update().select_related("group", "person").get(pk=seat.pk)
    if row.standing != Standing.CONVENING or row.state != MembershipState.ACTIVE or row.ends_on is not None:
        raise ValidationError("This convening seat has already ended.")
    _end_seat(row, on or timezone.localdate(), by)
    return row


@transaction.atomic
def make_plan(*, group: CommunityGroup, by: User, today: date | None = None) -> HandoverPlan:
    """The handover plan, made by convening staff of a group an organisation convenes; steps follow."""
    group = _lock(group)
    if group.convened_by is None:
        raise ValidationError("No organisation convenes this group: it governs itself already.")
    if not _holds_seat(group, own_person(by), today or timezone.localdate()):
        raise ValidationError("Only the group's convening staff can make its handover plan.")
    if HandoverPlan.objects.filter(group=group).exists():
        raise ValidationError("This group already has a handover plan.")
    plan = HandoverPlan.objects.create(group=group, created_by=by)
    _audit("groups.plan_made", by=by, target=plan, group=str(group.uuid))
    return plan


def _open_plan(plan: HandoverPlan) -> HandoverPlan:
    row = HandoverPlan.objects.select_for_update().select_related("group").get(pk=plan.pk)
    if row.completed_on is not None:
        raise ValidationError("The handover is complete; its plan no longer changes.")
    return row


def _renumber(plan: HandoverPlan) -> None:
    """Steps are numbered in the order of their planned days."""
    steps = list(plan.steps.order_by("planned_for", "id"))
    for position, step in enumerate(steps, start=1):
        step.position = position
    HandoverStep.objects.bulk_update(steps, ["position"])


@transaction.atomic
def add_step(
    *, plan: HandoverPlan, area: str, planned_for: date, by: User | None, today: date | None = None
) -> HandoverStep:
    plan = _open_plan(plan)
    check_date(planned_for, PLANNED, field="planned_for", today=today)
    if plan.steps.filter(area=area).exists():
        raise ValidationError({"area": "The plan already has a step for this."})
    step = HandoverStep.objects.create(
        plan=plan, position=plan.steps.count() + 1, area=HandoverArea(area), planned_for=planned_for
    )
    _renumber(plan)
    _audit("groups.step_planned", by=by, target=step, group=str(plan.group.uuid), area=step.area)
    return step


@transaction.atomic
def move_step(
    *, step: HandoverStep, planned_for: date, by: User | None, today: date | None = None
) -> HandoverStep:
    """A step not yet done moves to another day; the steps are numbered again in date order."""
    plan = _open_plan(step.plan)
    row = HandoverStep.objects.get(pk=step.pk)
    if row.done_on is not None:
        raise ValidationError("This step is done; it cannot move.")
    check_date(planned_for, PLANNED, field="planned_for", today=today)
    row.planned_for = planned_for
    row.save(update_fields=["planned_for", "updated_at"])
    _renumber(plan)
    _audit("groups.step_moved", by=by, target=row, group=str(plan.group.uuid), area=row.area)
    row.refresh_from_db()
    return row


@transaction.atomic
def complete_step(*, step: HandoverStep, on: date, by: User | None) -> HandoverStep:
    """A step is done: its area moves to the members that day.

    Called by the decisions app when the decision of the group that carries the step closes as
    agreed (`decisions.Decision.handover_step`, decision 0030 section 4), never from a page of its
    own. On the last step the plan is complete and every convening seat ends that day, in this
    same transaction: from then on staff hold no power unless the group invites them back.
    """
    plan = _open_plan(step.plan)
    row = HandoverStep.objects.get(pk=step.pk)
    if row.done_on is not None:
        raise ValidationError("This step is already done.")
    check_date(on, HAPPENED, field="on")
    row.done_on = on
    row.save(update_fields=["done_on", "updated_at"])
    group = plan.group
    _audit("groups.step_done", by=by, target=row, group=str(group.uuid), area=row.area)
    if plan.steps.filter(done_on__isnull=True).exists():
        return row
    plan.completed_on = on
    plan.save(update_fields=["completed_on", "updated_at"])
    seats = GroupMembership.objects.open().filter(group=group, standing=Standing.CONVENING)
    for seat in seats.select_related("group", "person"):
        _end_seat(seat, on, by)
    _audit("groups.handover_completed", by=by, target=plan, group=str(group.uuid))
    return row


@transaction.atomic
def invite_staff_back(
    *,
    group: CommunityGroup,
    person: Person,
    purpose: str,
    valid_until: datetime,
    by: User | None,
    scope: str = StaffScope.SEE,
    valid_from: datetime | None = None,
    now: datetime | None = None,
) -> StaffInvitation:
    """Staff of the convening organisation invited back, for a stated purpose and a limited time,
    exactly like guests (lib/windows.py). A holder of `invite_professionals` asks; after the
    handover that is a member."""
    group = _lock(group)
    now = now or timezone.now()
    if not purpose.strip():
        raise ValidationError({"purpose": "Say why the group is inviting them back."})
    if group.convened_by is None or not _is_staff_of(person, group.convened_by, timezone.localdate(now)):
        raise ValidationError(
            {"person": "Only staff of the organisation that convened the group can be invited back."}
        )
    if person.user_id is None:
        raise ValidationError({"person": "They need an account to sign in before they can be invited back."})
    check_date(valid_from, PLANNED, field="valid_from")
    check_date(valid_until, PLANNED, field="valid_until")
    valid_from = valid_from or now
    check_window(valid_from, valid_until, now, noun="invitation")
    if StaffInvitation.objects.filter(
        group=group, person=person, revoked_at__isnull=True, valid_until__gt=now
    ).exists():
        raise ValidationError(
            {"person": "They already have an invitation back. Withdraw it first to make a new one."}
        )
    invitation = StaffInvitation(
        group=group,
        person=person,
        purpose=purpose.strip(),
        scope=StaffScope(scope),
        valid_from=valid_from,
        valid_until=valid_until,
        invited_by=by if by and by.pk else None,
    )
    invitation.full_clean()
    invitation.save()
    _audit("groups.staff_invited", by=by, target=invitation, group=str(group.uuid), person=str(person.uuid))
    return invitation


@transaction.atomic
def revoke_staff_invitation(*, invitation: StaffInvitation, by: User | None) -> StaffInvitation:
    """Withdrawn at once; withdrawing twice changes nothing. The invitation and its visits stay."""
    withdrawn = StaffInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by if by and by.pk else None, updated_at=timezone.now()
    )
    invitation.refresh_from_db(fields=["revoked_at", "revoked_by"])
    if withdrawn:
        _audit(
            "groups.staff_invitation_revoked",
            by=by,
            target=invitation,
            group=str(invitation.group.uuid),
            person=str(invitation.person.uuid),
        )
    return invitation


FIRST_ROLE = "Convenor"
FIRST_ROLE_POWERS = (
    Power.INVITE_PEOPLE,
    Power.RUN_DECISIONS,
    Power.RECORD_VOTES,
    Power.GIVE_ROLES,
    Power.INVITE_PROFESSIONALS,
)
FIRST_ROLE_TERM_MONTHS = 12
FIRST_ROLE_TERMS_IN_A_ROW = 2


@transaction.atomic
def found_group(
    *,
    name: str,
    founder: Person,
    by: User | None,
    purpose: str = "",
    lab: Programme | None = None,
    cohort: Cohort | None = None,
    parent: CommunityGroup | None = None,
    formed_at: Session | None = None,
    joining: str = Joining.INVITATION,
    today: date | None = None,
) -> CommunityGroup:
    """A group started by one person: its first member, and the first holder of its convenor role,
    a role that rotates (a year at a time, two years in a row at most) so no one keeps it. A
    working group of another group (`parent`) is started only by a member of that group."""
    day = today or timezone.localdate()
    if parent is not None and not (
        GroupMembership.objects.current(day)
        .filter(group=parent, person=founder, standing=Standing.MEMBER)
        .exists()
    ):
        raise ValidationError({"parent": "Only a member of a group starts a working group of it."})
    group = start_group(
        name=name,
        by=by,
        purpose=purpose,
        lab=lab,
        cohort=cohort,
        parent=parent,
        formed_at=formed_at,
        joining=joining,
        founders=[founder],
        today=day,
    )
    role = name_role(
        group=group,
        name=FIRST_ROLE,
        by=by,
        description="Calls the group together and keeps it going, until the next convenor takes over.",
        term_months=FIRST_ROLE_TERM_MONTHS,
        max_consecutive_terms=FIRST_ROLE_TERMS_IN_A_ROW,
        seats=1,
        powers=FIRST_ROLE_POWERS,
    )
    give_term(role=role, person=founder, starts_on=day, by=by, today=day)
    return group
