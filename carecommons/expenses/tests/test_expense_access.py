import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.expenses.access import get_expense_access
from carecommons.expenses.tests.factories import make_expense
from carecommons.finances.access import Need

pytestmark = pytest.mark.django_db

# The page asked for the viewer's roles in the group three times (loading the expense, working
# out their actions, deciding on payee details) and for their person twice: 32 queries. Asked once
# each, with the row: 26. With the signed-in user, their person and roles read in one query and the
# session not written on every request (decisions 0038, 0039): 18.
EXPENSE_PAGE_QUERIES = 18


def test_the_expense_page_asks_for_the_viewers_roles_once(cast, client_for) -> None:
    expense = make_expense(cast["group"], cast["claimant"], payee_name="Zebedee Quill")
    client = client_for(cast["tess"])
    url = reverse("expenses:expense_detail", args=[expense.uuid])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    # The menu's one query (lib/exists.py) asks whether the viewer sees any money at all; the
    # viewer's roles in this group are asked once, with the expense.
    menu = [q for q in sql if 'FROM "accounts_user" WHERE "accounts_user"."id"' in q]
    roles = [q for q in sql if q.startswith("SELECT EXISTS") and '"groups_roleterm"' in q and q not in menu]
    assert len(roles) == 1  # member, approver and treasurer in one query (finances/roles.py)
    # The viewer's person comes with the signed-in user (accounts/signed_in.py), never asked again.
    assert [q for q in sql if q.startswith('SELECT "people_person"."id"')] == []
    assert len(queries) == EXPENSE_PAGE_QUERIES


def test_expense_access_carries_each_viewers_standing_with_the_expense(cast) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    accesses = {who: get_expense_access(cast[who], expense.uuid) for who in ("claimant", "ada", "tess")}
    assert all(access.expense == expense for access in accesses.values())
    standing = {who: (a.is_claimant, a.is_approver, a.is_treasurer) for who, a in accesses.items()}
    assert standing == {
        "claimant": (True, False, False),
        "ada": (False, True, False),
        "tess": (False, False, True),
    }


def test_expense_access_is_a_404_without_the_role_needed_or_outside_the_group(cast, outsider) -> None:
    expense = make_expense(cast["group"], cast["claimant"])
    with pytest.raises(Http404):
        get_expense_access(cast["ada"], expense.uuid, need=Need.TREASURER)
    with pytest.raises(Http404):
        get_expense_access(outsider, expense.uuid)
    assert get_expense_access(cast["tess"], expense.uuid, need=Need.TREASURER).is_treasurer
