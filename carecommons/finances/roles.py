"""Members and money roles of a group with books, read from and written to the community group
(decision 0030 section 3). Money still speaks its old words: a **member** holds a current
membership of the group, an **approver** a current term in a role with `approve_spending`, a
**treasurer** one with `keep_books`. A new group's roles are "Treasurer" and "Approver"; the group
may rename them, and money finds them by their powers, never by their names."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from carecommons.finances.models import Group, GroupRole
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    MembershipState,
    Power,
    Role,
    RoleTerm,
    Standing,
)

POWER_OF: dict[str, Power] = {
    GroupRole.APPROVER: Power.APPROVE_SPENDING,
    GroupRole.TREASURER: Power.KEEP_BOOKS,
}
MONEY_POWERS = tuple(POWER_OF.values())
# The roles a group with books starts with: what a treasurer and an approver could do before roles
# were named by the group (migration 0010 gives existing groups the same).
STARTING_ROLES: tuple[tuple[str, GroupRole, tuple[Power, ...]], ...] = (
    (
        "Treasurer",
        GroupRole.TREASURER,
        (Power.KEEP_BOOKS, Power.GIVE_ROLES, Power.GIVE_MONEY_ROLES, Power.INVITE_PEOPLE),
    ),
    ("Approver", GroupRole.APPROVER, (Power.APPROVE_SPENDING,)),
)
MoneyRow = GroupMembership | RoleTerm


def members_on(day: date) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.current(day).filter(standing=Standing.MEMBER)


def money_terms_on(day: date, power: Power | None = None) -> QuerySet[RoleTerm]:
    """Terms held that day in a role with a money power (`power`, or either)."""
    powers = (power,) if power is not None else MONEY_POWERS
    return RoleTerm.objects.current(day).filter(role__powers__power__in=powers)


def roles_in(user: Any, group: Group, *, on: date | None = None) -> set[str]:
    """The user's money roles in the group that day, in the old words (empty if none). One query."""
    if not user.is_authenticated:
        return set()
    day = on or timezone.localdate()
    words = {
        GroupRole.MEMBER: Exists(members_on(day).filter(group=OuterRef("pk"), person__user=user)),
        **{
            word: Exists(money_terms_on(day, power).filter(role__group=OuterRef("pk"), person__user=user))
            for word, power in POWER_OF.items()
        },
    }
    held = CommunityGroup.objects.filter(pk=group.group_id).annotate(**words).values_list(*words).first()
    return {str(word) for word, yes in zip(words, held or (), strict=False) if yes}


def in_books(user: Any, day: date) -> Q:
    """Whether the user is a member, or holds a money role, of the books' group (for `Group` rows)."""
    return Exists(members_on(day).filter(group=OuterRef("group"), person__user=user)) | Exists(
        money_terms_on(day).filter(role__group=OuterRef("group"), person__user=user)
    )


def books_where(user: Any, word: str, *, on: date | None = None) -> QuerySet[Group]:
    """Books whose group gives the user this money role (approver or treasurer) that day."""
    terms = money_terms_on(on or timezone.localdate(), POWER_OF[word]).filter(person__user=user)
    return Group.objects.filter(Exists(terms.filter(role__group=OuterRef("group"))))


def money_role(group: Group, word: str) -> Role:
    """The group's role with the money power of `word`: the first named, if it has several."""
    role = Role.objects.filter(group_id=group.group_id, powers__power=POWER_OF[word]).order_by("id").first()
    if role is None:
        label = GroupRole(word).label.lower()
        raise ValidationError({"role": f"The group has no role that can act as {label}: name one first."})
    return role


def treasurer_term_months(group: Group) -> int | None:
    """The longest term of the group's treasurer role, in months (None: no limit)."""
    return money_role(group, GroupRole.TREASURER).term_months


@dataclass(frozen=True)
class Held:
    """One line of the group's people-and-roles page: a membership or a money-role term."""

    row: MoneyRow
    role: str
    word: str

    @property
    def person(self) -> Any:
        return self.row.person

    @property
    def ended(self) -> bool:
        return self.row.ends_on is not None and self.row.ends_on <= timezone.localdate()


def people_and_roles(group: Group) -> list[Held]:
    """Every membership and money-role term of the group, now and before, roles first (two queries)."""
    terms = (
        RoleTerm.objects.filter(role__group_id=group.group_id, role__powers__power__in=MONEY_POWERS)
        .select_related("person", "role")
        .prefetch_related("role__powers")
        .distinct()
        .order_by("role__name", "-starts_on", "-id")
    )
    members = (
        GroupMembership.objects.filter(
            group_id=group.group_id, standing=Standing.MEMBER, state=MembershipState.ACTIVE
        )
        .select_related("person")
        .order_by("-starts_on", "-id")
    )
    rows = [Held(t, t.role.name, word_of(t.role)) for t in terms]
    return rows + [Held(m, GroupRole.MEMBER.label, GroupRole.MEMBER) for m in members]


def word_of(role: Role) -> str:
    powers = {p.power for p in role.powers.all()}
    return GroupRole.TREASURER if Power.KEEP_BOOKS in powers else GroupRole.APPROVER


def candidates_of(group: Group) -> QuerySet[GroupMembership]:
    return members_on(timezone.localdate()).filter(group_id=group.group_id)


def row_of(group: Group, uuid: Any) -> MoneyRow | None:
    """A membership or money-role term of the group not yet ended, by its uuid (None if none)."""
    today = timezone.localdate()
    member = (
        GroupMembership.objects.filter(group_id=group.group_id, uuid=uuid, standing=Standing.MEMBER)
        .exclude(ends_on__lte=today)
        .select_related("person")
        .first()
    )
    if member is not None:
        return member
    return (
        RoleTerm.objects.filter(
            role__group_id=group.group_id, uuid=uuid, role__powers__power__in=MONEY_POWERS
        )
        .exclude(ends_on__lte=today)
        .select_related("person", "role")
        .first()
    )
