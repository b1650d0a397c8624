"""Initiative fixtures, made through the real services."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.models import CommunityGroup
from carecommons.groups.tests.factories import make_group
from carecommons.initiatives import services
from carecommons.initiatives.models import Initiative, InitiativeAction
from carecommons.people.models import Person
from carecommons.programmes.tests.factories import person_of


def month_ago() -> date:
    return timezone.localdate() - timedelta(days=30)


def group_of(*members: User | Person, name: str = "Riverside action group", **links: Any) -> CommunityGroup:
    """A group whose members joined a month ago, so they are members today."""
    people = [m if isinstance(m, Person) else person_of(m) for m in members]
    return make_group(name, members=people, today=month_ago(), **links)


def make_initiative(
    group: CommunityGroup,
    starter: User | Person,
    title: str = "Tuesday lunch club",
    *,
    purpose: str = "A warm meal and company for people on their own.",
    members: Sequence[Person] = (),
    **values: Any,
) -> Initiative:
    person = starter if isinstance(starter, Person) else person_of(starter)
    return services.start_initiative(
        group=group, title=title, purpose=purpose, by=None, starter=person, members=members, **values
    )


def make_action(
    initiative: Initiative, owner: User | Person, text: str = "Book the hall", *, due_in_days: int = 3
) -> InitiativeAction:
    person = owner if isinstance(owner, Person) else person_of(owner)
    return services.add_action(
        initiative=initiative,
        owner=person,
        text=text,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
        by=None,
    )
