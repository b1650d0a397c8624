"""Decisions that carry a step of the group's handover (decision 0030 section 4): agreed at close,
the step is done in the same transaction; not agreed, it stays open for a new decision."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.decisions import services
from carecommons.decisions.models import Decision
from carecommons.decisions.tests.factories import make_member, open_one, user_of
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    HandoverArea,
    HandoverPlan,
    HandoverStep,
    Standing,
)
from carecommons.groups.tests.handover_factories import convened_group, hand_over, plan_for
from carecommons.people.models import Person
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


@dataclass
class Handover:
    group: CommunityGroup
    plan: HandoverPlan
    staff: User
    members: list[Person]

    def step(self, area: HandoverArea) -> HandoverStep:
        return self.plan.steps.get(area=area)


@pytest.fixture
def handover() -> Handover:
    members = [make_member(name) for name in ("Amira", "Bilal", "Cara")]
    staff = user_of(make_member("Sam"))
    group = convened_group(staff=[staff], members=[user_of(m) for m in members])
    plan = plan_for(group, staff, areas=[HandoverArea.INVITING_PEOPLE, HandoverArea.RUNNING_DECISIONS])
    return Handover(group=group, plan=plan, staff=staff, members=members)


def carrying(h: Handover, area: HandoverArea, kind: str = "proposal") -> Decision:
    return services.open_decision(
        group=h.group,
        person=person_of(h.staff),
        by=h.staff,
        kind=kind,
        title=f"Hand over {area.label.lower()}",
        closes_at=timezone.now() + timedelta(days=7),
        handover_step=h.step(area),
    )


def vote(decision: Decision, people: list[Person], choice: str) -> None:
    for person in people:
        services.cast_vote(decision=decision, person=person, by=user_of(person), choices=[choice])


def test_closing_an_agreed_decision_completes_the_step_it_carries(handover: Handover) -> None:
    decision = carrying(handover, HandoverArea.INVITING_PEOPLE)
    vote(decision, handover.members, "agree")
    services.close_decision(decision=decision, by=handover.staff)
    step = handover.step(HandoverArea.INVITING_PEOPLE)
    assert step.done_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="groups.step_done", target_id=str(step.uuid)).exists()
    handover.plan.refresh_from_db()
    assert handover.plan.completed_on is None


def test_the_last_agreed_step_completes_the_plan_and_ends_the_convening_seats(handover: Handover) -> None:
    hand_over(handover.plan, HandoverArea.INVITING_PEOPLE)
    decision = carrying(handover, HandoverArea.RUNNING_DECISIONS, kind="consent")
    vote(decision, handover.members[:2], "consent")
    services.close_decision(decision=decision, by=None)
    handover.plan.refresh_from_db()
    assert handover.plan.completed_on == timezone.localdate()
    seats = GroupMembership.objects.current(timezone.localdate()).filter(
        group=handover.group, standing=Standing.CONVENING
    )
    assert not seats.exists()


def test_a_decision_that_does_not_pass_leaves_the_step_open_for_a_new_one(handover: Handover) -> None:
    decision = carrying(handover, HandoverArea.INVITING_PEOPLE)
    vote(decision, handover.members[:2], "disagree")
    outcome = services.close_decision(decision=decision, by=handover.staff)
    assert outcome.result["outcome"] == "fails"
    assert handover.step(HandoverArea.INVITING_PEOPLE).done_on is None
    again = carrying(handover, HandoverArea.INVITING_PEOPLE)
    assert list(handover.step(HandoverArea.INVITING_PEOPLE).decisions.all()) == [again, decision]


def test_a_step_is_never_carried_by_two_open_decisions(handover: Handover) -> None:
    carrying(handover, HandoverArea.INVITING_PEOPLE)
    with pytest.raises(ValidationError) as refused:
        carrying(handover, HandoverArea.INVITING_PEOPLE)
    assert "already carries" in str(refused.value)


def test_a_done_step_or_another_groups_step_cannot_be_carried(handover: Handover) -> None:
    hand_over(handover.plan, HandoverArea.INVITING_PEOPLE)
    with pytest.raises(ValidationError):
        carrying(handover, HandoverArea.INVITING_PEOPLE)
    other = convened_group(staff=[user_of(make_member("Tess"))], members=[user_of(handover.members[0])])
    with pytest.raises(ValidationError):
        services.open_decision(
            group=other,
            person=handover.members[0],
            by=user_of(handover.members[0]),
            kind="proposal",
            title="Someone else's step",
            closes_at=timezone.now() + timedelta(days=2),
            handover_step=handover.step(HandoverArea.RUNNING_DECISIONS),
        )


def test_only_kinds_that_pass_or_fail_carry_a_step(handover: Handover) -> None:
    with pytest.raises(ValidationError) as refused:
        carrying(handover, HandoverArea.INVITING_PEOPLE, kind="sense_check")
    assert "cannot carry" in str(refused.value)
    assert carrying(handover, HandoverArea.RUNNING_DECISIONS, kind="gradients").handover_step is not None


def test_a_plain_decision_closing_touches_no_step(handover: Handover) -> None:
    decision = open_one(handover.group, handover.members[0])
    vote(decision, handover.members, "agree")
    services.close_decision(decision=decision, by=None)
    assert not handover.plan.steps.filter(done_on__isnull=False).exists()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_convening_staff_are_offered_the_steps_and_a_member_without_the_power_is_not(
    handover: Handover,
) -> None:
    url = reverse("decisions:decision_create", args=[handover.group.uuid, "proposal"])
    assert 'name="handover_step"' in client_for(handover.staff).get(url).content.decode()
    assert 'name="handover_step"' not in client_for(user_of(handover.members[0])).get(url).content.decode()
    sense = reverse("decisions:decision_create", args=[handover.group.uuid, "sense_check"])
    assert 'name="handover_step"' not in client_for(handover.staff).get(sense).content.decode()


def test_staff_open_a_decision_carrying_a_step_through_the_form(handover: Handover) -> None:
    step = handover.step(HandoverArea.INVITING_PEOPLE)
    url = reverse("decisions:decision_create", args=[handover.group.uuid, "proposal"])
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "submission": "5a0e8c1e-0d7e-4c43-8f3b-6a1f2e3d4c5b",
        "title": "Members invite people from now on",
        "closes_at": closes,
        "results": "after_vote",
        "handover_step": str(step.uuid),
    }
    response = client_for(handover.staff).post(url, data)
    assert response.status_code == 302
    decision = Decision.objects.get(handover_step=step)
    again = client_for(handover.staff).get(url).content.decode()
    assert str(step.uuid) not in again  # carried by an open decision: not offered again
    page = client_for(user_of(handover.members[0])).get(
        reverse("groups:handover", args=[handover.group.uuid])
    )
    text = page.content.decode()
    assert reverse("decisions:decision_detail", args=[handover.group.uuid, decision.uuid]) in text
    assert "open until" in text


def test_the_handover_page_says_whether_each_carrying_decision_was_agreed(handover: Handover) -> None:
    failed = carrying(handover, HandoverArea.INVITING_PEOPLE)
    vote(failed, handover.members[:2], "disagree")
    services.close_decision(decision=failed, by=None)
    agreed = carrying(handover, HandoverArea.RUNNING_DECISIONS)
    vote(agreed, handover.members, "agree")
    services.close_decision(decision=agreed, by=None)
    text = client_for(user_of(handover.members[1])).get(
        reverse("groups:handover", args=[handover.group.uuid])
    )
    body = text.content.decode()
    assert "not agreed on" in body and "the step stays open" in body
    assert "agreed on" in body.replace("not agreed on", "")
