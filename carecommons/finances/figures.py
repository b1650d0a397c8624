"""Read-only figures from a group's books, each in one grouped query whatever the size."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
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


def with_entries(transactions: QuerySet[Transaction]) -> QuerySet[Transaction]:
    """Transactions with their entries (largest first), accounts, funds and reversals, in a fixed
    number of queries: for the ledger, a transaction's page and its reversal."""
    return transactions.select_related("reverses").prefetch_related(
        Prefetch(
            "entries",
            queryset=Entry.objects.select_related("account", "fund").order_by("-amount_pence", "id"),
        ),
        "reversed_by",
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


@dataclass(frozen=True)
class MonthlyCategory:
    month: date
    category: str
    kind: str  # income or spending
    entries: int
    pence: int  # as posted: spending positive, income negative


def by_month_and_category(group: Group, starts_on: date, ends_on: date) -> list[MonthlyCategory]:
    """Posted entries on income and spending categories per month and category, counted and added
    up, in one grouped query. Reversals are entries too: they count where they happened."""
    rows = (
        posted_entries(group, starts_on, ends_on)
        .filter(account__kind__in=(AccountKind.INCOME, AccountKind.EXPENSE))
        .annotate(month=TruncMonth("transaction__occurred_on"))
        .values_list("month", "account__name", "account__kind")
        .annotate(entries=Count("id"), total=Sum("amount_pence"))
        .values_list("month", "account__name", "account__kind", "entries", "total")
        .order_by()
    )
    return [MonthlyCategory(month, name, kind, n, int(total)) for month, name, kind, n, total in rows]


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


def problems_in_books() -> list[str]:
    """What is wrong with any group's books, in words: a posted transaction that does not balance
    within a fund, or a kept balance that differs from the sum of its account's posted entries.
    Empty when all is well. Three grouped queries whatever the size."""
    problems = []
    unbalanced = (
        Entry.objects.filter(transaction__posted=True)
        .values_list("transaction__uuid", "fund_id")
        .annotate(total=Sum("amount_pence"))
        .exclude(total=0)
    )
    for txn, _fund, total in unbalanced.values_list("transaction__uuid", "fund_id", "total"):
        problems.append(f"Transaction {txn} is off by {total} pence.")
    sums = dict(
        Entry.objects.filter(transaction__posted=True)
        .values_list("account_id")
        .annotate(total=Sum("amount_pence"))
        .values_list("account_id", "total")
    )
    kept = dict(Balance.objects.values_list("account_id", "pence"))
    for account_id in sorted(set(sums) | set(kept)):
        if int(sums.get(account_id) or 0) != kept.get(account_id, 0):
            problems.append(
                f"Account {account_id}: kept balance {kept.get(account_id, 0)} but its entries add up to "
                f"{int(sums.get(account_id) or 0)} pence."
            )
    return problems
