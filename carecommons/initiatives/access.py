"""Who may see and change initiatives. Views load them only through here.

An initiative is its group's. Whoever reaches the group (`groups.access.get_group_for_user`: its
members, and staff of the convening organisation while they hold a seat or are invited back) may
read its initiatives; only current members may work on them (start one, change its status, join,
add and follow up actions, post updates, add needs, volunteer): with `write=True` anyone else gets
a 404 from `own_membership`. Site convenors and everyone else get a 404 (decision 0030 section 3).

Money on an initiative page follows the group's money rules: a need's budget line and what was
spent against it are shown only to a viewer who may see the group's money (never staff invited
back, `may_see_money`) and who is in its books by finances' own rule (`finances.access.roles_in`:
a current member or a holder of a money role).
"""

from dataclasses import dataclass
from uuid import UUID

from django.http import Http404

from carecommons.accounts.models import User
from carecommons.decisions.models import Decision
from carecommons.finances.access import roles_in
from carecommons.finances.models import Group as Books
from carecommons.groups.access import (
    GroupAccess,
    get_group_for_user,
    may_see_ballots,
    may_see_money,
    own_membership,
)
from carecommons.groups.models import CommunityGroup
from carecommons.initiatives.models import Initiative, InitiativeAction, InitiativeNeed


@dataclass(frozen=True)
class InitiativeAccess:
    standing: GroupAccess
    initiative: Initiative


def _reach(user: User, group_uuid: UUID, *, write: bool, page: str) -> GroupAccess:
    standing = get_group_for_user(user, group_uuid, page=page)
    if write:
        own_membership(standing)
    return standing


def get_group_initiatives_for_user(user: User, group_uuid: UUID, *, write: bool = False) -> GroupAccess:
    """The group whose initiatives the user may read (`write`: start one, members only)."""
    return _reach(user, group_uuid, write=write, page="the group's initiatives")


def get_initiative_for_user(
    user: User, group_uuid: UUID, initiative_uuid: UUID, *, write: bool = False
) -> InitiativeAccess:
    standing = _reach(user, group_uuid, write=write, page="an initiative")
    initiative = (
        Initiative.objects.filter(group=standing.group, uuid=initiative_uuid)
        .select_related("decision")
        .first()
    )
    if initiative is None:
        raise Http404
    initiative.group = standing.group
    return InitiativeAccess(standing=standing, initiative=initiative)


def get_action_for_user(
    user: User, group_uuid: UUID, initiative_uuid: UUID, action_uuid: UUID, *, write: bool = False
) -> tuple[InitiativeAccess, InitiativeAction]:
    reach = get_initiative_for_user(user, group_uuid, initiative_uuid, write=write)
    action = reach.initiative.actions.select_related("owner").filter(uuid=action_uuid).first()
    if action is None:
        raise Http404
    action.initiative = reach.initiative
    return reach, action


def get_need_for_user(
    user: User, group_uuid: UUID, initiative_uuid: UUID, need_uuid: UUID, *, write: bool = False
) -> tuple[InitiativeAccess, InitiativeNeed]:
    reach = get_initiative_for_user(user, group_uuid, initiative_uuid, write=write)
    need = reach.initiative.needs.filter(uuid=need_uuid).first()
    if need is None:
        raise Http404
    need.initiative = reach.initiative
    return reach, need


def may_write(standing: GroupAccess) -> bool:
    """Whether the page offers starting, changing and joining: members only."""
    return standing.member is not None


def books_of(group: CommunityGroup) -> Books | None:
    """The group's own books, if it keeps its money here (one query)."""
    return Books.objects.filter(group=group).first()


def sees_books(user: User, standing: GroupAccess, books: Books | None) -> bool:
    """Whether the viewer may see the figures of these books: never invited staff, and otherwise
    finances' own rule (a current member or money-role holder)."""
    return books is not None and may_see_money(standing) and bool(roles_in(user, books))


def decision_to_start_from(standing: GroupAccess, raw: str | None) -> Decision | None:
    """The group's own closed decision an initiative is started from (`?decision=<uuid>`); anything
    else, another group's or one still open, is ignored and the form starts empty."""
    try:
        key = UUID(raw or "")
    except ValueError:
        return None
    return (
        Decision.objects.filter(group=standing.group, uuid=key, closed_at__isnull=False)
        .select_related("outcome")
        .first()
    )


def decision_shown(standing: GroupAccess, initiative: Initiative) -> Decision | None:
    """The decision an initiative came from, for a viewer who may reach decisions: staff invited
    back read initiatives but never decisions, so for them it is not named."""
    return initiative.decision if may_see_ballots(standing) else None
