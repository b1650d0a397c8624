"""Statements made through the real services, from CSV text written here."""

from collections.abc import Iterable

from carecommons.accounts.models import User
from carecommons.finances.models import Account, Group, GroupRole
from carecommons.finances.tests.factories import account, join, make_group
from carecommons.statements import services
from carecommons.statements.csvformat import Mapping
from carecommons.statements.models import StatementImport

SIGNED = Mapping(date="Date", description="Description", amount="Amount", balance="Balance")


def statement_csv(
    rows: Iterable[tuple[str, str, str, str]], header: str = "Date,Description,Amount,Balance"
) -> bytes:
    lines = [header, *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def treasurers_group(user: User | None = None, *, name: str = "Northside Mutual Aid") -> Group:
    group = make_group(name)
    if user is not None:
        join(group, user, GroupRole.TREASURER)
    return group


def bank(group: Group) -> Account:
    return account(group, "Bank account")


def check(
    group: Group,
    raw: bytes,
    *,
    mapping: Mapping = SIGNED,
    by: User | None = None,
    filename: str = "statement.csv",
    into: Account | None = None,
) -> StatementImport:
    return services.check_statement(
        group=group, account=into or bank(group), filename=filename, raw_bytes=raw, mapping=mapping, by=by
    )


def imported(
    group: Group, raw: bytes, *, by: User | None = None, skip_bad_rows: bool = False, **kwargs: object
) -> StatementImport:
    statement = check(group, raw, by=by, **kwargs)  # type: ignore[arg-type]
    return services.request_import(statement=statement, skip_bad_rows=skip_bad_rows, by=by)
