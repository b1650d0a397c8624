from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.finances import services as books
from carecommons.finances.tests.factories import account
from carecommons.statements.models import ImportStatus, StatementImport
from carecommons.statements.tests.factories import check, imported, statement_csv, treasurers_group

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def month_of_lines(n: int) -> bytes:
    start = date(2026, 1, 1) + timedelta(days=31 * n)
    rows = [
        (f"{start + timedelta(days=d):%d/%m/%Y}", f"Statement {n} line {d}", f"{d + 1}.{n:02d}", "")
        for d in range(4)
    ]
    return statement_csv(rows)


def test_the_statement_list_runs_the_same_queries_for_one_statement_and_ten(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    books.record_donation(group=group, amount_pence=101, occurred_on=date(2026, 1, 1), by=None)
    client = client_for(treasurer)
    url = reverse("statements:statement_list", args=[group.uuid])
    imported(group, month_of_lines(0), filename="statement-0.csv")
    few = queries(client, url)
    for n in range(1, 10):
        into = account(group, "Cash box") if n % 3 == 0 else None
        imported(group, month_of_lines(n), filename=f"statement-{n}.csv", into=into)
    check(group, month_of_lines(10), filename="not-yet.csv")
    assert StatementImport.objects.filter(group=group, status=ImportStatus.IMPORTED).count() == 10
    assert queries(client, url) == few
    page = client.get(url).content.decode()
    assert "statement-9.csv" in page and "not-yet.csv" in page
