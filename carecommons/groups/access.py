"""Who may see a group and what they may do in it. Views load groups only through here.

Members see their own group, and every member sees its roles and who holds them until when. A
member's powers are the powers of the roles they hold today. Anything out of reach is a 404, so
nobody learns that another group exists. Site roles (convenor, organiser) give nothing inside a
group: a deliberate departure from "convenors see and change everything" (decision 0030).
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.models import CommunityGroup, GroupMembership, Power, RolePower, RoleTerm, Standing
from carecommons.people.models import Person


@dataclass(frozen=True)
class GroupAccess:
    group: CommunityGroup
    person: Person
    member: GroupMembership
    powers: frozenset[Power]


def powers_of(group: CommunityGroup, person: Person, today: date) -> frozenset[Power]:
    """The powers of the roles they hold that day, and `see`, every member's."""
    held = RolePower.objects.filter(
        role__terms__in=RoleTerm.objects.current(today).filter(role__group=group, person=person)
    ).values_list("power", flat=True)
    return frozenset({Power.SEE, *(Power(p) for p in held)})


def get_group_for_user(user: User, group_uuid: UUID, *, need: Power | None = None) -> GroupAccess:
    """The group and the user's standing in it, worked out once per request (decision 0020).

    Only current members reach a group for now; `need` asks for a power their roles must give.
    The convening organisation's staff come in with the handover (decision 0030 section 4): their
    seats and `staff_powers` join here, so that no other path gives staff a way in.
    """
    today = timezone.localdate()
    member = (
        GroupMembership.objects.current(today)
        .filter(group__uuid=group_uuid, person__user_id=user.pk, standing=Standing.MEMBER)
        .select_related("group", "person")
        .first()
        if user.is_authenticated
        else None
    )
    if member is None:
        raise Http404
    powers = powers_of(member.group, member.person, today)
    if need is not None and need not in powers:
        raise Http404
    return GroupAccess(group=member.group, person=member.person, member=member, powers=powers)
