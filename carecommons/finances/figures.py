"""Read-only figures from a group's books, each in one grouped query whatever the size."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth

from carecommons.finances.models import (
    MONEY_KINDS,
    Account,
    AccountKind,
    Balance,
    Budget,
    Entry,
    Fund,
    Group,
    Host,
    Transaction,
    TransactionKind,
)


@dataclass(frozen=True)
class Held:
    account: Account
    pence: int


def money_held(group: Group) -> list[Held]:
    """Bank and cash accounts with what each holds (from the trigger-kept balances)."""
    accounts = Account.objects.filter(group=group, kind__in=MONEY_KINDS).select_related("balance")
    return [Held(a, a.balance.pence if hasattr(a, "balance") else 0) for a in accounts]


def fund_balances(group: Group) -> list[tuple[Fund, int]]:
    totals = dict(
        Entry.objects.filter(fund__group=group, transaction__posted=True, account__kind__in=MONEY_KINDS)
        .values_list("fund_id")
        .annotate(total=Sum("amount_pence"))
        .values_list("fund_id", "total")
    )
    return [(fund, int(totals.get(fund.pk) or 0)) for fund in Fund.objects.filter(group=group)]


def posted_entries(group: Group, starts_on: date, ends_on: date):  # type: ignore[no-untyped-def]
    return Entry.objects.filter(
        transaction__group=group,
        transaction__posted=True,
        transaction__occurred_on__gte=starts_on,
        transaction__occurred_on__lte=ends_on,
    )


@dataclass(frozen=True)
class CategoryTotal:
    account: Account
    pence: int  # income as a positive amount received, spending as a positive amount spent


def by_category(
    group: Group, starts_on: date, ends_on: date
) -> tuple[list[CategoryTotal], list[CategoryTotal]]:
    """Income and spending per category between two dates (reversals net out)."""
    totals = dict(
        posted_entries(group, starts_on, ends_on)
        .filter(account__kind__in=(AccountKind.INCOME, AccountKind.EXPENSE))
        .values_list("account_id")
        .annotate(total=Sum("amount_pence"))
        .values_list("account_id", "total")
    )
    accounts = Account.objects.filter(pk__in=totals).order_by("name")
    income = [CategoryTotal(a, -int(totals[a.pk])) for a in accounts if a.kind == AccountKind.INCOME]
    spending = [CategoryTotal(a, int(totals[a.pk])) for a in accounts if a.kind == AccountKind.EXPENSE]
    return [t for t in income if t.pence], [t for t in spending if t.pence]


def by_month(group: Group, starts_on: date, ends_on: date) -> list[tuple[date, int, int]]:
    """(month, income, spending) for each month with either, oldest first."""
    rows = (
        posted_entries(group, starts_on, ends_on)
        .filter(account__kind__in=(AccountKind.INCOME, AccountKind.EXPENSE))
        .annotate(month=TruncMonth("transaction__occurred_on"))
        .values_list("month", "account__kind")
        .annotate(total=Sum("amount_pence"))
        .values_list("month", "account__kind", "total")
    )
    months: dict[date, list[int]] = {}
    for month, kind, total in rows:
        pair = months.setdefault(month, [0, 0])
        if kind == AccountKind.INCOME:
            pair[0] -= int(total)
        else:
            pair[1] += int(total)
    return [(month, pair[0], pair[1]) for month, pair in sorted(months.items())]


OTHER_SPENDING = "Other spending"


def payments_per_category(group: Group, starts_on: date, ends_on: date) -> dict[int, int]:
    """How many payments (not reversed) each spending category had."""
    return dict(
        posted_entries(group, starts_on, ends_on)
        .filter(account__kind=AccountKind.EXPENSE, amount_pence__gt=0, transaction__reversed_by__isnull=True)
        .exclude(transaction__kind="reversal")
        .values_list("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )


def public_spending(group: Group, starts_on: date, ends_on: date, *, minimum: int) -> list[tuple[str, int]]:
    """Spending per category for the public, with every category of fewer than `minimum` payments
    folded into "Other spending", so one household's medicine or rent is not singled out. Counts
    of payments are never shown, only totals."""
    _, spending = by_category(group, starts_on, ends_on)
    counts = payments_per_category(group, starts_on, ends_on)
    shown = [(t.account.name, t.pence) for t in spending if counts.get(t.account.pk, 0) >= minimum]
    other = sum(t.pence for t in spending if counts.get(t.account.pk, 0) < minimum)
    if other:
        shown.append((OTHER_SPENDING, other))
    return shown


GIFT_KINDS = (TransactionKind.DONATION, TransactionKind.GRANT)


def public_donors(group: Group, starts_on: date, ends_on: date) -> list[str]:
    """Names of donors and funders who agreed to be thanked by name, newest first, once each."""
    names = (
        Transaction.objects.filter(group=group, posted=True, counterparty_public=True, kind__in=GIFT_KINDS)
        .filter(occurred_on__gte=starts_on, occurred_on__lte=ends_on, reversed_by__isnull=True)
        .exclude(counterparty="")
        .order_by("-occurred_on", "-id")
        .values_list("counterparty", flat=True)
    )
    return list(dict.fromkeys(names))


def budgets_with_actuals(group: Group) -> list[tuple[Budget, int]]:
    """Each budget with what was actually spent on its category in its period (net of reversals),
    in one query."""
    spent = (
        Entry.objects.filter(
            account=OuterRef("category"),
            transaction__posted=True,
            transaction__occurred_on__gte=OuterRef("starts_on"),
            transaction__occurred_on__lte=OuterRef("ends_on"),
        )
        .order_by()
        .values("account")
        .annotate(total=Sum("amount_pence"))
        .values("total")
    )
    budgets = (
        Budget.objects.filter(group=group)
        .select_related("category")
        .annotate(actual=Subquery(spent))
        .order_by("-starts_on", "category__name")
    )
    return [(budget, int(budget.actual or 0)) for budget in budgets]  # type: ignore[attr-defined]


def held_by_group(group_ids: Sequence[int]) -> dict[int, int]:
    """Money held (bank and cash) by each group, from the trigger-kept balances: one row per
    account, not one per entry, whatever the size of the books."""
    rows = (
        Balance.objects.filter(account__kind__in=MONEY_KINDS, account__group_id__in=group_ids)
        .values_list("account__group_id")
        .annotate(total=Sum("pence"))
        .values_list("account__group_id", "total")
    )
    return {group_id: int(total or 0) for group_id, total in rows}


def held_by_host(host: Host) -> int:
    total = Balance.objects.filter(account__kind__in=MONEY_KINDS, account__group__host=host).aggregate(
        total=Sum("pence")
    )["total"]
    return int(total or 0)


@dataclass(frozen=True)
class PublicPayment:
    month: date
    category: str
    pence: int
    recipient: str  # the group's chosen pseudonym, or "" for category only


def public_payments(
    group: Group, starts_on: date, ends_on: date, *, categories: set[str], limit: int
) -> list[PublicPayment]:
    """The latest payments in the categories the public page shows, by month (never the day),
    named only by the pseudonym the group chose for the recipient, if any."""
    rows = (
        posted_entries(group, starts_on, ends_on)
        .filter(
            account__kind=AccountKind.EXPENSE,
            account__name__in=categories,
            amount_pence__gt=0,
            transaction__kind=TransactionKind.EXPENSE,
            transaction__reversed_by__isnull=True,
        )
        .order_by("-transaction__occurred_on", "-id")
        .values_list(
            "transaction__occurred_on", "account__name", "amount_pence", "transaction__counterparty",
            "transaction__counterparty_public",
        )[:limit]
    )  # fmt: skip
    return [
        PublicPayment(day.replace(day=1), category, pence, label if public else "")
        for day, category, pence, label, public in rows
    ]
