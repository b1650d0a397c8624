"""What groups ask of a person on the home page: invitations waiting for their answer, and, for
members who give roles, terms ending within 28 days with nobody planned to follow (decision 0030)."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.models import (
    GroupMembership,
    MembershipState,
    Power,
    RoleTerm,
    RoleTermQuerySet,
    Standing,
)
from carecommons.lib.attention import Item, Provider
from carecommons.people.access import own_person
from carecommons.people.models import Person

SOON = timedelta(days=28)


def invitations_waiting(user: User) -> QuerySet[GroupMembership]:
    person = own_person(user)
    if person is None:
        return GroupMembership.objects.none()
    return GroupMembership.objects.filter(
        person=person, standing=Standing.MEMBER, state=MembershipState.INVITED, ends_on__isnull=True
    )


def invitation_items(user: User) -> list[Item]:
    waiting = invitations_waiting(user).select_related("group")
    return [
        Item(
            f"Invitation to join {row.group.name}",
            "A member invited you to the group. Say whether you will join.",
            reverse("groups:invitation_answer", args=[row.uuid]),
            f"Answer the invitation to {row.group.name}",
        )
        for row in waiting
    ]


def ending_unfollowed(person: Person, today: date) -> RoleTermQuerySet:
    """Terms ending within 28 days, with no term in the role starting on or after the day they
    end, in the groups where `person` gives roles. One query."""
    gives_roles = RoleTerm.objects.current(today).filter(person=person, role__powers__power=Power.GIVE_ROLES)
    follower = RoleTerm.objects.filter(role=OuterRef("role"), starts_on__gte=OuterRef("ends_on"))
    return (
        RoleTerm.objects.current(today)
        .filter(ends_on__lte=today + SOON, role__group__in=gives_roles.values("role__group_id"))
        .exclude(Exists(follower))
        .select_related("role__group", "person")
        .order_by("ends_on", "id")
    )


def term_items(user: User) -> list[Item]:
    person = own_person(user)
    if person is None:
        return []
    today = timezone.localdate()
    items = []
    for term in ending_unfollowed(person, today):
        assert term.ends_on is not None
        last_day = term.ends_on - timedelta(days=1)
        role, group = term.role, term.role.group
        items.append(
            Item(
                f"{role.name} of {group.name}: nobody follows",
                f"{term.person.display_name}'s term as {role.name} ends after {last_day:%A %d %B}, "
                "and nobody is planned to take over.",
                reverse("groups:role_detail", args=[group.uuid, role.uuid]),
                f"Plan who follows as {role.name}",
            )
        )
    return items


def terms_unfollowed(user: User) -> QuerySet[RoleTerm]:
    person = own_person(user)
    if person is None:
        return RoleTerm.objects.none()
    return ending_unfollowed(person, timezone.localdate())


ATTENTION = [
    Provider("invitations", invitation_items, invitations_waiting),
    Provider("terms_ending", term_items, terms_unfollowed),
]
