"""The home page lists what needs attention in the same order as before the registry (decision
0026), whichever app each item comes from, and every app's items are placed deliberately."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from carecommons.accounts.attention import account_items
from carecommons.accounts.models import User
from carecommons.assets.attention import suggestion_items
from carecommons.decisions.attention import due_for_review, waiting_for_vote
from carecommons.demo.loader import load_demo
from carecommons.expenses.attention import money_items
from carecommons.groups.attention import invitation_items, term_items
from carecommons.home.attention import ORDER, attention_for
from carecommons.initiatives.attention import action_items
from carecommons.lib.attention import Item, providers
from carecommons.listening.attention import follow_up_items
from carecommons.measures.attention import alert_items, questionnaire_items
from carecommons.people.attention import directory_items, erasure_items, own_record_items
from carecommons.people.erasure import request_erasure
from carecommons.programmes.attention import session_items
from carecommons.ripples.attention import rounds_due, rounds_open
from conftest import second_factor_if_needed

pytestmark = pytest.mark.django_db


def in_the_order_of_issue_11(user: User) -> list[Item]:
    """The order the home page had before the registry, written out by hand as the reference, with
    issue 13's items in the places chosen for them: actions due after follow-ups, group invitations
    and terms ending after money, decisions after sessions, and issue 15's ripple rounds due after
    erasure requests, with the open rounds a person is invited to after them."""
    items = alert_items(user) + follow_up_items(user) + action_items(user)
    items += suggestion_items(user) + money_items(user) + invitation_items(user) + term_items(user)
    items += directory_items(user) + erasure_items(user) + rounds_due(user) + rounds_open(user)
    items += questionnaire_items(user) + own_record_items(user)
    items += session_items(user) + waiting_for_vote(user) + due_for_review(user)
    return items + account_items(user)


def test_every_demo_account_sees_its_items_in_the_same_order_as_before_the_registry() -> None:
    load_demo()
    participant = User.objects.get(email="participant@example.org")
    request_erasure(person=participant.person, by=participant)
    people = User.objects.filter(is_demo=True).order_by("email")
    shown = {user.email: attention_for(User.objects.get(pk=user.pk)) for user in people}
    expected = {user.email: in_the_order_of_issue_11(User.objects.get(pk=user.pk)) for user in people}
    assert shown == expected
    assert sum(len(items) for items in shown.values()) >= 20


def test_the_home_page_shows_the_items_in_the_registry_order(
    client_for: Callable[[User], Client], settings: Any
) -> None:
    settings.DEBUG = True  # demo accounts sign in only then
    load_demo()
    convenor = second_factor_if_needed(User.objects.get(email="convenor@example.org"))
    titles = [item.title for item in attention_for(convenor)]
    page = client_for(convenor).get(reverse("home:index")).content.decode()
    positions = [page.index(escape(title)) for title in titles]
    assert len(titles) >= 2 and positions == sorted(positions)


def test_every_app_that_declares_home_page_items_has_a_place_in_the_home_page_order() -> None:
    assert sorted(providers()) == sorted(ORDER)
