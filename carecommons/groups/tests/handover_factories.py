"""Fixtures for the handover, made through the real services: a group an organisation convenes,
its staff in convening seats, a plan with steps."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.models import CommunityGroup, HandoverArea, HandoverPlan, StaffInvitation, StaffScope
from carecommons.people.models import Organisation, Person
from carecommons.people.services import add_affiliation, create_organisation
from carecommons.programmes.tests.factories import person_of


def make_organisation(name: str = "Riverside Care Lab") -> Organisation:
    return create_organisation(by=None, name=f"{name} {uuid.uuid4().hex[:6]}", kind="charity")


def employ(organisation: Organisation, user: User) -> Person:
    person = person_of(user)
    add_affiliation(person=person, organisation=organisation, role="community worker", by=None)
    return person


def convened_group(
    *, staff: Sequence[User] = (), members: Sequence[User] = (), today: date | None = None
) -> CommunityGroup:
    """A group convened by a new organisation; `staff` work there and hold convening seats."""
    day = today or timezone.localdate()
    organisation = make_organisation()
    group = services.start_group(
        name="Riverside action group",
        by=None,
        founders=[person_of(u) for u in members],
        today=day,
        convened_by=organisation,
    )
    for user in staff:
        services.give_convening_seat(group=group, person=employ(organisation, user), by=None, today=day)
    return group


def plan_for(
    group: CommunityGroup,
    by: User,
    areas: Sequence[HandoverArea] = tuple(HandoverArea),
    today: date | None = None,
) -> HandoverPlan:
    day = today or timezone.localdate()
    plan = services.make_plan(group=group, by=by, today=day)
    for weeks, area in enumerate(areas, start=1):
        services.add_step(plan=plan, area=area, planned_for=day + timedelta(weeks=weeks), by=by, today=day)
    return plan


def hand_over(plan: HandoverPlan, *areas: HandoverArea, on: date | None = None) -> None:
    """What the decisions app does when the decisions carrying these steps close as agreed."""
    for step in plan.steps.filter(area__in=areas):
        services.complete_step(step=step, on=on or timezone.localdate(), by=None)


def invite_back(
    group: CommunityGroup,
    user: User,
    *,
    scope: str = StaffScope.SEE,
    days: int = 14,
    valid_from: datetime | None = None,
    by: User | None = None,
) -> StaffInvitation:
    assert group.convened_by is not None
    person = person_of(user)
    if not person.affiliations.filter(organisation=group.convened_by).exists():
        employ(group.convened_by, user)
    start = valid_from or timezone.now()
    return services.invite_staff_back(
        group=group,
        person=person,
        purpose="To help the group plan its winter meals.",
        scope=scope,
        valid_from=valid_from,
        valid_until=start + timedelta(days=days),
        by=by,
    )
