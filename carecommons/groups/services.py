"""Writes for groups: starting one, joining and leaving, naming roles, giving terms (decision 0030).

Keyword-only, one transaction each, audited with ids only. Who may do what is for `access.py` to
decide before a service is called; the services keep the rules that hold whoever asks.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.groups import rotation
from carecommons.groups.models import (
    ROLE_POWERS,
    CommunityGroup,
    GroupMembership,
    Joining,
    MembershipState,
    Power,
    Role,
    RolePower,
    RoleTerm,
    Standing,
)
from carecommons.lib.dates import PLANNED, add_months, check_date
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, Programme, Session


def _audit(
    action: str, *, by: User | None, target: CommunityGroup | GroupMembership | Role | RoleTerm, **detail: str
) -> None:
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
) -> CommunityGroup:
    """A new group; its founders are members from today."""
    group = CommunityGroup(
        name=name.strip(),
        purpose=purpose.strip(),
        lab=lab,
        cohort=cohort,
        parent=parent,
        formed_at=formed_at,
        joining=joining,
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
    formed_at: Session | None = None,
    joining: str = Joining.INVITATION,
    today: date | None = None,
) -> CommunityGroup:
    """A group started by one person: its first member, and the first holder of its convenor role,
    a role that rotates (a year at a time, two years in a row at most) so no one keeps it."""
    day = today or timezone.localdate()
    group = start_group(
        name=name,
        by=by,
        purpose=purpose,
        lab=lab,
        cohort=cohort,
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
