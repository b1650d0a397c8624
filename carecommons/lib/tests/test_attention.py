"""The home-page registry: every app's providers, those named in the page's order first."""

import pytest

from carecommons.accounts.models import User
from carecommons.lib.attention import items_for, providers

pytestmark = pytest.mark.django_db


def test_each_apps_providers_are_found_under_the_apps_label() -> None:
    assert {"people.directory", "people.own_record", "programmes.sessions"} <= set(providers())


def test_providers_named_in_the_order_come_first_and_the_rest_follow_in_app_order(convenor: User) -> None:
    placed = [item.title for item in items_for(convenor, order=("people.own_record",))]
    assert placed.index("Your consent choices") < placed.index("Contact consent not recorded")
    unplaced = [item.title for item in items_for(convenor, order=())]
    assert unplaced.index("Contact consent not recorded") < unplaced.index("Your consent choices")
