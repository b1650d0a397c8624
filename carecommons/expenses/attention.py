"""Home-page prompts about money: claims waiting for this person to approve or to pay."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.expenses.models import Approval, Expense, ExpenseState
from carecommons.finances.models import GroupRole
from carecommons.finances.roles import books_where
from carecommons.lib.attention import Item, Provider


def per_group(expenses: QuerySet[Expense]) -> list[tuple[str, str, int]]:
    rows = expenses.order_by().values_list("group__uuid", "group__group__name").annotate(n=Count("id"))
    return sorted((str(uuid), name, n) for uuid, name, n in rows)


def money_items(user: User) -> list[Item]:
    if not user.is_authenticated:
        return []
    approves = books_where(user, GroupRole.APPROVER).values("id")
    pays = books_where(user, GroupRole.TREASURER).values("id")
    approved_by_me = Approval.objects.filter(expense=OuterRef("pk"), approver__user=user)
    waiting = (
        Expense.objects.filter(group_id__in=approves, state=ExpenseState.SUBMITTED)
        .exclude(submitted_by__user=user)
        .exclude(Exists(approved_by_me))
    )
    items = []
    for uuid, name, n in per_group(waiting):
        url = reverse("expenses:expense_list", args=[uuid]) + "?state=submitted"
        items.append(Item(f"{n} expense{'s' if n != 1 else ''} to approve", name, url, "See them"))
    for uuid, name, n in per_group(Expense.objects.filter(group_id__in=pays, state=ExpenseState.APPROVED)):
        url = reverse("expenses:expense_list", args=[uuid]) + "?state=approved"
        items.append(Item(f"{n} approved expense{'s' if n != 1 else ''} to pay", name, url, "See them"))
    return items


def claims_to_act_on(user: User) -> QuerySet[Expense]:
    """Claims waiting in books where the user approves (submitted) or pays (approved)."""
    approves = books_where(user, GroupRole.APPROVER).values("id")
    pays = books_where(user, GroupRole.TREASURER).values("id")
    return Expense.objects.filter(
        Q(group_id__in=approves, state=ExpenseState.SUBMITTED)
        | Q(group_id__in=pays, state=ExpenseState.APPROVED)
    )


ATTENTION = [Provider("claims", money_items, claims_to_act_on)]
