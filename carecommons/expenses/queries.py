"""Counts of expenses that other pages (the host view) show, each in one grouped query."""

from collections.abc import Sequence

from django.db.models import Count

from carecommons.expenses.models import Expense, ExpenseState


def awaiting_approval_counts(group_ids: Sequence[int]) -> dict[int, int]:
    """For each group, how many expenses wait for approval (groups with none are left out)."""
    rows = (
        Expense.objects.filter(group_id__in=group_ids, state=ExpenseState.SUBMITTED)
        .order_by()
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    return dict(rows)
