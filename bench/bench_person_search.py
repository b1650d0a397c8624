"""Person search at 100,000 people, against a plain `icontains` scan; and the time to generate them.

Each query runs what the people list page runs for `?q=`: the convenor's visible people, searched,
in the page's order, the paginator's count, then the first 25 rows with affiliations prefetched.
The anchor runs the same page with the naive filter instead of the search terms.
"""

import random
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import support

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from carecommons.accounts.models import User

PEOPLE = 100_000
QUERIES = 200
PAGE_SIZE = 25


def realistic_queries(count: int, seed: int = 7) -> list[str]:
    """First names, family names, 3-5 letter prefixes, emails and their prefixes, organisation
    names and two-word queries, taken from randomly chosen people in the directory."""
    from carecommons.people.models import Affiliation

    rows = list(
        Affiliation.objects.order_by("id").values_list(
            "person__given_name", "person__family_name", "person__email", "organisation__name"
        )
    )
    rng = random.Random(seed)
    queries = []
    for i, (given, family, email, organisation) in enumerate(rng.sample(rows, count)):
        kind = i % 7
        name = rng.choice([given, family])
        queries.append(
            [
                given,
                family,
                name[: rng.randint(3, 5)],
                email,
                email[: rng.randint(6, 14)],
                organisation,
                f"{given} {family}" if rng.random() < 0.7 else f"{given[:3]} {family[:4]}",
            ][kind].strip()
        )
    return queries


def page_people(user: "User", query: str) -> "QuerySet[Any]":
    """Exactly what carecommons.people.views.person_list builds for a search."""
    from django.db.models import Prefetch

    from carecommons.people.models import Affiliation, Person

    people = Person.objects.visible_to(user).prefetch_related(
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation"))
    )
    return people.search(query)


def icontains_people(user: "User", query: str) -> "QuerySet[Any]":
    from django.db.models import Prefetch, Q

    from carecommons.people.models import Affiliation, Person

    match = (
        Q(given_name__icontains=query)
        | Q(family_name__icontains=query)
        | Q(preferred_name__icontains=query)
        | Q(email__icontains=query)
        | Q(affiliations__organisation__name__icontains=query)
    )
    return (
        Person.objects.visible_to(user)
        .filter(match)
        .distinct()
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation"))
        )
    )


def first_page(people: "QuerySet[Any]") -> tuple[int, list[Any]]:
    from django.core.paginator import Paginator

    page = Paginator(people, PAGE_SIZE).get_page(1)
    return page.paginator.count, list(page.object_list)


def timings_ms(
    build: Callable[["User", str], "QuerySet[Any]"], user: "User", queries: list[str]
) -> list[float]:
    for query in queries[:10]:
        first_page(build(user, query))  # warm the page cache and Django's own caches
    times = []
    for query in queries:
        started = time.perf_counter()
        first_page(build(user, query))
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> list[str]:
    support.setup_django()
    user = support.make_convenor()
    generate_seconds = support.generate(PEOPLE)
    queries = realistic_queries(QUERIES)

    found = sum(1 for query in queries if first_page(page_people(user, query))[0] > 0)
    support.log(f"{found} of {len(queries)} search queries find someone; e.g. {queries[:7]}")
    search = timings_ms(page_people, user, queries)
    support.log(
        f"search: p50 {statistics.median(search):.2f} ms, p95 {p95(search):.2f} ms, max {max(search):.1f} ms"
    )
    scan = timings_ms(icontains_people, user, queries)
    support.log(
        f"icontains: p50 {statistics.median(scan):.1f} ms, p95 {p95(scan):.1f} ms, max {max(scan):.1f} ms"
    )
    return [
        support.line("generate_100k_people", generate_seconds, "s", 60),
        support.line("person_search_p50", statistics.median(search), "ms", statistics.median(scan)),
        support.line("person_search_p95", p95(search), "ms", p95(scan)),
    ]


if __name__ == "__main__":
    print(*main(), sep="\n")
