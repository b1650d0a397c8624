"""Who holds which role until when, and who follows: the rotation every member sees ahead of time.
Three queries (roles, their powers, terms) whatever the number of roles and terms."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from carecommons.groups.models import CommunityGroup, Power, Role, RoleTerm
from carecommons.people.models import Person


@dataclass(frozen=True)
class Holder:
    person: Person
    starts_on: date
    last_day: date | None  # the last day they hold it; None: no end set


@dataclass
class RoleRota:
    role: Role
    powers: list[Power]
    now: list[Holder] = field(default_factory=list)
    ahead: list[Holder] = field(default_factory=list)


def rota(group: CommunityGroup, today: date) -> list[RoleRota]:
    roles = {
        role.pk: RoleRota(role=role, powers=[Power(p.power) for p in role.powers.all()])
        for role in Role.objects.filter(group=group).prefetch_related("powers")
    }
    terms = (
        RoleTerm.objects.filter(role__group=group)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("person")
        .order_by("starts_on", "id")
    )
    for term in terms:
        last_day = term.ends_on - timedelta(days=1) if term.ends_on else None
        holder = Holder(person=term.person, starts_on=term.starts_on, last_day=last_day)
        (roles[term.role_id].ahead if term.starts_on > today else roles[term.role_id].now).append(holder)
    return list(roles.values())
