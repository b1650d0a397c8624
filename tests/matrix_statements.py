"""Expected statuses for bank statements: only the target group's current treasurer (the cast's
treasurer persona, when it exists) gets in. The group's plain member (the participant persona) and
its approver (the facilitator) get a 404 like everyone else, convenors included."""

from datetime import date
from typing import Any

from carecommons.accounts.models import User
from carecommons.finances import services as books
from carecommons.finances.models import Group, GroupRole
from carecommons.finances.tests.factories import join, make_group
from carecommons.statements.models import StatementImport, StatementLine
from carecommons.statements.tests.factories import check, imported, statement_csv
from tests.matrix import ANON, Case, unique_name

CAST_ROLES = {"participant": (), "facilitator": (GroupRole.APPROVER,), "treasurer": (GroupRole.TREASURER,)}
TREASURER_ONLY = {"participant": 404, "facilitator": 404, "treasurer": 200}
TREASURER_POSTS = TREASURER_ONLY | {"treasurer": 302}
LINES = [("01/11/2026", "Gift", "5.00", "105.00"), ("02/11/2026", "Shop", "-2.00", "103.00")]


def target_group() -> Group:
    group = make_group(unique_name("Statement Mutual Aid"))
    for persona, roles in CAST_ROLES.items():
        user = User.objects.filter(email=f"{persona}@example.org").first()
        if user is not None:
            join(group, user, *roles)
    return group


def target_statement() -> StatementImport:
    group = target_group()
    books.record_donation(group=group, amount_pence=500, occurred_on=date(2026, 11, 1), by=None)
    return imported(group, statement_csv(LINES))


def group_args() -> dict[str, Any]:
    return {"group_id": target_group().uuid}


def imported_args() -> dict[str, Any]:
    statement = target_statement()
    return {"group_id": statement.group.uuid, "statement_id": statement.uuid}


def dry_run_args() -> dict[str, Any]:
    statement = check(target_group(), statement_csv(LINES))
    return {"group_id": statement.group.uuid, "statement_id": statement.uuid}


def line_args() -> dict[str, Any]:
    """The line with a suggested match, so confirm and reject have something to do."""
    statement = target_statement()
    line = StatementLine.objects.get(statement=statement, match__isnull=False)
    return {"group_id": statement.group.uuid, "statement_id": statement.uuid, "line_id": line.pk}


MATRIX: dict[str, Case] = {
    "statements:statement_list": Case(ANON, args=group_args, overrides=TREASURER_ONLY),
    "statements:statement_upload": Case(ANON, args=group_args, overrides=TREASURER_ONLY),
    "statements:statement_detail": Case(ANON, args=imported_args, overrides=TREASURER_ONLY),
    "statements:statement_review": Case(ANON, args=dry_run_args, overrides=TREASURER_ONLY),
    "statements:suggest_again": Case(ANON, method="post", args=imported_args, overrides=TREASURER_POSTS),
    "statements:match_confirm": Case(ANON, method="post", args=line_args, overrides=TREASURER_POSTS),
    "statements:match_reject": Case(ANON, method="post", args=line_args, overrides=TREASURER_POSTS),
    "statements:line_match": Case(ANON, args=line_args, overrides=TREASURER_ONLY),
}
