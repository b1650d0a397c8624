"""The main menu's "Ripple maps" link, for those who reach a round or may start one, in one query;
and the home page's reminder that a programme's next mapping round is due, for convenors and the
facilitators of its rounds."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.lib.dates import add_months
from carecommons.programmes.tests.factories import make_cohort, make_programme
from carecommons.ripples.access import may_use_ripple_maps
from carecommons.ripples.attention import rounds_due
from carecommons.ripples.tests.factories import Clients, make_round

pytestmark = pytest.mark.django_db


def months_ago(months: int) -> date:
    return add_months(timezone.localdate(), -months)


def menu(client: Client) -> list[tuple[str, str]]:
    return client.get(reverse("home:index")).context["nav_links"]  # type: ignore[no-any-return]


def test_the_menu_links_ripple_maps_for_convenors_round_people_and_cohort_facilitators_only(
    convenor: User, facilitator: User, participant: User, outsider: User, client_for: Clients
):
    link = ("Ripple maps", reverse("ripples:round_list"))
    assert link in menu(client_for(convenor))
    for user in (facilitator, participant, outsider):
        assert link not in menu(client_for(user))
    make_cohort(make_programme(workshops=1), facilitator=facilitator)  # may start a round now
    assert link in menu(client_for(facilitator))
    make_round(convenor, participant)
    assert link in menu(client_for(participant))
    assert link not in menu(client_for(outsider))


def test_whether_to_show_the_link_takes_one_query_at_most(
    convenor: User, facilitator: User, participant: User
):
    make_round(facilitator, participant)
    for user, queries in ((convenor, 0), (facilitator, 1), (participant, 1)):
        fresh = User.objects.get(pk=user.pk)
        assert fresh.roles is not None  # the menu has read the roles already for every other link
        with CaptureQueriesContext(connection) as asked:
            assert may_use_ripple_maps(fresh)
        assert len(asked) == queries


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
