"""A group with one initiative, for tests/browser/test_initiatives_pages.py; run inside the
browser server's database through `carecommons shell`. Prints where the page is, as JSON."""

import json
from datetime import timedelta

from django.utils import timezone

from carecommons.accounts.models import Role
from carecommons.accounts.services import create_account
from carecommons.groups.services import start_group
from carecommons.initiatives import services
from carecommons.people.models import Person
from carecommons.people.services import create_person
from tests.browser.accounts import DEMO_PASSWORD


def member(name: str) -> Person:
    user = create_account(
        email=f"{name}@example.org", password=DEMO_PASSWORD, roles=[Role.PARTICIPANT], by=None
    )
    person = create_person(by=None, given_name=name.title(), family_name="Okafor", email=user.email)
    Person.objects.filter(pk=person.pk).update(user=user)
    return person


def seed() -> None:
    today = timezone.localdate()
    starter, neighbour = member("participant"), member("neighbour")
    group = start_group(
        name="Riverside action group",
        by=None,
        founders=[starter, neighbour],
        today=today - timedelta(days=30),
    )
    initiative = services.start_initiative(
        group=group,
        title="Tuesday lunch club",
        purpose="A warm meal and company for people on their own.",
        by=None,
        starter=starter,
        members=[neighbour],
        status="active",
    )
    services.add_action(
        initiative=initiative,
        owner=neighbour,
        text="Book the church hall",
        due_on=today + timedelta(days=4),
        by=None,
    )
    services.post_update(
        initiative=initiative, author=starter, text="Twelve people came to the first lunch.", by=None
    )
    services.add_need(
        initiative=initiative,
        kind="people",
        text="Drivers for people who cannot walk there",
        people_wanted=2,
        by=None,
    )
    services.add_need(
        initiative=initiative, kind="money", text="hall hire until summer", amount_pence=18000, by=None
    )
    path = f"/groups/{group.uuid}/initiatives/{initiative.uuid}/"
    print(json.dumps({"path": path, "today": today.isoformat()}))
