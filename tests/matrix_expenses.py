"""Expected statuses for expenses. Site-wide roles give nothing here: group roles come from finances
memberships. Each target group has the cast's participant as a member, its facilitator as an
approver and its treasurer as the group's treasurer (when those personas exist yet); everyone else,
convenors included, gets a 404. Each expense is claimed by someone outside the cast, so the
submitter-only actions are refused (a message and a redirect) for everyone in the cast, and the
empty forms posted to reject, pay and add receipts come back with their errors (200)."""

from typing import Any

from carecommons.accounts.models import User
from carecommons.expenses import services
from carecommons.expenses.models import Expense
from carecommons.expenses.tests.factories import make_expense, member, photo
from carecommons.finances.models import Group
from carecommons.finances.tests.factories import join, make_group
from tests.matrix import ANON, Case

CAST_ROLES = {"participant": (), "facilitator": ("approver",), "treasurer": ("treasurer",)}
MEMBERS = {"participant": 200, "facilitator": 200, "treasurer": 200}
REFUSED = {"participant": 302, "facilitator": 302, "treasurer": 302}


def cast_group() -> Group:
    group = make_group("Matrix Mutual Aid", approval_threshold_pence=100_000)
    for persona, roles in CAST_ROLES.items():
        user = User.objects.filter(email=f"{persona}@example.org").first()
        if user is not None:
            join(group, user, *roles)
    return group


def claimed(*, submit: bool = True, approved: bool = False) -> Expense:
    group = cast_group()
    expense = make_expense(group, member(group), submit=submit, receipts=[photo()])
    if approved:
        services.approve_expense(expense=expense, by=member(group, "approver"))
    return expense


def group_args() -> dict[str, Any]:
    return {"group_id": cast_group().uuid}


def expense_args() -> dict[str, Any]:
    return {"expense_id": claimed().uuid}


def draft_args() -> dict[str, Any]:
    return {"expense_id": claimed(submit=False).uuid}


def approved_args() -> dict[str, Any]:
    return {"expense_id": claimed(approved=True).uuid}


def receipt_args() -> dict[str, Any]:
    return {"receipt_id": claimed().receipts.get().uuid}


def post(args: Any, overrides: dict[str, int]) -> Case:
    return Case(ANON, method="post", args=args, overrides=overrides)


MATRIX: dict[str, Case] = {
    "expenses:expense_list": Case(ANON, args=group_args, overrides=MEMBERS),
    "expenses:expense_create": Case(ANON, args=group_args, overrides=MEMBERS),
    "expenses:expense_detail": Case(ANON, args=expense_args, overrides=MEMBERS),
    "expenses:receipt_download": Case(ANON, args=receipt_args, overrides=MEMBERS),
    "expenses:expense_submit": post(draft_args, REFUSED),
    # The confirmation page: a treasurer may cancel; the others are told why not (a redirect).
    "expenses:expense_cancel": Case(ANON, args=expense_args, overrides=REFUSED | {"treasurer": 200}),
    "expenses:expense_approve": post(expense_args, {"facilitator": 302}),
    "expenses:expense_reject": post(expense_args, {"facilitator": 200}),
    "expenses:expense_pay": post(approved_args, {"treasurer": 200}),
    "expenses:receipt_add": post(expense_args, REFUSED | {"treasurer": 200}),
}
