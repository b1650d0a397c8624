"""Bank statements are for the group's current treasurers only; anyone else gets a 404."""

from uuid import UUID

from django.http import Http404

from carecommons.accounts.models import User
from carecommons.finances.access import Need, get_group_for_user
from carecommons.finances.models import Group
from carecommons.statements.models import StatementImport, StatementLine


def get_treasurers_group(user: User, group_id: UUID) -> Group:
    return get_group_for_user(user, group_id, need=Need.TREASURER)


def get_statement_for_user(user: User, group_id: UUID, statement_id: UUID) -> StatementImport:
    group = get_treasurers_group(user, group_id)
    statement = (
        StatementImport.objects.filter(group=group, uuid=statement_id)
        .select_related("group__group", "account")
        .first()
    )
    if statement is None:
        raise Http404
    return statement


def get_line_for_user(user: User, group_id: UUID, statement_id: UUID, line_id: int) -> StatementLine:
    statement = get_statement_for_user(user, group_id, statement_id)
    line = StatementLine.objects.filter(statement=statement, pk=line_id).select_related("account").first()
    if line is None:
        raise Http404
    line.statement = statement
    return line
