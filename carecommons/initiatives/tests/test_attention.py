"""Actions due within a week, or overdue, show on their owner's home page."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.services import leave_group
from carecommons.initiatives import services
from carecommons.initiatives.attention import SHOWN, action_items
from carecommons.initiatives.models import InitiativeStatus
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative
from carecommons.lib.action_states import ActionStatus
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


def test_an_owner_sees_their_due_and_overdue_actions_on_the_home_page(
    participant: User, facilitator: User, client_for: Callable[[User], Client]
) -> None:
    initiative = make_initiative(group_of(participant, facilitator), participant)
    make_action(initiative, participant, "Book the hall", due_in_days=3)
    make_action(initiative, participant, "Ring the council", due_in_days=-2)
    make_action(initiative, participant, "Plan the summer", due_in_days=30)
    make_action(initiative, facilitator, "Buy tea", due_in_days=1)
    page = client_for(participant).get(reverse("home:index")).content.decode()
    assert "Action due: Book the hall" in page
    assert "Action overdue: Ring the council" in page
    assert "Plan the summer" not in page and "Buy tea" not in page


def test_followed_up_actions_closed_initiatives_and_groups_left_drop_off(participant: User) -> None:
    group = group_of(participant)
    done = make_action(make_initiative(group, participant, "One"), participant, "Done already")
    services.follow_up_action(action=done, status=ActionStatus.DONE, by=None)
    closed = make_initiative(group, participant, "Two")
    make_action(closed, participant, "On a closed initiative")
    services.change_status(initiative=closed, status=InitiativeStatus.CLOSED, by=None)
    assert action_items(participant) == []
    make_action(make_initiative(group, participant, "Three"), participant, "Still mine")
    assert [item.title for item in action_items(participant)] == ["Action due: Still mine"]
    leave_group(
        membership=group.memberships.get(person=person_of(participant)),
        by=None,
        on=timezone.localdate() - timedelta(days=1),
    )
    assert action_items(participant) == []


def test_past_the_first_few_one_item_says_how_many_more(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    for n in range(SHOWN + 2):
        make_action(initiative, participant, f"Task {n}", due_in_days=n)
    items = action_items(participant)
    assert len(items) == SHOWN + 1
    assert items[-1].title == f"{SHOWN + 2} actions due this week or overdue"
