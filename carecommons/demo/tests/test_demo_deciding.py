"""Issue 13's part of the demo: the Riverside Action Group, half-way through its handover."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.demo import deciding
from carecommons.demo.fixtures import DEMO_ACCOUNTS, DEMO_PASSWORD
from carecommons.finances.models import Budget, Group
from carecommons.groups.access import stage_of
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    HandoverArea,
    HandoverStep,
    RoleTerm,
    Standing,
)
from carecommons.initiatives.models import InitiativeAction, InitiativeNeed
from carecommons.lib.action_states import ActionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(settings) -> CommunityGroup:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    return CommunityGroup.objects.get(name=deciding.NAME)


def signed_in(persona: str) -> Client:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": DEMO_ACCOUNTS[persona][0], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return client


def names(rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.person.given_name for row in rows]


def test_the_action_group_is_half_way_through_its_handover_with_a_rotating_convenor_books_and_initiatives(
    group: CommunityGroup, settings
) -> None:
    today = timezone.localdate()
    assert group.lab is not None and group.lab.name == "Riverside Care Lab"
    assert group.convened_by is not None and group.convened_by.name == "Riverside Care Lab"
    assert group.formed_at is not None and group.formed_at.title == "Gathering: what caring costs us"
    members = GroupMembership.objects.current(today).filter(group=group, standing=Standing.MEMBER)
    assert members.count() == 9
    demo_people = {f"{first} {last}" for _, first, last, _ in DEMO_ACCOUNTS.values()}
    assert {m.person.display_name for m in members} & demo_people == {"Amara Okafor", "Jess Morgan"}
    seats = GroupMembership.objects.current(today).filter(group=group, standing=Standing.CONVENING)
    assert [s.person.user.email for s in seats if s.person.user] == [DEMO_ACCOUNTS["organiser"][0]]

    convenor = RoleTerm.objects.filter(role__group=group, role__name="Convenor").order_by("starts_on")
    assert names(convenor) == ["Sunita", "Ruth", "Amara"]
    ended, now, ahead = convenor
    assert ended.ends_on is not None and ended.ends_on <= today
    assert now.starts_on <= today < (now.ends_on or today) and ahead.starts_on > today
    assert set(group.roles.values_list("name", flat=True)) == {
        "Convenor", "Facilitator", "Note-taker", "Treasurer", "Approver",
    }  # fmt: skip
    facilitator = group.roles.get(name="Facilitator")
    assert set(facilitator.powers.values_list("power", flat=True)) == {"record_votes", "run_decisions"}

    stage = stage_of(group)
    assert stage.planned and not stage.completed
    assert stage.done == {HandoverArea.INVITING_PEOPLE, HandoverArea.RUNNING_DECISIONS}
    steps = HandoverStep.objects.filter(plan__group=group).order_by("position")
    assert [s.area for s in steps] == [a for a, _, _ in deciding.STEPS]
    assert all(s.planned_for > today for s in steps if s.done_on is None)

    budget = Budget.objects.get(group__group=group)
    assert budget.category.name == deciding.BUDGET_LINE and budget.amount_pence == 25_000
    assert names(RoleTerm.objects.filter(role__group=group, role__name="Treasurer")) == ["Kasia"]

    initiatives = list(group.initiatives.order_by("title"))
    assert [i.title for i in initiatives] == [
        "Carers and care workers coffee mornings",
        "Travel time diaries",
    ]
    assert all(i.issues.exists() and i.themes.exists() and i.updates.exists() for i in initiatives)
    # each answers a decision of the group: the diaries the ranked choice, the coffee mornings the dots
    assert [i.decision.title if i.decision else None for i in initiatives] == [
        deciding.COFFEE_TOPICS,
        deciding.WHICH_ISSUE,
    ]
    actions = InitiativeAction.objects.filter(initiative__group=group)
    assert actions.count() == 6 and all(a.owner is not None for a in actions)
    done = actions.get(status=ActionStatus.DONE)
    assert done.note and done.followed_up_on is not None
    soon = actions.get(owner__user__email=DEMO_ACCOUNTS["participant"][0])
    assert today < soon.due_on <= today + timedelta(days=7) and soon.status == ActionStatus.OPEN
    needs = InitiativeNeed.objects.filter(initiative__group=group)
    assert sorted(needs.values_list("kind", flat=True)) == ["money", "people"]
    money = needs.get(kind="money")
    assert money.amount_pence is not None and money.amount_pence <= budget.amount_pence
    assert money.budget == budget  # on the budget line of the group's own books
    assert deciding.BUDGET_LINE in money.text
    assert needs.get(kind="people").volunteers.count() == 1

    call_command("demo", stdout=StringIO())  # loading again changes nothing
    assert CommunityGroup.objects.filter(name=deciding.NAME).count() == 1
    assert InitiativeAction.objects.filter(initiative__group=group).count() == 6


def test_members_and_the_convening_organiser_see_the_group_and_nobody_else_does(
    group: CommunityGroup,
) -> None:
    page = reverse("groups:group_detail", args=[group.uuid])
    diaries = group.initiatives.get(title="Travel time diaries")
    amara = signed_in("participant")
    text = amara.get(page).content.decode()
    assert "Ruth Adler" in text and "Amara Okafor: from" in text  # the convenor now, and Amara next
    for linked in ("initiatives:initiative_list", "groups:handover"):
        assert f'href="{reverse(linked, args=[group.uuid])}"' in text
    assert amara.get(reverse("initiatives:initiative_list", args=[group.uuid])).status_code == 200
    assert (
        amara.get(reverse("initiatives:initiative_detail", args=[group.uuid, diaries.uuid])).status_code
        == 200
    )
    assert "Book the library meeting room" in amara.get("/").content.decode()
    books = Group.objects.get(group=group)
    assert amara.get(reverse("finances:group_detail", args=[books.uuid])).status_code == 200
    jess = signed_in("member")
    assert jess.get(page).status_code == 200
    assert "Make a poster for the first coffee morning" in jess.get("/").content.decode()
    priya = signed_in("organiser")
    assert priya.get(page).status_code == 200
    assert priya.get(reverse("groups:handover", args=[group.uuid])).status_code == 200
    for persona in ("evaluator", "convenor", "treasurer"):
        assert signed_in(persona).get(page).status_code == 404, persona
