"""The dashboard asks the database a fixed, small number of questions, whatever the programme's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carecommons.dashboards.tests.test_views import grow, url
from carecommons.programmes.tests.factories import make_programme

MOST = 10


def page_queries(client, path: str) -> list[str]:
    client.get(path)  # warm up: caches filled by a first request are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def counts(client, programme) -> tuple[int, int]:
    first = programme.cohorts.order_by("id").first()
    return len(page_queries(client, url(programme))), len(page_queries(client, url(programme, first)))


def test_the_dashboards_queries_do_not_grow_with_cohorts_places_or_registers(convenor, client_for) -> None:
    programme = make_programme(workshops=4)
    client = client_for(convenor)
    grow(programme, cohorts=1, people=3, steps=1)
    small = counts(client, programme)
    grow(programme, cohorts=5, people=12, steps=4)
    assert counts(client, programme) == small


@pytest.mark.xfail(
    strict=True,
    reason="the per-request queries every signed-in page makes (session, user, roles, menu: 11 here) "
    "are cut on the branch for the other main pages; then this passes and the mark must go",
)
def test_the_dashboard_makes_at_most_10_queries(convenor, client_for) -> None:
    programme = make_programme(workshops=4)
    client = client_for(convenor)
    grow(programme, cohorts=3, people=8, steps=3)
    whole, cohort = counts(client, programme)
    assert whole <= MOST and cohort <= MOST, (whole, cohort)
