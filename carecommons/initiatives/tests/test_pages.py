"""The initiative pages, through the Django client, as group members and as everyone else."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets.tests.factories import make_asset, make_issue, make_lab
from carecommons.initiatives import services
from carecommons.initiatives.models import Initiative, InitiativeAction, InitiativeNeed, NeedKind
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative
from carecommons.lib.action_states import ActionStatus
from carecommons.listening.themes import create_theme
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]
KEY = "0b6f3c9e-8d47-4b8a-9a43-6c2d3f1e5a10"


def detail_url(initiative: Initiative) -> str:
    return reverse("initiatives:initiative_detail", args=[initiative.group.uuid, initiative.uuid])


def test_people_outside_the_group_get_a_404_even_a_convenor(
    participant: User, convenor: User, facilitator: User, client_for: Clients
) -> None:
    initiative = make_initiative(group_of(participant), participant)
    for user in (convenor, facilitator):
        client = client_for(user)
        assert (
            client.get(reverse("initiatives:initiative_list", args=[initiative.group.uuid])).status_code
            == 404
        )
        assert client.get(detail_url(initiative)).status_code == 404


def test_an_initiative_of_another_group_is_a_404_under_this_groups_address(
    participant: User, client_for: Clients
) -> None:
    mine, other = group_of(participant), group_of(participant, name="Other group")
    initiative = make_initiative(other, participant)
    url = reverse("initiatives:initiative_detail", args=[mine.uuid, initiative.uuid])
    assert client_for(participant).get(url).status_code == 404


def test_the_list_takes_the_same_queries_however_many_initiatives_and_actions(
    participant: User, client_for: Clients
) -> None:
    group = group_of(participant)
    client = client_for(participant)
    url = reverse("initiatives:initiative_list", args=[group.uuid])
    counts = []
    for n in (1, 4):
        while group.initiatives.count() < n:
            made = make_initiative(group, participant, f"Initiative {group.initiatives.count()}")
            make_action(made, participant)
            make_action(made, participant, "Print flyers", due_in_days=9)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count("2 open actions") == 4


def test_the_detail_page_shows_purpose_links_members_actions_updates_and_needs(
    organiser: User, participant: User, facilitator: User, client_for: Clients
) -> None:
    lab = make_lab("Riverside Care Lab", organiser=organiser)
    group = group_of(participant, facilitator, lab=lab)
    initiative = make_initiative(
        group,
        participant,
        purpose="Lunch for people on their own",
        members=[person_of(facilitator)],
        themes=[create_theme(lab=lab, by=None, name="Loneliness")],
        issues=[make_issue(lab, by=organiser, title="Nowhere to eat together")],
        assets=[make_asset(lab, "Church hall")],
    )
    make_action(initiative, facilitator, "Book the hall")
    services.post_update(
        initiative=initiative, author=person_of(participant), text="First lunch: 12 came", by=None
    )
    services.add_need(
        initiative=initiative, kind=NeedKind.MONEY, text="hall hire", amount_pence=4500, by=None
    )
    services.add_need(initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=2, by=None)
    page = client_for(participant).get(detail_url(initiative)).content.decode()
    for shown in (
        "Lunch for people on their own",
        "Loneliness",
        "Nowhere to eat together",
        "Church hall",
        "Facilitator",
        "Book the hall",
        "First lunch: 12 came",
        "£45.00",
        "0 of 2 volunteered",
    ):
        assert shown in page, shown


def test_starting_an_initiative_twice_with_one_form_makes_one(participant: User, client_for: Clients) -> None:
    group = group_of(participant)
    client = client_for(participant)
    url = reverse("initiatives:initiative_create", args=[group.uuid])
    data = {"submission": KEY, "title": "Lunch club", "purpose": "Company", "status": "idea"}
    first, second = client.post(url, data), client.post(url, data)
    initiative = Initiative.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail_url(initiative)
    assert list(initiative.members.all()) == [person_of(participant)]


def test_a_blank_start_shows_errors_beside_the_fields(participant: User, client_for: Clients) -> None:
    group = group_of(participant)
    response = client_for(participant).post(reverse("initiatives:initiative_create", args=[group.uuid]), {})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "purpose", "status"}
    assert not Initiative.objects.exists()


def test_a_member_adds_an_action_and_another_member_follows_it_up(
    participant: User, facilitator: User, client_for: Clients
) -> None:
    group = group_of(participant, facilitator)
    initiative = make_initiative(group, participant)
    due = timezone.localdate() + timedelta(days=5)
    response = client_for(participant).post(
        reverse("initiatives:action_create", args=[group.uuid, initiative.uuid]),
        {
            "submission": KEY,
            "text": "Ask the church",
            "owner": person_of(participant).uuid,
            "due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    action = InitiativeAction.objects.get()
    assert (action.owner, action.due_on) == (person_of(participant), due)
    url = reverse("initiatives:action_follow_up", args=[group.uuid, initiative.uuid, action.uuid])
    response = client_for(facilitator).post(url, {"status": "done", "note": "They said yes"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.note) == (ActionStatus.DONE, "They said yes")
    assert "Already followed up" in client_for(participant).get(url).content.decode()


def test_an_owner_outside_the_group_cannot_be_chosen(
    participant: User, facilitator: User, client_for: Clients
) -> None:
    group = group_of(participant)
    initiative = make_initiative(group, participant)
    person_of(facilitator)
    response = client_for(participant).post(
        reverse("initiatives:action_create", args=[group.uuid, initiative.uuid]),
        {"text": "Ask", "owner": person_of(facilitator).uuid, "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert not InitiativeAction.objects.exists()


def test_volunteering_asks_first_and_then_counts_the_member_once(
    participant: User, client_for: Clients
) -> None:
    group = group_of(participant)
    initiative = make_initiative(group, participant)
    need = services.add_need(
        initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=2, by=None
    )
    url = reverse("initiatives:need_volunteer", args=[group.uuid, initiative.uuid, need.uuid])
    client = client_for(participant)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200  # no confirmation: asked again, nothing done
    assert not need.volunteers.exists()
    client.post(url, {"confirm": "yes"})
    client.post(url, {"confirm": "yes"})
    assert need.volunteers.get().person == person_of(participant)
    assert "1 of 2 volunteered" in client.get(detail_url(initiative)).content.decode()


def test_posting_an_update_and_a_need_through_their_forms(participant: User, client_for: Clients) -> None:
    group = group_of(participant)
    initiative = make_initiative(group, participant)
    client = client_for(participant)
    client.post(
        reverse("initiatives:update_create", args=[group.uuid, initiative.uuid]),
        {"submission": KEY, "text": "Going well"},
    )
    response = client.post(
        reverse("initiatives:need_create", args=[group.uuid, initiative.uuid]),
        {"kind": "money", "text": "Hall hire", "amount_pence": ""},
    )
    assert "amount_pence" in response.context["form"].errors
    client.post(
        reverse("initiatives:need_create", args=[group.uuid, initiative.uuid]),
        {"kind": "money", "text": "Hall hire", "amount_pence": "45.50"},
    )
    assert initiative.updates.get().text == "Going well"
    assert InitiativeNeed.objects.get().amount_pence == 4550


def test_changing_the_status_and_joining(participant: User, facilitator: User, client_for: Clients) -> None:
    group = group_of(participant, facilitator)
    initiative = make_initiative(group, participant)
    client_for(participant).post(
        reverse("initiatives:initiative_status", args=[group.uuid, initiative.uuid]), {"status": "active"}
    )
    client_for(facilitator).post(
        reverse("initiatives:initiative_join", args=[group.uuid, initiative.uuid]), {"confirm": "yes"}
    )
    initiative.refresh_from_db()
    assert initiative.status == "active"
    assert initiative.members.count() == 2
