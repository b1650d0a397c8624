"""Home-page prompts about money: claims waiting for this person to approve or to pay."""

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.expenses.models import Approval, Expense, ExpenseState
from carecommons.finances.models import GroupRole, Membership
from carecommons.lib.attention import Item, Provider


def per_group(expenses: QuerySet[Expense]) -> list[tuple[str, str, int]]:
    rows = expenses.order_by().values_list("group__uuid", "group__name").annotate(n=Count("id"))
    return sorted((str(uuid), name, n) for uuid, name, n in rows)


def money_items(user: User) -> list[Item]:
    if not user.is_authenticated:
        return []
    mine = Membership.objects.current().filter(person__user=user)
    approves = mine.filter(role=GroupRole.APPROVER).values("group_id")
    pays = mine.filter(role=GroupRole.TREASURER).values("group_id")
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


ATTENTION = [Provider("claims", money_items)]
