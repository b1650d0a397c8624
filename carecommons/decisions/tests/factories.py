"""Decision fixtures, made through the real services."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.accounts.services import create_account
from carecommons.decisions import services
from carecommons.decisions.models import Decision
from carecommons.decisions.services import OptionInput
from carecommons.groups.models import CommunityGroup
from carecommons.groups.services import give_term
from carecommons.groups.tests.factories import make_group, make_role
from carecommons.people.models import Person
from carecommons.people.services import create_person


def make_member(name: str = "Amira", *, account: bool = True) -> Person:
    person = create_person(
        by=None, given_name=name, family_name="Member", email=f"{name.lower()}@example.org"
    )
    if account:
        user = create_account(email=person.email, password="correct horse battery staple", roles=[], by=None)
        Person.objects.filter(pk=person.pk).update(user=user)
        person.refresh_from_db()
    return person


def give_powers(group: CommunityGroup, person: Person, *powers: str) -> None:
    """A role with these powers, held by the person from today."""
    role = make_role(group, f"Facilitator {person.uuid.hex[:6]}", term_months=None, seats=None, powers=powers)
    give_term(role=role, person=person, starts_on=timezone.localdate(), by=None)


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def group_with(members: Sequence[Person], name: str = "Riverside action group") -> CommunityGroup:
    return make_group(name, members=members, today=timezone.localdate() - timedelta(days=30))


def open_one(
    group: CommunityGroup,
    by: Person,
    kind: str = "proposal",
    *,
    options: Sequence[str] = (),
    slots: Sequence[tuple[datetime, datetime]] = (),
    closes_in: timedelta = timedelta(days=7),
    **settings: object,
) -> Decision:
    inputs = [OptionInput(label=label) for label in options] + [
        OptionInput(starts_at=start, ends_at=end) for start, end in slots
    ]
    return services.open_decision(
        group=group,
        person=by,
        by=user_of(by),
        kind=kind,
        title=f"A {kind} for the group",
        closes_at=timezone.now() + closes_in,
        options=inputs,
        **settings,  # type: ignore[arg-type]
    )
