"""Expected statuses for group money pages. Roles in a group come from its memberships, not from
site-wide roles: the target group makes the participant persona a member, the facilitator an
approver and the treasurer its treasurer (when those personas exist yet). Members and approvers
see the books (200) and get a 404 from the treasurer's pages; everyone else, convenors included,
gets a 404 everywhere. The public page is open to all once the group turns it on; the host view
only to the host's staff (the treasurer persona)."""

from typing import Any

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.finances import services
from carecommons.finances.models import Group, GroupRole
from carecommons.finances.tests.factories import join, make_group
from carecommons.people.models import Person
from carecommons.people.services import create_person
from tests.matrix import ANON, EVERYONE, Case, unique_name

CAST_ROLES = {"participant": (), "facilitator": (GroupRole.APPROVER,), "treasurer": (GroupRole.TREASURER,)}
MEMBERS = {"participant": 200, "facilitator": 200, "treasurer": 200}
TREASURER_ONLY = {"participant": 404, "facilitator": 404, "treasurer": 200}


def persona(name: str) -> User | None:
    return User.objects.filter(email=f"{name}@example.org").first()


def target_group() -> Group:
    group = make_group(unique_name("Target Mutual Aid"))
    for name, roles in CAST_ROLES.items():
        user = persona(name)
        if user is not None:
            join(group, user, *roles)
    return group


def with_group() -> dict[str, Any]:
    target_group()
    return {}


def group_args() -> dict[str, Any]:
    return {"group_id": target_group().uuid}


def transaction_args() -> dict[str, Any]:
    group = target_group()
    txn = services.record_donation(group=group, amount_pence=500, occurred_on=timezone.localdate(), by=None)
    return {"group_id": group.uuid, "transaction_id": txn.uuid}


def membership_args() -> dict[str, Any]:
    group = target_group()
    helper = create_person(by=None, given_name="Helper", family_name="Member")
    membership = services.add_member(group=group, person=helper, role=GroupRole.MEMBER, by=None)
    return {"group_id": group.uuid, "membership_id": membership.uuid}


def public_args() -> dict[str, Any]:
    group = target_group()
    services.update_policy(group=group, by=None, public_page=True)
    return {"slug": group.slug}


def host_args() -> dict[str, Any]:
    host = services.create_host(name=unique_name("Target Host"), by=None)
    user = persona("treasurer")
    if user is not None:
        host.staff.add(Person.objects.get(user=user))
    make_group(unique_name("Hosted Group"), host=host)
    return {"host_id": host.uuid}


MATRIX: dict[str, Case] = {
    "finances:my_groups": Case(ANON, args=with_group, overrides=MEMBERS),
    "finances:group_detail": Case(ANON, args=group_args, overrides=MEMBERS),
    "finances:ledger": Case(ANON, args=group_args, overrides=MEMBERS),
    "finances:transaction_detail": Case(ANON, args=transaction_args, overrides=MEMBERS),
    "finances:transaction_reverse": Case(
        ANON, method="post", args=transaction_args, overrides=TREASURER_ONLY | {"treasurer": 400}
    ),
    "finances:income_new": Case(ANON, args=group_args, overrides=TREASURER_ONLY),
    "finances:accounts": Case(ANON, args=group_args, overrides=MEMBERS),
    "finances:members": Case(ANON, args=group_args, overrides=MEMBERS),
    "finances:member_end": Case(ANON, args=membership_args, overrides=TREASURER_ONLY),  # confirmation page
    "finances:budgets": Case(ANON, args=group_args, overrides=MEMBERS),
    "finances:export_json": Case(ANON, args=group_args, overrides=TREASURER_ONLY),
    "finances:export_csv": Case(ANON, args=group_args, overrides=TREASURER_ONLY),
    "finances:policy": Case(ANON, args=group_args, overrides=TREASURER_ONLY),
    "finances:public_page": Case(EVERYONE, anon=200, args=public_args),
    "finances:host_detail": Case(ANON, args=host_args, overrides={"treasurer": 200}),
    "finances:group_new": Case(ANON, args=host_args, overrides={"treasurer": 200}),
    "finances:groups_import": Case(ANON, args=host_args, overrides={"treasurer": 200}),
}
