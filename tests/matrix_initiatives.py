"""Expected statuses for initiatives. Site-wide roles give nothing inside a group (decision 0030).
Each target group is convened by an organisation: the cast's participant is its one member from
the cast, the facilitator persona works there and holds a convening seat, and the evaluator
persona works there and is invited back. Whoever reaches the group reads its initiatives
(participant, facilitator, evaluator); only the member writes (starts, changes, joins, adds
actions, updates and needs, volunteers): staff get a 404 there. Everyone else, convenors
included, gets a 404 everywhere. The join and volunteer pages ask to confirm first."""

from typing import Any

from carecommons.accounts.models import User
from carecommons.groups import services as groups
from carecommons.groups.models import CommunityGroup
from carecommons.groups.tests.handover_factories import employ, invite_back, make_organisation
from carecommons.initiatives import services
from carecommons.initiatives.models import Initiative, NeedKind
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative
from carecommons.people.services import create_person
from tests.matrix import ANON, Case, unique_name

MEMBER = {"participant": 200}
READERS = {"participant": 200, "facilitator": 200, "evaluator": 200}


def persona(name: str) -> User | None:
    return User.objects.filter(email=f"{name}@example.org").first()


def cast_group() -> CommunityGroup:
    founder = create_person(by=None, given_name="Founder", family_name="Member")
    participant = persona("participant")
    members = [founder] + ([participant] if participant is not None else [])
    organisation = make_organisation("Matrix Care Lab")
    group = group_of(*members, name=unique_name("Matrix action group"), convened_by=organisation)
    if (staff := persona("facilitator")) is not None:
        groups.give_convening_seat(group=group, person=employ(organisation, staff), by=None)
    if (invited := persona("evaluator")) is not None:
        invite_back(group, invited)
    return group


def initiative() -> Initiative:
    group = cast_group()
    return make_initiative(group, group.memberships.get(person__given_name="Founder").person)


def group_args() -> dict[str, Any]:
    return {"group_id": cast_group().uuid}


def initiative_args() -> dict[str, Any]:
    made = initiative()
    return {"group_id": made.group.uuid, "initiative_id": made.uuid}


def action_args() -> dict[str, Any]:
    made = initiative()
    action = make_action(made, made.members.get())
    return {"group_id": made.group.uuid, "initiative_id": made.uuid, "action_id": action.uuid}


def need_args() -> dict[str, Any]:
    made = initiative()
    need = services.add_need(initiative=made, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=2, by=None)
    return {"group_id": made.group.uuid, "initiative_id": made.uuid, "need_id": need.uuid}


MATRIX: dict[str, Case] = {
    "initiatives:initiative_list": Case(ANON, args=group_args, overrides=READERS),
    "initiatives:initiative_create": Case(ANON, args=group_args, overrides=MEMBER),
    "initiatives:initiative_detail": Case(ANON, args=initiative_args, overrides=READERS),
    "initiatives:initiative_status": Case(ANON, args=initiative_args, overrides=MEMBER),
    "initiatives:initiative_join": Case(ANON, args=initiative_args, overrides=MEMBER),
    "initiatives:action_create": Case(ANON, args=initiative_args, overrides=MEMBER),
    "initiatives:action_follow_up": Case(ANON, args=action_args, overrides=MEMBER),
    "initiatives:update_create": Case(ANON, args=initiative_args, overrides=MEMBER),
    "initiatives:need_create": Case(ANON, args=initiative_args, overrides=MEMBER),
    "initiatives:need_volunteer": Case(ANON, args=need_args, overrides=MEMBER),
}
