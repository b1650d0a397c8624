"""Read-only figures about statements, each in one query whatever the number of lines."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from carecommons.finances.models import Account, Entry
from carecommons.statements.csvformat import Line
from carecommons.statements.models import MatchState, StatementImport, StatementLine

CANDIDATE_DAYS = 31
SHORT_LIST = 10


def unmatched_counts(group_ids: Iterable[int]) -> dict[int, int]:
    """Bank lines without a confirmed match, per group (0 for a group with none). One grouped
    query over the partial index `statementline_unmatched_idx`."""
    ids = list(group_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        StatementLine.objects.filter(group_id__in=ids, reconciled=False)
        .order_by()
        .values_list("group_id")
        .annotate(n=Count("*"))
        .values_list("group_id", "n")
    )
    counts.update(rows)
    return counts


def unmatched_by_statement(statement_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        StatementLine.objects.filter(statement_id__in=list(statement_ids), reconciled=False)
        .order_by()
        .values_list("statement_id")
        .annotate(n=Count("*"))
        .values_list("statement_id", "n")
    )
    return dict(rows)


@dataclass(frozen=True)
class LineCounts:
    total: int
    confirmed: int
    suggested: int

    @property
    def unmatched(self) -> int:
        return self.total - self.confirmed - self.suggested


def line_counts(statement: StatementImport) -> LineCounts:
    figures = StatementLine.objects.filter(statement=statement).aggregate(
        total=Count("id"),
        confirmed=Count("id", filter=Q(reconciled=True)),
        suggested=Count("id", filter=Q(reconciled=False, match__isnull=False)),
    )
    return LineCounts(**{name: int(value or 0) for name, value in figures.items()})


def ledger_balance(account: Account, on: date) -> int:
    """What the books say the account held at the end of `on`."""
    total = Entry.objects.filter(
        account=account, transaction__posted=True, transaction__occurred_on__lte=on
    ).aggregate(total=Sum("amount_pence"))["total"]
    return int(total or 0)


def open_entries(account: Account) -> QuerySet[Entry]:
    """Posted entries on the account without a confirmed bank line."""
    return Entry.objects.filter(account=account, transaction__posted=True).exclude(
        statement_match__state=MatchState.CONFIRMED
    )


def unmatched_entries(account: Account, starts_on: date, ends_on: date) -> QuerySet[Entry]:
    return (
        open_entries(account)
        .filter(transaction__occurred_on__range=(starts_on, ends_on))
        .select_related("transaction")
        .order_by("transaction__occurred_on", "id")
    )


def candidates(line: StatementLine) -> list[Entry]:
    """A short list for a person to choose from: the same amount first, then the nearest dates."""
    span = timedelta(days=CANDIDATE_DAYS)
    entries = list(
        open_entries(line.account)
        .filter(transaction__occurred_on__range=(line.occurred_on - span, line.occurred_on + span))
        .select_related("transaction", "statement_match")
    )
    entries.sort(
        key=lambda e: (
            e.amount_pence != line.amount_pence,
            abs(e.amount_pence - line.amount_pence),
            abs((e.transaction.occurred_on - line.occurred_on).days),
            e.pk,
        )
    )
    return entries[:SHORT_LIST]


def known_keys(account: Account, lines: list[Line]) -> set[tuple[date, int, str, int]]:
    """The keys of these lines that the account's earlier statements already hold."""
    if not lines:
        return set()
    starts_on = min(line.occurred_on for line in lines)
    ends_on = max(line.occurred_on for line in lines)
    rows = (
        StatementLine.objects.filter(account=account, occurred_on__range=(starts_on, ends_on))
        .order_by()
        .values_list("occurred_on", "amount_pence", "description", "occurrence")
    )
    return set(rows)
