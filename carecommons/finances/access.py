"""Who may see and act on a group's money. Views load groups only through here.

- A current **member** sees their group's books, budgets and expenses, never payee bank details.
- A current **approver** also approves or rejects others' expenses.
- A current **treasurer** also records income, pays expenses, reverses mistakes, keeps budgets,
  reconciles the bank statement, sees payee bank details and sets the group's policies.
- **Host staff** see, for each group their host holds, the totals: balances, how many expenses wait
  for approval, how many bank lines are unmatched. Never a ledger line, a payee or a receipt.
Anyone else gets a 404, whatever the group.
"""

from enum import Enum
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.finances import roles
from carecommons.finances.models import Group, GroupRole, Host
from carecommons.people.models import Person


class Need(Enum):
    MEMBER = GroupRole.MEMBER
    APPROVER = GroupRole.APPROVER
    TREASURER = GroupRole.TREASURER


def roles_in(user: User, group: Group) -> set[str]:
    """The user's current roles in the group (empty if none): `member`, `approver`, `treasurer`,
    read from the community group's memberships and money-role terms (`roles.py`)."""
    return roles.roles_in(user, group)


def groups_of(user: User) -> QuerySet[Group]:
    """Books the user is in today: as a member of their group, or holding one of its money roles."""
    if not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(roles.in_books(user, timezone.localdate()))


def hosts_of(user: User) -> QuerySet[Host]:
    if not user.is_authenticated:
        return Host.objects.none()
    return Host.objects.filter(staff__user=user)


def sees_money(user: User) -> bool:
    """Whether the menu offers Money: a current role in a group, or a host's staff (one query)."""
    return money_people(user).exists()


def money_people(user: User) -> QuerySet[Person]:
    """The user's person, if they hold a current role in a group with books or staff a host."""
    if not user.is_authenticated:
        return Person.objects.none()
    today = timezone.localdate()
    member = roles.members_on(today).filter(person=OuterRef("pk"), group__books__isnull=False)
    money_role = roles.money_terms_on(today).filter(person=OuterRef("pk"), role__group__books__isnull=False)
    linked = Exists(member) | Exists(money_role) | Q(hosted_finances__isnull=False)
    return Person.objects.filter(user=user).filter(linked)


def get_group_for_user(user: User, uuid: UUID, *, need: Need = Need.MEMBER) -> Group:
    """The group if the user holds the role needed (any current role counts as a member)."""
    group = groups_of(user).filter(uuid=uuid).first()
    roles = roles_in(user, group) if group is not None else set()
    if not roles or (need is not Need.MEMBER and need.value not in roles):
        raise Http404
    assert group is not None
    return group


def get_host_for_user(user: User, uuid: UUID) -> Host:
    host = hosts_of(user).filter(uuid=uuid).first()
    if host is None:
        raise Http404
    return host


def role_candidates(group: Group, user: User) -> QuerySet[Person]:
    """People a treasurer may give a role: the group's current members, and anyone else the
    treasurer may see in the directory (convenors and organisers see it; others see only members)."""
    members = roles.candidates_of(group).values("person_id")
    return (
        (Person.objects.filter(id__in=members) | Person.objects.visible_to(user))
        .distinct()
        .order_by("sort_key")
    )


def public_groups() -> QuerySet[Group]:
    """Groups that turned their public page on: anyone, signed in or not, may see those pages."""
    return Group.objects.filter(public_page=True)


def get_public_group(slug: str) -> Group:
    """A group's public page, only if the group turned it on."""
    group = public_groups().filter(slug=slug).first()
    if group is None:
        raise Http404
    return group


def is_treasurer(user: User, group: Group) -> bool:
    return GroupRole.TREASURER in roles_in(user, group)
