"""Care Labs and who organises them. A Care Lab is a Programme of kind "care_lab"; its organisers
are the people with the organiser role who facilitate one of its cohorts, and convenors organise
every lab. Here, below `listening` and `groups`, so both can ask (decision 0030 section 2)."""

from django.db.models import QuerySet

from carecommons.accounts.models import Role, User
from carecommons.programmes.models import Programme, ProgrammeKind


def labs() -> QuerySet[Programme]:
    return Programme.objects.filter(kind=ProgrammeKind.CARE_LAB)


def labs_organised_by(user: User) -> QuerySet[Programme]:
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.has_role(Role.CONVENOR):
        return labs()
    if not user.has_role(Role.ORGANISER):
        return Programme.objects.none()
    return labs().filter(id__in=labs().filter(cohorts__facilitator_links__person__user=user).values("id"))
