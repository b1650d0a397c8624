"""The main menu's "Ripple maps" link, for convenors and facilitators, from their roles alone; on
the home page, the open rounds a person is invited to, and for convenors and the facilitators of
its rounds the reminder that a programme's next mapping round is due."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.lib.dates import add_months
from carecommons.programmes.tests.factories import make_programme
from carecommons.ripples import services
from carecommons.ripples.access import may_use_ripple_maps
from carecommons.ripples.attention import rounds_due, rounds_open
from carecommons.ripples.tests.factories import Clients, make_round

pytestmark = pytest.mark.django_db


def months_ago(months: int) -> date:
    return add_months(timezone.localdate(), -months)


def menu(client: Client) -> list[tuple[str, str]]:
    return client.get(reverse("home:index")).context["nav_links"]  # type: ignore[no-any-return]


def test_the_menu_links_ripple_maps_for_convenors_and_facilitators_without_a_query(
    convenor: User, facilitator: User, participant: User, outsider: User, client_for: Clients
):
    link = ("Ripple maps", reverse("ripples:round_list"))
    make_round(facilitator, participant)
    for user, shown in ((convenor, True), (facilitator, True), (participant, False), (outsider, False)):
        assert (link in menu(client_for(user))) is shown
        fresh = User.objects.get(pk=user.pk)
        assert fresh.roles is not None  # the menu has read the roles already for every other link
        with CaptureQueriesContext(connection) as asked:
            assert may_use_ripple_maps(fresh) is shown
        assert len(asked) == 0


def test_an_invited_person_finds_their_open_round_on_the_home_page(
    facilitator: User, participant: User, outsider: User, client_for: Clients
):
    mapping_round = make_round(facilitator, participant, title="Autumn map")
    page = client_for(participant).get(reverse("home:index")).content.decode()
    assert "Ripple mapping round open: Autumn map" in page
    assert reverse("ripples:round_detail", args=[mapping_round.uuid]) in page
    assert rounds_open(User.objects.get(pk=outsider.pk)) == []
    services.close_round(mapping_round=mapping_round, by=facilitator)
    assert rounds_open(User.objects.get(pk=participant.pk)) == []


def titles(user: User) -> list[str]:
    return [item.title for item in rounds_due(User.objects.get(pk=user.pk))]


def test_a_round_three_months_old_makes_the_next_one_due_for_convenors_and_its_facilitator(
    convenor: User, facilitator: User, participant: User, client_for: Clients
):
    held = months_ago(3)
    make_round(facilitator, participant, programme=make_programme("Radical Caring"), held_on=held)
    due = f"The next ripple mapping round for Radical Caring is due (last held {held:%-d %B %Y})"
    assert titles(convenor) == titles(facilitator) == [due]
    assert titles(participant) == []
    page = client_for(facilitator).get(reverse("home:index")).content.decode()
    assert due in page and "The ripple map of Radical Caring" in page


def test_a_recent_or_planned_round_is_not_due_and_an_old_one_is_overdue(convenor: User, facilitator: User):
    make_round(facilitator, programme=make_programme("Recent"), held_on=timezone.localdate() - timedelta(60))
    planned = make_programme("Planned")
    make_round(facilitator, programme=planned, held_on=months_ago(5))
    make_round(facilitator, programme=planned, held_on=timezone.localdate() + timedelta(14))
    make_round(facilitator, programme=make_programme("Old"), held_on=months_ago(5))
    assert titles(convenor) == [
        f"The next ripple mapping round for Old is overdue (last held {months_ago(5):%-d %B %Y})"
    ]


def test_a_facilitator_is_reminded_only_of_programmes_whose_rounds_they_facilitated(
    convenor: User, facilitator: User
):
    make_round(convenor, programme=make_programme("Theirs"), held_on=months_ago(3))
    assert titles(facilitator) == []
    assert len(titles(convenor)) == 1


def test_the_reminder_takes_one_query_however_many_programmes(convenor: User, facilitator: User):
    for n in range(3):
        make_round(facilitator, programme=make_programme(f"Programme {n}"), held_on=months_ago(4))
    fresh = User.objects.get(pk=facilitator.pk)
    assert fresh.roles is not None
    with CaptureQueriesContext(connection) as asked:
        assert len(rounds_due(fresh)) == 3
    assert len(asked) == 1
