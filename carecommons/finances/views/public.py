"""A group's public page: where the money came from and went, by category, never by recipient.

It shows the last twelve complete months only, so a figure never changes as payments are made
today, and no spending figure rests on fewer than 5 payments (finances/public_figures.py). It
shows no balance: money held moves with every single payment.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carecommons.finances import charts, figures
from carecommons.finances.access import get_public_group
from carecommons.finances.models import AccountKind
from carecommons.finances.public_figures import Cell, publish
from carecommons.lib.dates import add_months
from carecommons.lib.small_numbers import SMALL_LIMIT

MONTHS_SHOWN = 12


def complete_months(today: date) -> list[date]:
    """The first day of each of the last MONTHS_SHOWN months that have ended, oldest first."""
    this_month = today.replace(day=1)
    return [add_months(this_month, n) for n in range(-MONTHS_SHOWN, 0)]


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_public_group(slug)
    months = complete_months(timezone.localdate())
    until = add_months(months[-1], 1) - timedelta(days=1)
    rows = figures.by_month_and_category(group, months[0], until)
    income_by_category: dict[str, int] = defaultdict(int)
    income_by_month: dict[date, int] = defaultdict(int)
    for row in rows:
        if row.kind == AccountKind.INCOME:
            income_by_category[row.category] -= row.pence
            income_by_month[row.month] -= row.pence
    income = [(name, pence) for name, pence in sorted(income_by_category.items()) if pence]
    spending = publish(
        (Cell(r.month, r.category, r.entries, r.pence) for r in rows if r.kind == AccountKind.EXPENSE), months
    )
    category_rows = [(row.label, row.pence or 0) for row in spending.categories]
    context = {
        "group": group,
        "since": months[0],
        "until": until,
        "income": income,
        "spending": spending,
        "category_rows": category_rows,
        "income_total": sum(pence for _, pence in income),
        "months": [
            (month, income_by_month[month], m.pence) for month, m in zip(months, spending.months, strict=True)
        ],
        "donors": figures.public_donors(group, months[0], until),
        "spending_chart": charts.amount_bars("spending-chart", "Spending by category", category_rows),
        "income_chart": charts.amount_bars("income-chart", "Money in by category", income),
        "smallest": SMALL_LIMIT,
    }
    response = render(request, "finances/public_page.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
