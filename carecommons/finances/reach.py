"""Relationships in group money that open other people's money details (see accounts/reach.py).

Plain members see their group's shared books; treasurers and approvers also see payees, claims and
bank statements, and host staff see every hosted group's figures. A treasurer or approver is whoever
holds a current term in a role with `keep_books` or `approve_spending` (finances/roles.py)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from carecommons.accounts.reach import Reach
from carecommons.finances.models import Host
from carecommons.finances.roles import money_terms_on
from carecommons.groups.models import RoleTerm


def money_office(user: Any) -> QuerySet[RoleTerm]:
    return money_terms_on(timezone.localdate()).filter(person__user=user)


def host_staff(user: Any) -> QuerySet[Host]:
    return Host.objects.filter(staff__user=user)


REACH = [
    Reach(
        "treasurer_or_approver",
        "you are a group's treasurer or approver, so you see claims, payees' bank details and statements",
        money_office,
    ),
    Reach(
        "host_staff",
        "you are on a fiscal host's staff, so you see the figures of every group it holds",
        host_staff,
    ),
]
