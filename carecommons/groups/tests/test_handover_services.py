"""The handover through the services: plans, steps, convening seats, invitations back. The rules
hold whoever asks, every change is audited, and nothing of the history is deleted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.groups import services
from carecommons.groups.models import GroupMembership, HandoverArea, HandoverStep, Standing
from carecommons.groups.tests.factories import make_group
from carecommons.groups.tests.handover_factories import (
    convened_group,
    employ,
    hand_over,
    invite_back,
    make_organisation,
    plan_for,
)
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_the_last_step_completes_the_plan_and_ends_every_convening_seat_that_day(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser, facilitator])
    plan = plan_for(group, organiser, areas=[HandoverArea.INVITING_PEOPLE, HandoverArea.MONEY_ROLES])
    day = timezone.localdate()
    hand_over(plan, HandoverArea.MONEY_ROLES, on=day)
    plan.refresh_from_db()
    assert plan.completed_on is None
    assert GroupMembership.objects.current(day).filter(standing=Standing.CONVENING).count() == 2
    hand_over(plan, HandoverArea.INVITING_PEOPLE, on=day)
    plan.refresh_from_db()
    assert plan.completed_on == day
    seats = GroupMembership.objects.filter(group=group, standing=Standing.CONVENING)
    assert [s.ends_on for s in seats] == [day, day]  # ended, kept
    assert actions()[-4:] == [
        "groups.step_done",
        "groups.seat_ended",
        "groups.seat_ended",
        "groups.handover_completed",
    ]


def test_a_step_done_once_cannot_be_done_again_and_a_completed_plan_no_longer_changes(
    organiser: User,
) -> None:
    group = convened_group(staff=[organiser])
    plan = plan_for(group, organiser, areas=[HandoverArea.INVITING_PEOPLE])
    step = plan.steps.get()
    hand_over(plan, HandoverArea.INVITING_PEOPLE)
    with pytest.raises(ValidationError, match="complete"):
        services.complete_step(step=step, on=timezone.localdate(), by=None)
    with pytest.raises(ValidationError, match="complete"):
        services.add_step(plan=plan, area=HandoverArea.MONEY_ROLES, planned_for=timezone.localdate(), by=None)
    with pytest.raises(ValidationError, match="complete"):
        services.give_convening_seat(group=group, person=person_of(organiser), by=None)


def test_steps_are_numbered_in_date_order_and_move_until_done(organiser: User) -> None:
    group = convened_group(staff=[organiser])
    plan = plan_for(group, organiser, areas=[HandoverArea.INVITING_PEOPLE, HandoverArea.MONEY_ROLES])
    first = plan.steps.get(area=HandoverArea.INVITING_PEOPLE)
    services.move_step(step=first, planned_for=timezone.localdate() + timedelta(weeks=5), by=organiser)
    assert list(plan.steps.values_list("area", "position")) == [("money_roles", 1), ("inviting_people", 2)]
    with pytest.raises(ValidationError, match="already has a step"):
        services.add_step(plan=plan, area=HandoverArea.MONEY_ROLES, planned_for=timezone.localdate(), by=None)
    hand_over(plan, HandoverArea.MONEY_ROLES)
    with pytest.raises(ValidationError, match="done"):
        services.move_step(step=plan.steps.get(area="money_roles"), planned_for=timezone.localdate(), by=None)
    assert "groups.step_moved" in actions()


def test_only_convening_staff_of_a_convened_group_make_a_plan_and_only_once(
    organiser: User, participant: User
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    with pytest.raises(ValidationError, match="convening staff"):
        services.make_plan(group=group, by=participant)
    services.make_plan(group=group, by=organiser)
    with pytest.raises(ValidationError, match="already has"):
        services.make_plan(group=group, by=organiser)
    with pytest.raises(ValidationError, match="governs itself"):
        services.make_plan(group=make_group(members=[person_of(organiser)]), by=organiser)


def test_a_convening_seat_goes_only_to_current_staff_of_the_convening_organisation(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser])
    with pytest.raises(ValidationError, match="Only staff of"):
        services.give_convening_seat(group=group, person=person_of(facilitator), by=None)
    employ(make_organisation("Another charity"), facilitator)
    with pytest.raises(ValidationError, match="Only staff of"):
        services.give_convening_seat(group=group, person=person_of(facilitator), by=None)
    with pytest.raises(ValidationError, match="already hold"):
        services.give_convening_seat(group=group, person=person_of(organiser), by=None)
    assert group.convened_by is not None
    person = employ(group.convened_by, facilitator)
    person.affiliations.update(ended_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="Only staff of"):
        services.give_convening_seat(group=group, person=person, by=None)


def test_an_invitation_back_needs_a_purpose_a_convening_organisations_staff_member_and_at_most_30_days(
    organiser: User, facilitator: User, participant: User
) -> None:
    group = convened_group(staff=[organiser])
    with pytest.raises(ValidationError, match="at most 30 days"):
        invite_back(group, facilitator, days=31)
    with pytest.raises(ValidationError, match="Only staff"):
        services.invite_staff_back(
            group=group,
            person=person_of(participant),
            purpose="Help",
            valid_until=timezone.now() + timedelta(days=3),
            by=None,
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.invite_staff_back(
            group=group, person=person_of(facilitator), purpose=" ", valid_until=timezone.now(), by=None
        )
    invite_back(group, facilitator)
    with pytest.raises(ValidationError, match="already have an invitation"):
        invite_back(group, facilitator)
    assert actions().count("groups.staff_invited") == 1


def test_the_history_is_kept_steps_seats_and_invitations_are_never_deleted(
    organiser: User, facilitator: User
) -> None:
    group = convened_group(staff=[organiser])
    hand_over(plan_for(group, organiser), *HandoverArea)
    services.revoke_staff_invitation(invitation=invite_back(group, facilitator), by=None)
    assert HandoverStep.objects.filter(plan__group=group, done_on__isnull=False).count() == 4
    assert GroupMembership.objects.filter(
        group=group, standing=Standing.CONVENING, ends_on__isnull=False
    ).exists()
    assert group.staff_invitations.filter(revoked_at__isnull=False).count() == 1
