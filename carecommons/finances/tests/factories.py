"""Groups and books made through the real services."""

from itertools import count

from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.finances import services
from carecommons.finances.models import Account, Group, GroupRole, Host
from carecommons.finances.roles import POWER_OF, treasurer_term_months
from carecommons.groups.models import (
    GroupMembership,
    GroupMembershipQuerySet,
    RoleTerm,
    RoleTermQuerySet,
    Standing,
)
from carecommons.lib.dates import add_months
from carecommons.people.models import Person
from carecommons.people.services import create_person
from conftest import make_user, second_factor_if_needed

_slugs = count(1)


def make_group(
    name: str = "Northside Mutual Aid", *, host: Host | None = None, **policy: int | None
) -> Group:
    return services.create_group(name=name, slug=f"group-{next(_slugs)}", by=None, host=host, **policy)  # type: ignore[arg-type]


def person_of(user: User) -> Person:
    person = Person.objects.filter(user=user).first()
    return person or create_person(by=None, given_name=user.email.split("@")[0].title(), email=user.email)


def join(group: Group, who: User | Person, *roles: str) -> Person:
    """Make `who` a member of the group with each role given (a member always); a treasurer's term
    runs as long as the group allows."""
    person = person_of(who) if isinstance(who, User) else who
    months = treasurer_term_months(group)
    services.add_member(group=group, person=person, role=GroupRole.MEMBER, by=None)
    for role in dict.fromkeys(roles):
        ends_on = add_months(timezone.localdate(), months) if role == GroupRole.TREASURER and months else None
        services.add_member(group=group, person=person, role=role, by=None, ends_on=ends_on)
    return person


def account(group: Group, name: str) -> Account:
    return Account.objects.get(group=group, name=name)


_people = iter(range(1, 1_000_000))


def member(group: Group, *roles: str, name: str = "") -> User:
    """A new account with a person, joined to the group with these roles (a member always)."""
    user = make_user(name or f"member{next(_people)}", [Role.PARTICIPANT], totp=False)
    join(group, user, *roles)
    return second_factor_if_needed(user)  # approvers and treasurers reach money details


def memberships_of(group: Group) -> GroupMembershipQuerySet:
    """The memberships of the books' group, ever held."""
    return GroupMembership.objects.filter(group_id=group.group_id, standing=Standing.MEMBER)


def held(group: Group, word: str) -> RoleTermQuerySet:
    """The terms in the group's money role of `word` (approver or treasurer), ever held."""
    return RoleTerm.objects.filter(role__group_id=group.group_id, role__powers__power=POWER_OF[word])
