"""Budgets per spending category and period, beside what was actually spent."""

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.finances import figures, services
from carecommons.finances.access import get_group_for_user, is_treasurer
from carecommons.finances.forms import BudgetForm
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data


@login_required
def budgets(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    treasurer = is_treasurer(request.user, group)
    today = timezone.localdate()
    initial = {"starts_on": date(today.year, 1, 1), "ends_on": date(today.year, 12, 31)}
    form = BudgetForm(post_data(request), group=group, initial=initial) if treasurer else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_budget(
                group=group, category=data["category"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                amount_pence=data["amount"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            apply_form_errors(form, error, "category")
        else:
            messages.success(request, "Budget saved.")
            return redirect("finances:budgets", group.uuid)
    rows = [
        (budget, actual, budget.amount_pence - actual)
        for budget, actual in figures.budgets_with_actuals(group)
    ]
    context = {"group": group, "rows": rows, "form": form}
    status = 400 if form is not None and form.errors else 200
    return render(request, "finances/budgets.html", context, status=status)
