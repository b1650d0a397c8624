"""A fiscal host's view of 1,000 groups whose books hold 1,000,000 ledger entries: median and p95
render time and the query count, against the same page computing each group's money by adding up
its entries (the way a first version would), measured in the same run.

The real page is rendered through Django's test client (middleware, access check, template),
signed in as a member of the host's staff. The groups are made with `create_group` (their starting
accounts, audit events); the 500,000 two-entry transactions go in with executemany, unposted, and
are then posted by one UPDATE so the database's own triggers check every one balances and keep the
balances, exactly as `post_transaction` would: nothing is written around the ledger's rules.
"""

import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

import support

if TYPE_CHECKING:
    from django.test import Client

    from carecommons.finances.models import Host

GROUPS, ENTRIES, SMALL_GROUPS = 1_000, 1_000_000, 10
RENDERS, ANCHOR_RENDERS = 30, 10
TXN_COLUMNS = (
    "group_id", "uuid", "kind", "occurred_on", "description", "counterparty", "counterparty_public",
    "reverses_id", "posted", "recorded_by_id", "created_at",
)  # fmt: skip
ENTRY_COLUMNS = ("transaction_id", "account_id", "fund_id", "amount_pence")


def insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608


def check_columns() -> None:
    from carecommons.finances.models import Entry, Transaction

    for model, columns in ((Transaction, TXN_COLUMNS), (Entry, ENTRY_COLUMNS)):
        found = {field.column for field in model._meta.concrete_fields} - {"id"}
        assert found == set(columns), sorted(found ^ set(columns))


def make_host(name: str, groups: int, staff_email: str) -> tuple["Host", "Client"]:
    from django.test import Client

    from carecommons.accounts.services import create_account
    from carecommons.finances import services
    from carecommons.people.services import create_person

    host = services.create_host(name=name, by=None)
    user = create_account(email=staff_email, password=None, roles=[], by=None)
    person = create_person(by=None, given_name="Host", family_name="Staff", email=staff_email)
    person.user = user
    person.save(update_fields=["user"])
    host.staff.add(person)
    for n in range(groups):
        services.create_group(name=f"{name} group {n:04d}", slug=f"{name.lower()}-{n}", by=None, host=host)
    client = Client()
    client.force_login(user)
    return host, client


