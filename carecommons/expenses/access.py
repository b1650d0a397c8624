"""Who may see an expense and its receipts: the current members of its group (any role), and no one
else. Hosts see only totals (finances/access.py), never an expense or a receipt. Payee details are
for the group's current treasurers only (`may_see_payee`). Views load expenses only through here."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.expenses.models import Expense, Receipt
from carecommons.finances.access import Need, get_group_for_user, groups_of, is_treasurer


def expenses_visible_to(user: User) -> QuerySet[Expense]:
    return Expense.objects.filter(group__in=groups_of(user))


def get_expense_for_user(user: User, uuid: UUID, *, need: Need = Need.MEMBER) -> Expense:
    """The expense if the user holds the role needed in its group; a 404 otherwise."""
    group_uuid = expenses_visible_to(user).filter(uuid=uuid).values_list("group__uuid", flat=True).first()
    if group_uuid is None:
        raise Http404
    group = get_group_for_user(user, group_uuid, need=need)
    expense = (
        Expense.objects.select_related("category", "fund", "submitted_by", "paid_transaction")
        .filter(uuid=uuid, group=group)
        .first()
    )
    if expense is None:
        raise Http404
    expense.group = group
    return expense


def get_receipt_for_user(user: User, uuid: UUID) -> Receipt:
    receipt = (
        Receipt.objects.select_related("expense")
        .filter(uuid=uuid, expense__in=expenses_visible_to(user))
        .first()
    )
    if receipt is None:
        raise Http404
    receipt.expense = get_expense_for_user(user, receipt.expense.uuid)
    return receipt


def may_see_payee(user: User, expense: Expense) -> bool:
    return is_treasurer(user, expense.group)
