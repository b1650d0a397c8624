"""Expected statuses for the group pages (decision 0030). Site roles give nothing inside a group:
only members get in, so every persona that is not a member of the target group, convenors
included, gets a 404. Each target group is started by someone outside the cast, who holds its
Convenor role; the participant persona is a plain member and the facilitator persona a member
holding a "Coordinator" role that may invite people and give roles (when those personas exist
yet). Anyone signed in sees their own groups, may start one, and may open the join link of a
group that takes requests; only the invited person opens their invitation."""

from typing import Any

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.models import CommunityGroup, Joining, Power
from carecommons.people.models import Person
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import person_of
from tests.matrix import ANON, SIGNED_IN, Case, unique_name

MEMBERS = {"participant": 200, "facilitator": 200}
HOLDER = {"facilitator": 200}


def persona(name: str) -> User | None:
    return User.objects.filter(email=f"{name}@example.org").first()


def outsider(given_name: str = "Founding") -> Person:
    return create_person(by=None, given_name=given_name, family_name="Member")


def join(group: CommunityGroup, person: Person) -> None:
    invitation = services.invite_member(group=group, person=person, by=None)
    services.answer_invitation(membership=invitation, accept=True, by=None)


def target_group(joining: str = Joining.INVITATION) -> CommunityGroup:
    group = services.found_group(
        name=unique_name("Matrix group"), founder=outsider(), by=None, joining=joining
    )
    for name in MEMBERS:
        if (user := persona(name)) is not None:
            join(group, person_of(user))
    if (facilitator := persona("facilitator")) is not None:
        role = services.name_role(
            group=group, name="Coordinator", by=None, powers=[Power.INVITE_PEOPLE, Power.GIVE_ROLES]
        )
        services.give_term(role=role, person=person_of(facilitator), starts_on=timezone.localdate(), by=None)
    return group


def group_args() -> dict[str, Any]:
    return {"group_id": target_group().uuid}


def joinable_args() -> dict[str, Any]:
    return {"group_id": target_group(Joining.INVITATION_OR_REQUEST).uuid}


def invitation_args() -> dict[str, Any]:
    group = services.found_group(name=unique_name("Inviting group"), founder=outsider(), by=None)
    user = persona("participant")
    invited = person_of(user) if user is not None else outsider("Invited")
    return {"membership_id": services.invite_member(group=group, person=invited, by=None).uuid}


def request_args() -> dict[str, Any]:
    group = target_group(Joining.INVITATION_OR_REQUEST)
    asked = services.request_to_join(group=group, person=outsider("Asking"), by=None)
    return {"group_id": group.uuid, "membership_id": asked.uuid}


def role_args() -> dict[str, Any]:
    group = target_group()
    return {"group_id": group.uuid, "role_id": group.roles.get(name=services.FIRST_ROLE).uuid}


def term_args() -> dict[str, Any]:
    group = target_group()
    term = group.roles.get(name=services.FIRST_ROLE).terms.get()
    return {"group_id": group.uuid, "term_id": term.uuid}


MATRIX: dict[str, Case] = {
    "groups:group_list": Case(SIGNED_IN),
    "groups:group_new": Case(SIGNED_IN),
    "groups:invitation_answer": Case(ANON, args=invitation_args, overrides={"participant": 200}),
    "groups:group_detail": Case(ANON, args=group_args, overrides=MEMBERS),
    "groups:group_join": Case(SIGNED_IN, args=joinable_args),
    # The confirmation page; only its "Yes" leaves.
    "groups:group_leave": Case(ANON, args=group_args, overrides=MEMBERS),
    "groups:members": Case(ANON, args=group_args, overrides=HOLDER),
    # An empty answer is sent back to the members page with a message.
    "groups:request_answer": Case(ANON, method="post", args=request_args, overrides={"facilitator": 302}),
    "groups:role_new": Case(ANON, args=group_args, overrides=HOLDER),
    "groups:role_detail": Case(ANON, args=role_args, overrides=HOLDER),
    # The confirmation page; only its "Yes" ends the term.
    "groups:term_end": Case(ANON, args=term_args, overrides=HOLDER),
}
