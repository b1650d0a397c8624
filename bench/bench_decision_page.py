"""Rendering a closed ranked-choice decision's page with 10,000 ballots over 12 options, against
counting in Python over every ballot row.

The decision is opened anonymous through the real service; 10,000 members' participation rows and
their ballots (as `bench_decision_counting.py` makes them) are stored, and the decision is closed
through `close_decision`, which counts it in the database, deletes the key and rewrites the ballots
shuffled. The timed side is the real page through Django's test client (middleware, access check,
the kept count, every runoff round as a table, template), signed in as a member. The anchor is the
recount in Python over every ballot row that a page would need without the kept count.
"""

import secrets
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import bench_decision_counting as counting
import support

if TYPE_CHECKING:
    from carecommons.decisions.models import Decision

RENDERS, ANCHOR_RUNS = 30, 5


def add_voters(decision: "Decision", count: int) -> None:
    from django.utils import timezone

    from carecommons.decisions.models import Participation
    from carecommons.people.models import Person

    people = Person.objects.bulk_create(
        [
            Person(given_name=f"Voter{index}", family_name="Bench", sort_key=f"bench voter{index}")
            for index in range(count)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Participation.objects.bulk_create(
        [Participation(decision=decision, person=person, voted_at=now) for person in people], batch_size=2000
    )


def timed(render: Callable[[], object], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        seconds.append((time.perf_counter() - started) * 1000)
    return seconds


def main() -> list[str]:
    support.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from carecommons.decisions.models import BallotKey, Decision, Participation
    from carecommons.decisions.services import close_decision

    decision = counting.make_decision()
    Decision.objects.filter(pk=decision.pk).update(anonymous=True)
    decision.refresh_from_db()
    rows = counting.make_rows(counting.SEED, [f"o{index}" for index in range(1, counting.OPTION_COUNT + 1)])
    counting.store(decision, rows)
    add_voters(decision, counting.BALLOTS)
    assert decision.opened_by is not None and decision.opened_by.user is not None
    client = Client()
    client.force_login(decision.opened_by.user)
    url = reverse("decisions:decision_detail", args=[decision.group.uuid, decision.uuid])
    # Open first, results shown once you have voted: the proposer's turnout row (as add_voters
    # writes them) lets them see the live count. The first view counts and keeps the count; the
    # views after it read the kept count until a vote changes it (services.live_count).
    Decision.objects.filter(pk=decision.pk).update(results="after_vote")
    BallotKey.objects.create(decision=decision, key=secrets.token_hex(32))  # as opening anonymously does
    Participation.objects.create(decision=decision, person=decision.opened_by, voted_at=timezone.now())

    def render_open() -> None:
        response = client.get(url)
        assert response.status_code == 200 and b"round by round" in response.content

    open_pages = timed(render_open, RENDERS)
    after = sorted(round(t) for t in open_pages[1:])
    support.log(f"open page: first view {open_pages[0]:.1f} ms (counts), then the kept count: {after}")
    outcome = close_decision(decision=decision, by=None)
    support.log(f"closed: {len(outcome.result['rounds'])} rounds kept, {outcome.result['ballots']:,} ballots")

    def render() -> None:
        response = client.get(url)
        assert response.status_code == 200 and b"round by round" in response.content

    render()
    with CaptureQueriesContext(connection) as queries:
        render()
    pages = timed(render, RENDERS)
    anchor = timed(lambda: counting.python_over_rows(decision), ANCHOR_RUNS)
    support.log(
        f"page: median {statistics.median(pages):.1f} ms, {len(queries)} queries; "
        f"Python over rows: median {statistics.median(anchor):.0f} ms"
    )
    return [
        support.line(
            "decision_page_p50", counting.nearest_rank(pages, 0.5), "ms", counting.nearest_rank(anchor, 0.5)
        ),
        support.line(
            "decision_page_p95", counting.nearest_rank(pages, 0.95), "ms", counting.nearest_rank(anchor, 0.95)
        ),
        support.line(
            "decision_page_open_p95",
            counting.nearest_rank(open_pages, 0.95),
            "ms",
            counting.nearest_rank(anchor, 0.95),
        ),
    ]


if __name__ == "__main__":
    print(*main(), sep="\n")
