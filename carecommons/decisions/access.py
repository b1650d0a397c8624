"""Who may see a group's decisions and what they may do with them. Views load decisions only here.

Everything goes through `groups.access.get_group_for_user`: current members, and the convening
organisation's staff while the group is being handed over (they run decisions and record hand
votes until that area moves, and never vote). Guests, evaluators and staff invited back never reach
a decision, its ballot form or its ballots. Anything out of reach is a 404.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.decisions.kinds import get_kind
from carecommons.decisions.models import Decision, DecisionQuerySet, Outcome
from carecommons.decisions.schema import Kind
from carecommons.groups.access import GroupAccess, get_group_for_user, may_see_ballots
from carecommons.groups.models import GroupMembership, HandoverStep, Power, Standing
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person
from carecommons.programmes.models import Session


@dataclass(frozen=True)
class DecisionAccess:
    decision: Decision
    kind: Kind
    member: GroupAccess

    @property
    def can_run(self) -> bool:
        """Close it, resolve objections, state the outcome: its proposer or a holder of run_decisions."""
        return (
            self.decision.opened_by_id == self.member.person.pk or Power.RUN_DECISIONS in self.member.powers
        )

    @property
    def can_record(self) -> bool:
        return Power.RECORD_VOTES in self.member.powers

    @property
    def can_record_here(self) -> bool:
        """Hand votes need record_votes; on an advice decision the decider also records advice
        from people outside the group."""
        return self.can_record or (self.kind.key == "advice" and self.can_run)


def _reach(user: User, group_id: UUID) -> GroupAccess:
    """Members, and convening staff while the group is handed over (they may run decisions and
    record hand votes until that area moves; they never vote: the services take members' ballots
    only). Staff invited back never see decisions or ballots: for them these pages do not exist."""
    access = get_group_for_user(user, group_id)
    if not may_see_ballots(access):
        raise Http404
    return access


def get_group_decisions_for_user(user: User, group_id: UUID) -> GroupAccess:
    return _reach(user, group_id)


def decisions_of(access: GroupAccess) -> DecisionQuerySet:
    return Decision.objects.filter(group=access.group)


def get_decision_for_user(
    user: User, group_id: UUID, decision_id: UUID, *, run: bool = False, record: bool = False
) -> DecisionAccess:
    member = _reach(user, group_id)
    decision = (
        decisions_of(member)
        .filter(uuid=decision_id)
        .select_related("opened_by", "group", "session", "handover_step")
        .first()
    )
    if decision is None:
        raise Http404
    found = DecisionAccess(decision=decision, kind=get_kind(decision.kind), member=member)
    if (run and not found.can_run) or (record and not found.can_record):
        raise Http404
    return found


def outcome_of(decision: Decision) -> Outcome | None:
    return Outcome.objects.filter(decision=decision).first()


def members_to_record(decision: Decision) -> QuerySet[Person]:
    """The group's current members, whose hand votes a facilitator may record."""
    current = GroupMembership.objects.current(timezone.localdate()).filter(
        group=decision.group, standing=Standing.MEMBER
    )
    return Person.objects.filter(pk__in=current.values("person_id")).order_by("sort_key", "id")


def session_for(group: GroupAccess, session_id: str | None) -> Session | None:
    """The session a decision is opened from, if it belongs to the group's cohort or Care Lab or the
    group was formed at it; anything else is ignored."""
    try:
        key = UUID(session_id or "")
    except ValueError:
        return None
    g = group.group
    linked = Q(cohort_id=g.cohort_id) if g.cohort_id else Q(pk__in=[])
    if g.lab_id:
        linked |= Q(cohort__programme_id=g.lab_id)
    if g.formed_at_id:
        linked |= Q(pk=g.formed_at_id)
    return Session.objects.filter(linked, uuid=key).select_related("cohort").first()


def issues_and_themes(group: GroupAccess) -> tuple[QuerySet[Issue], QuerySet[Theme]]:
    """What an option may name: the issues and themes of the group's own Care Lab (titles only,
    which carry no names by rule), or none for a group of no lab."""
    lab = group.group.lab_id
    if lab is None:
        return Issue.objects.none(), Theme.objects.none()
    issues = Issue.objects.filter(conversation__lab_id=lab).order_by("title", "id")
    return issues, Theme.objects.filter(lab_id=lab).order_by("name", "id")


def steps_to_carry(group: GroupAccess) -> QuerySet[HandoverStep]:
    """The handover steps a new decision may carry: for convening staff or a holder of
    run_decisions, the steps of the group's own plan, while it is incomplete, that are not done and
    not carried by a decision still open. Nobody else is offered any."""
    if not (group.convening or Power.RUN_DECISIONS in group.powers):
        return HandoverStep.objects.none()
    carried = Decision.objects.still_open().filter(handover_step=OuterRef("pk"))
    return (
        HandoverStep.objects.filter(
            plan__group=group.group, plan__completed_on__isnull=True, done_on__isnull=True
        )
        .exclude(Exists(carried))
        .order_by("position", "id")
    )


def is_member(group: GroupAccess) -> bool:
    """Only members vote, give their own advice and see a ballot form; convening staff run the
    decision and record hand votes."""
    return group.member is not None
