"""Who may see and change initiatives. Views load them only through here.

An initiative is its group's: every current member of the group sees it and may work on it (start
one, change its status, add and follow up actions, post updates, add needs, volunteer). The
standing comes from `groups.access.get_group_for_user`, so anyone else, site convenors included,
gets a 404 (decision 0030 section 3).
"""

from dataclasses import dataclass
from uuid import UUID

from django.http import Http404

from carecommons.accounts.models import User
from carecommons.groups.access import GroupAccess, get_group_for_user
from carecommons.initiatives.models import Initiative, InitiativeAction, InitiativeNeed


@dataclass(frozen=True)
class InitiativeAccess:
    standing: GroupAccess
    initiative: Initiative


def get_group_initiatives_for_user(user: User, group_uuid: UUID) -> GroupAccess:
    """The group whose initiatives the user may see and start: they must be a current member."""
    return get_group_for_user(user, group_uuid)


def get_initiative_for_user(user: User, group_uuid: UUID, initiative_uuid: UUID) -> InitiativeAccess:
    standing = get_group_for_user(user, group_uuid)
    initiative = Initiative.objects.filter(group=standing.group, uuid=initiative_uuid).first()
    if initiative is None:
        raise Http404
    initiative.group = standing.group
    return InitiativeAccess(standing=standing, initiative=initiative)


def get_action_for_user(
    user: User, group_uuid: UUID, initiative_uuid: UUID, action_uuid: UUID
) -> tuple[InitiativeAccess, InitiativeAction]:
    reach = get_initiative_for_user(user, group_uuid, initiative_uuid)
    action = reach.initiative.actions.select_related("owner").filter(uuid=action_uuid).first()
    if action is None:
        raise Http404
    action.initiative = reach.initiative
    return reach, action


def get_need_for_user(
    user: User, group_uuid: UUID, initiative_uuid: UUID, need_uuid: UUID
) -> tuple[InitiativeAccess, InitiativeNeed]:
    reach = get_initiative_for_user(user, group_uuid, initiative_uuid)
    need = reach.initiative.needs.filter(uuid=need_uuid).first()
    if need is None:
        raise Http404
    need.initiative = reach.initiative
    return reach, need
