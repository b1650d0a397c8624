"""Queries the people list page runs at 100 and at 10,000 people: the count must not grow with rows.

The page is rendered for real (middleware, template, pagination) through Django's test client,
signed in as a convenor with two factors set up. The directory starts at 100 generated people and
is then topped up to 10,000 with a different seed.
"""

import sys
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import support

if TYPE_CHECKING:
    from django.test import Client


def count_queries(client: "Client", path: str, expected_people: int | None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up: caches filled by a first request are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    page = response.context["page"]
    assert expected_people in (None, page.paginator.count), (path, page.paginator.count)
    assert len(page.object_list) > 0, path
    return len(captured.captured_queries)


def main() -> list[str]:
    support.setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # keeps response.context, so the page size can be checked
    client = Client()
    client.force_login(support.make_convenor())
    list_path = reverse("people:person_list")

    support.generate(100)
    from carecommons.people.models import Person

    family_name = Person.objects.order_by("id").values_list("family_name", flat=True)[0]
    search_path = f"{list_path}?{urlencode({'q': family_name})}"
    small = count_queries(client, list_path, 100), count_queries(client, search_path, None)
    support.generate(9900, seed=2)
    large = count_queries(client, list_path, 10000), count_queries(client, search_path, None)
    lines = [
        support.line("people_list_queries_10000", large[0], "queries", small[0]),
        support.line("people_search_queries_10000", large[1], "queries", small[1]),
    ]
    if large != small:
        print(*lines, sep="\n")
        sys.exit(f"people list query count grows with rows: {small} at 100, {large} at 10,000")
    return lines


if __name__ == "__main__":
    print(*main(), sep="\n")