def fill_books(host: "Host", entries: int, rng: random.Random) -> None:
    """Donations, grants paid in and spending, spread over a year, two entries each; then posted."""
    from django.db import connection, transaction
    from django.utils import timezone

    from carecommons.finances.models import Account

    accounts: dict[int, dict[str, list[int]]] = {}
    for account_id, group_id, kind in Account.objects.filter(group__host=host).values_list(
        "id", "group_id", "kind"
    ):
        accounts.setdefault(group_id, {}).setdefault(kind, []).append(account_id)
    groups = sorted(accounts)
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    start = timezone.localdate() - timedelta(days=365)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM finances_transaction")
        next_id = cursor.fetchone()[0] + 1
        txns, rows = [], []
        for n in range(entries // 2):
            group = accounts[groups[n % len(groups)]]
            pence = rng.randint(100, 20_000)
            money = rng.choice(group["bank"] + group["cash"])
            if rng.random() < 0.55:
                other, kind, what = rng.choice(group["income"]), "donation", "Donation"
                debit, credit = money, other
            else:
                other, kind, what = rng.choice(group["expense"]), "expense", "Expense paid"
                debit, credit = other, money
            day = start + timedelta(days=rng.randrange(365))
            txns.append((groups[n % len(groups)], uuid.UUID(int=rng.getrandbits(128), version=4).hex, kind,
                         day.isoformat(), what, "", False, None, False, None, now))  # fmt: skip
            rows += [(next_id + n, debit, None, pence), (next_id + n, credit, None, -pence)]
        cursor.executemany(insert("finances_transaction", TXN_COLUMNS), txns)
        cursor.executemany(insert("finances_entry", ENTRY_COLUMNS), rows)
        cursor.execute("UPDATE finances_transaction SET posted = 1 WHERE posted = 0")  # triggers check each
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def naive_held_by_group(group_ids):  # type: ignore[no-untyped-def]
    """The first way that comes to mind: add up every posted entry on each group's money accounts."""
    from django.db.models import Sum

    from carecommons.finances.models import MONEY_KINDS, Entry

    rows = (
        Entry.objects.filter(
            account__group_id__in=group_ids, account__kind__in=MONEY_KINDS, transaction__posted=True
        )
        .values_list("account__group_id")
        .annotate(total=Sum("amount_pence"))
        .values_list("account__group_id", "total")
    )
    return {group_id: int(total or 0) for group_id, total in rows}


def naive_held_by_host(host):  # type: ignore[no-untyped-def]
    from django.db.models import Sum

    from carecommons.finances.models import MONEY_KINDS, Entry

    total = Entry.objects.filter(
        account__group__host=host, account__kind__in=MONEY_KINDS, transaction__posted=True
    ).aggregate(total=Sum("amount_pence"))["total"]
    return int(total or 0)


def render_ms(client: "Client", paths: list[str], renders: int) -> list[float]:
    client.get(paths[0])
    times = []
    for n in range(renders):
        started = time.perf_counter()
        response = client.get(paths[n % len(paths)])
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def query_count(client: "Client", path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> list[str]:
    support.setup_django()
    from django.urls import reverse

    from carecommons.finances import figures
    from carecommons.finances.models import Entry
    from carecommons.money import views as host_view

    check_columns()
    rng = random.Random(20261202)
    started = time.perf_counter()
    small_host, small_client = make_host("Small", SMALL_GROUPS, "small.host@example.org")
    fill_books(small_host, 2_000, rng)
    host, client = make_host("Large", GROUPS, "large.host@example.org")
    fill_books(host, ENTRIES, rng)
    made = Entry.objects.filter(transaction__group__host=host).count()
    assert made == ENTRIES, made
    support.log(f"made {GROUPS:,} groups and {made:,} entries in {time.perf_counter() - started:.0f} s")

    base = reverse("finances:host_detail", args=[host.uuid])
    paths = [base] + [f"{base}?page={page}" for page in (2, 7, 13, 20)]
    small_queries = query_count(small_client, reverse("finances:host_detail", args=[small_host.uuid]))
    large_queries = query_count(client, base)
    ours = render_ms(client, paths, RENDERS)
    page_ids = list(host.groups.order_by("name", "id").values_list("id", flat=True)[:50])
    assert figures.held_by_group(page_ids) == naive_held_by_group(page_ids)
    assert figures.held_by_host(host) == naive_held_by_host(host)
    host_view.figures.held_by_group = naive_held_by_group  # type: ignore[assignment]
    host_view.figures.held_by_host = naive_held_by_host  # type: ignore[assignment]
    anchor = render_ms(client, paths, ANCHOR_RENDERS)
    support.log(
        f"host view p50 {statistics.median(ours):.1f} ms p95 {p95(ours):.1f} ms; summing entries "
        f"p50 {statistics.median(anchor):.0f} ms p95 {p95(anchor):.0f} ms; queries {small_queries} at "
        f"{SMALL_GROUPS} groups, {large_queries} at {GROUPS}"
    )
    lines = [
        support.line("host_view_p50", statistics.median(ours), "ms", statistics.median(anchor)),
        support.line("host_view_p95", p95(ours), "ms", p95(anchor)),
        support.line("host_view_queries", large_queries, "queries", small_queries),
    ]
    if large_queries != small_queries:
        print(*lines, sep="\n")
        sys.exit("the host view's query count grows with the number of groups")
    return lines


if __name__ == "__main__":
    print(*main(), sep="\n")
