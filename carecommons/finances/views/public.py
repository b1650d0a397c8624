"""A group's public page: where the money came from and went, by category, never by recipient."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carecommons.finances import charts, figures
from carecommons.finances.access import get_public_group
from carecommons.lib.dates import add_months

# Spending categories with fewer payments than this are shown only within "Other spending".
SMALLEST_CATEGORY = 5
RECENT_PAYMENTS = 20


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_public_group(slug)
    today = date.today()
    since = add_months(today, -12)
    income, _ = figures.by_category(group, since, today)
    spending = figures.public_spending(group, since, today, minimum=SMALLEST_CATEGORY)
    months = [
        (month, money_in, spent if payments >= SMALLEST_CATEGORY else None)
        for month, money_in, spent, payments in figures.by_month(group, since, today)
    ]
    context = {
        "group": group,
        "since": since,
        "income": income,
        "spending": spending,
        "income_total": sum(t.pence for t in income),
        "months": months,
        "donors": figures.public_donors(group, since, today),
        "payments": figures.public_payments(
            group, since, today, categories={label for label, _ in spending.rows}, limit=RECENT_PAYMENTS
        ),
        "held": sum(h.pence for h in figures.money_held(group)),
        "spending_chart": charts.amount_bars("spending-chart", "Spending by category", spending.rows),
        "income_chart": charts.amount_bars(
            "income-chart", "Money in by category", [(t.account.name, t.pence) for t in income]
        ),
        "smallest": SMALLEST_CATEGORY,
    }
    response = render(request, "finances/public_page.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
