"""Migrations 0009–0011 move the books' members and roles onto community groups (decision 0030,
"What the tests must prove"): seeded books at 0008, migrated to the head, keep every row, every
balance and every ledger trigger word for word; the ledger still refuses what it refused; and
`roles_in` answers the same for every person and group on every start and end day of the seeded
rows and the days either side.

"The same" has one rule from before written out: any current row used to count as membership
(`get_group_for_user` let in anyone with a role), so a person who held only an approver row now
also answers `member` — the migration gives them a membership for every day their rows cover."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from carecommons.accounts.models import User
from carecommons.finances.figures import problems_in_books
from carecommons.finances.models import Group
from carecommons.finances.roles import roles_in, treasurer_term_months
from carecommons.groups.models import GroupMembership, RoleTerm
from carecommons.people.models import Person
from conftest import make_user

BEFORE = ("finances", "0008_account_purpose_from_default_names")
TABLES = (
    "finances_group", "finances_membership", "finances_account", "finances_balance", "finances_fund",
    "finances_fund_allowed_categories", "finances_transaction", "finances_entry", "finances_budget",
)  # fmt: skip
TODAY = date(2026, 6, 15)


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def heads() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
            )
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own table names
            out[table] = cursor.fetchone()[0]
        return out


def balances() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_id, pence FROM finances_balance ORDER BY account_id")
        return [(int(a), int(p)) for a, p in cursor.fetchall()]


def post(apps: Any, group: Any, lines: list[tuple[Any, int, Any]], reverses: Any = None) -> Any:
    Transaction, Entry = apps.get_model("finances", "Transaction"), apps.get_model("finances", "Entry")
    txn = Transaction.objects.create(
        group=group, kind="reversal" if reverses else "donation", occurred_on=TODAY - timedelta(days=30),
        description="Seeded", reverses=reverses,
    )  # fmt: skip
    for account, pence, fund in lines:
        Entry.objects.create(transaction=txn, account=account, fund=fund, amount_pence=pence)
    Transaction.objects.filter(pk=txn.pk).update(posted=True)
    return txn


def seed(apps: Any, users: dict[str, User]) -> list[Any]:
    """Two groups at 0008 with posted and reversed transactions, a fund, budgets, and roles that
    ended, start in the future, touch, overlap, end the day they start, and an approver-only one."""
    Books, Account = apps.get_model("finances", "Group"), apps.get_model("finances", "Account")
    Fund, Budget = apps.get_model("finances", "Fund"), apps.get_model("finances", "Budget")
    Membership = apps.get_model("finances", "Membership")
    north = Books.objects.create(name="Northside", slug="northside", treasurer_term_months=3)
    south = Books.objects.create(name="Southside", slug="southside")
    for books in (north, south):
        bank = Account.objects.create(group=books, name="Bank account", kind="bank", purpose="bank")
        gifts = Account.objects.create(group=books, name="Donations", kind="income", purpose="donations")
        food = Account.objects.create(group=books, name="Food", kind="expense")
        fund = Fund.objects.create(group=books, name="Grant", conditions="Food only")
        fund.allowed_categories.set([food])
        given = post(apps, books, [(bank, 10_000, None), (gifts, -10_000, None)])
        post(apps, books, [(bank, 5_000, fund), (gifts, -5_000, fund)])
        post(apps, books, [(food, 2_000, fund), (bank, -2_000, fund)])
        post(apps, books, [(bank, -10_000, None), (gifts, 10_000, None)], reverses=given)
        year = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}
        Budget.objects.create(group=books, category=food, amount_pence=50_000, **year)
    d = TODAY
    rows = [
        (north, "ann", "member", d - timedelta(days=200), None),
        (north, "ann", "treasurer", d - timedelta(days=200), d - timedelta(days=110)),  # ended
        (north, "bea", "member", d - timedelta(days=100), d - timedelta(days=50)),  # touches the next
        (north, "bea", "member", d - timedelta(days=50), d + timedelta(days=20)),
        (north, "bea", "treasurer", d - timedelta(days=110), d - timedelta(days=20)),
        (north, "bea", "treasurer", d - timedelta(days=40), d + timedelta(days=30)),  # overlaps her first
        (north, "cai", "approver", d - timedelta(days=60), None),  # approver only
        (north, "cai", "approver", d - timedelta(days=5), d - timedelta(days=5)),  # ended the day it began
        (north, "dee", "member", d + timedelta(days=10), None),  # future
        (north, "dee", "approver", d + timedelta(days=10), d + timedelta(days=70)),
        (south, "ann", "approver", d - timedelta(days=30), d + timedelta(days=5)),
        (south, "eli", "treasurer", d - timedelta(days=300), None),
        (south, "eli", "member", d - timedelta(days=400), d - timedelta(days=300)),  # touches
    ]
    for books, who, role, starts, ends in rows:
        person_id = Person.objects.get(user=users[who]).pk
        Membership.objects.create(group=books, person_id=person_id, role=role, starts_on=starts, ends_on=ends)
    return rows


def old_roles(apps: Any, user: User, slug: str, day: date) -> set[str]:
    Membership = apps.get_model("finances", "Membership")
    rows = Membership.objects.filter(group__slug=slug, person__user_id=user.pk, starts_on__lte=day)
    return {m.role for m in rows if m.ends_on is None or m.ends_on > day}


@pytest.mark.django_db(transaction=True)
def test_books_move_onto_community_groups_with_every_row_balance_trigger_and_role_intact() -> None:
    users = {name: make_user(f"mig-{name}", [], totp=False) for name in ("ann", "bea", "cai", "dee", "eli")}
    latest = heads()
    try:
        old = migrate([BEFORE])
        rows = seed(old, users)
        days = sorted(
            {day + timedelta(days=k) for _, _, _, s, e in rows for day in (s, e) if day for k in (-1, 0, 1)}
        )
        slugs = ("northside", "southside")
        before = {
            (w, g, day): old_roles(old, u, g, day) for w, u in users.items() for g in slugs for day in days
        }
        seen = (counts(), balances(), triggers())

        migrate(latest)

        assert (counts(), balances(), triggers()) == seen
        assert problems_in_books() == []
        books = {g.slug: g for g in Group.objects.all()}
        assert [g.name for g in Group.objects.all()] == ["Northside", "Southside"]
        assert (treasurer_term_months(books["northside"]), treasurer_term_months(books["southside"])) == (
            3,
            None,
        )
        for (who, slug, day), was in before.items():
            expected = was | {"member"} if was else was
            assert roles_in(users[who], books[slug], on=day) == expected, (who, slug, day)
        assert RoleTerm.objects.count() == 7  # every money row but the one that ended the day it began
        assert (
            GroupMembership.objects.filter(group__books__slug="northside", person__user=users["bea"]).count()
            == 1
        )

        back = migrate([BEFORE])  # and back again: names and terms return, the linked groups go
        old_books = back.get_model("finances", "Group").objects.order_by("name")
        assert list(old_books.values_list("name", "treasurer_term_months")) == [
            ("Northside", 3),
            ("Southside", None),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM groups_communitygroup")
            assert cursor.fetchone()[0] == 0
        assert (counts(), balances(), triggers()) == seen
        migrate(latest)

        refused_by_the_ledger(Group.objects.get(slug="northside"))
    finally:
        migrate(latest)
        empty_the_ledger_on_sqlite()


def empty_the_ledger_on_sqlite() -> None:
    """The flush after a transactional test deletes rows, which SQLite's ledger triggers refuse for
    posted transactions (PostgreSQL's TRUNCATE fires no row triggers): the seeded ledger is taken
    out here, with the triggers set aside and put back word for word."""
    if connection.vendor != "sqlite":
        return
    kept = triggers()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        for name, _ in kept:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in ("finances_entry", "finances_balance", "finances_transaction"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
        for _, sql in kept:
            cursor.execute(sql)
        cursor.execute("PRAGMA foreign_keys = ON")
    assert triggers() == kept


def delete_row(table: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608 - our own table name


def refused_by_the_ledger(books: Group) -> None:
    bank = books.accounts.get(name="Bank account")
    txn = books.transactions.filter(posted=True).first()
    assert txn is not None
    entry = txn.entries.first()
    assert entry is not None
    unbalanced = books.transactions.create(kind="donation", occurred_on=TODAY, description="Unbalanced")
    unbalanced.entries.create(account=bank, amount_pence=100)
    for attempt in (
        lambda: books.transactions.filter(pk=unbalanced.pk).update(posted=True),
        lambda: type(entry).objects.filter(pk=entry.pk).update(amount_pence=1),
        lambda: delete_row("finances_transaction", txn.pk),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
