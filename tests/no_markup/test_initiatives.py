"""Words typed into initiatives (titles, purposes, actions, updates, needs) and the names of the
people, themes, issues and assets linked to them are shown as text on the initiative pages and in
the home page's "actions due" item."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.assets.tests.factories import make_asset, make_issue, make_lab
from carecommons.initiatives import services
from carecommons.initiatives.models import NeedKind
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative
from carecommons.listening.themes import create_theme
from carecommons.people.services import create_person
from tests.no_markup.typed import shows, typed

pytestmark = pytest.mark.django_db

TITLE, PURPOSE, ACTION, UPDATE, NEED = (typed(w) for w in ("Lunch", "Purpose", "Action", "Update", "Need"))
PERSON, THEME, ISSUE, ASSET, GROUP = (typed(w) for w in ("Ann", "Theme", "Issue", "Hall", "Group"))


def test_typed_words_and_names_are_text_on_every_initiative_page(
    organiser: User, participant: User, client_for: Callable[[User], Client]
) -> None:
    lab = make_lab("Riverside Care Lab", organiser=organiser)
    ann = create_person(by=None, given_name=PERSON, family_name="Lee")
    group = group_of(participant, ann, lab=lab, name=GROUP)
    initiative = make_initiative(
        group,
        participant,
        TITLE,
        purpose=PURPOSE,
        members=[ann],
        themes=[create_theme(lab=lab, by=None, name=THEME[:100])],
        issues=[make_issue(lab, by=organiser, title=ISSUE)],
        assets=[make_asset(lab, ASSET)],
    )
    action = make_action(initiative, participant, ACTION)
    make_action(initiative, ann, "Ann's task")
    services.post_update(initiative=initiative, author=ann, text=UPDATE, by=None)
    need = services.add_need(initiative=initiative, kind=NeedKind.PEOPLE, text=NEED, people_wanted=2, by=None)
    services.volunteer(need=need, person=ann, by=None)
    client = client_for(participant)
    args = [group.uuid, initiative.uuid]
    shows(client, reverse("initiatives:initiative_list", args=[group.uuid]), TITLE, GROUP)
    shows(
        client,
        reverse("initiatives:initiative_detail", args=args),
        TITLE,
        PURPOSE,
        ACTION,
        UPDATE,
        NEED,
        PERSON,
        THEME[:100],
        ISSUE,
        ASSET,
    )
    shows(client, reverse("initiatives:action_follow_up", args=[*args, action.uuid]), ACTION, TITLE)
    shows(client, reverse("initiatives:need_volunteer", args=[*args, need.uuid]), NEED, TITLE)
    shows(
        client, reverse("initiatives:initiative_create", args=[group.uuid]), PERSON, THEME[:100], ISSUE, ASSET
    )
    shows(client, reverse("initiatives:action_create", args=args), PERSON, TITLE)
    shows(client, reverse("initiatives:initiative_status", args=args), TITLE)
    shows(client, reverse("home:index"), ACTION, TITLE, GROUP)
