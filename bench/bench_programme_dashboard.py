"""The programme dashboard with 500 cohorts and 50,000 attendance rows: render time and query count.

The real page is rendered through Django's test client (middleware, access checks, charts,
template), signed in as a convenor with two factors set up. Its figures come from each cohort's
kept tally (dashboards/tallies.py). The rows are made with bulk_create, so the tallies are then
counted with `tallies.rebuild`, as `carecommons rebuild_dashboards` does; before timing, the kept
figures must equal a recount from the raw rows (`queries.recompute_figures`) for the whole
programme and for every cohort, and that recount must equal a loader written one query per
session and per place. The anchor for the timings is the same page with its figures recounted
from the raw rows on every view, as the page did before the tallies. The query count is taken at
a small programme (5 cohorts, 500 attendance rows) and at the large one, for the whole programme
and for one cohort; the run fails if it grows, or if p95 is over the 50 ms budget.
"""

import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import support

if TYPE_CHECKING:
    from django.test import Client

    from carecommons.accounts.models import User
    from carecommons.dashboards.access import Scope
    from carecommons.dashboards.queries import Figures
    from carecommons.programmes.models import Programme

COHORTS, SMALL_COHORTS, STEPS, PEOPLE = 500, 5, 8, 12_000
RENDERS, ANCHOR_RENDERS = 30, 10
BUDGET_MS = 50
# Each cohort's 30 places: 22 accepted, 2 withdrawn (the first after coming once), 3 declined,
# 2 on the waiting list, 1 still applied.
PLACES = ["accepted"] * 22 + ["withdrawn"] * 2 + ["declined"] * 3 + ["waitlisted"] * 2 + ["applied"]
# 12 or 13 marks per session, 100 per cohort: 500 cohorts make 50,000 attendance rows.
MARKS = ["attended"] * 15 + ["apologies"] * 3 + ["absent"] * 2


def build_programme(name: str, cohorts: int, rng: random.Random) -> "Programme":
    """Rows go in with bulk_create, bypassing the services: 50,000 record_attendance calls (each
    checking the register and writing an audit event) would take many minutes and measure the
    writes, not the page. The rows are the ones the services would make; every session is held."""
    from django.utils import timezone

    from carecommons.people.models import Affiliation, Person
    from carecommons.programmes.models import (
        Attendance,
        Cohort,
        Enrolment,
        Programme,
        Session,
        SessionTemplate,
    )

    programme = Programme.objects.create(name=name, description="Eight workshops on self-care.")
    steps = SessionTemplate.objects.bulk_create(
        SessionTemplate(programme=programme, position=n, title=f"Workshop {n}") for n in range(1, STEPS + 1)
    )
    today = timezone.localdate()
    cohort_rows = Cohort.objects.bulk_create(
        Cohort(
            programme=programme,
            name=f"{name} {n + 1}",
            starts_on=today - timedelta(days=70 + n),
            ends_on=today - timedelta(days=n),
            capacity=30,
        )
        for n in range(cohorts)
    )
    person_ids = list(Person.objects.values_list("id", flat=True))
    organisation_of = dict(Affiliation.objects.values_list("person_id", "organisation_id"))
    sessions, places, people = [], [], {}
    for cohort in cohort_rows:
        first = datetime.combine(
            cohort.starts_on, datetime.min.time(), tzinfo=timezone.get_current_timezone()
        )
        for k, step in enumerate(steps):
            starts_at = first + timedelta(weeks=k, hours=18)
            ends_at = starts_at + timedelta(hours=2)
            sessions.append(
                Session(
                    cohort=cohort,
                    template=step,
                    title=step.title,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    location="Room 1",
                )
            )
        people[cohort.pk] = rng.sample(person_ids, len(PLACES))
        for person_id, status in zip(people[cohort.pk], PLACES, strict=True):
            organisation_id = organisation_of.get(person_id) if rng.random() < 0.9 else None
            places.append(
                Enrolment(
                    cohort=cohort,
                    person_id=person_id,
                    status=status,
                    organisation_id=organisation_id,
                    applied_at=timezone.now(),
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    Enrolment.objects.bulk_create(places, batch_size=2000)
    marks = []
    for n, cohort in enumerate(cohort_rows):
        members, left_after_first = people[cohort.pk][:22], people[cohort.pk][22]
        for k, session in enumerate(sessions[n * STEPS : (n + 1) * STEPS]):
            size = 12 + k % 2
            register = (
                [*rng.sample(members, size - 1), left_after_first] if k == 0 else rng.sample(members, size)
            )
            marks += [Attendance(session=session, person_id=p, status=rng.choice(MARKS)) for p in register]
    Attendance.objects.bulk_create(marks, batch_size=5000)
    support.log(
        f"{name}: {cohorts} cohorts, {len(sessions)} sessions, {len(places)} places, {len(marks)} marks"
    )
    return programme


def naive_figures(scope: "Scope", *, now: datetime) -> "Figures":
    """The anchor: the same figures, one query per cohort, per session and per place."""
    from django.utils.timezone import localtime

    from carecommons.dashboards import figures as f
    from carecommons.dashboards.queries import OUTSIDE_CURRICULUM, Figures, per_session
    from carecommons.programmes.models import Attendance, Cohort, Session

    curriculum = list(scope.programme.curriculum.order_by("position"))
    if scope.cohort is not None:
        cohorts = [scope.cohort]
    elif scope.whole_programme:
        cohorts = list(Cohort.objects.filter(programme=scope.programme))
    else:
        cohorts = scope.cohorts
    marks_by_step: dict[int | None, f.Marks] = defaultdict(f.Marks)
    held_by_step: dict[int | None, int] = defaultdict(int)
    accepted_by_cohort: dict[int, int] = {}
    held_steps, attenders, progress, with_organisation = [], [], {}, []
    for cohort in cohorts:
        sessions = list(
            Session.objects.filter(cohort=cohort, cancelled_at__isnull=True, starts_at__lte=now)
            .select_related("template")
            .order_by("starts_at")
        )
        came: dict[int, set[int]] = defaultdict(set)
        for session in sessions:
            position = session.template.position if session.template else None
            held_by_step[position] += 1
            register = list(session.attendances.values_list("person_id", "status"))
            marks_by_step[position] += f.Marks(
                *(
                    sum(1 for _, s in register if s == status)
                    for status in (f.ATTENDED, f.APOLOGIES, f.ABSENT)
                )
            )
            if position is not None:
                held_steps.append((cohort.pk, position))
                came[position] |= {person for person, status in register if status == f.ATTENDED}
        attenders += [(cohort.pk, position, len(who)) for position, who in came.items()]
        last_held = max((s.starts_at for s in sessions), default=None)
        accepted_by_cohort[cohort.pk] = 0
        for place in cohort.enrolments.select_related("organisation"):
            own = list(
                Attendance.objects.filter(person_id=place.person_id, session__in=sessions).values_list(
                    "status", "session__starts_at"
                )
            )
            attended = [starts_at for status, starts_at in own if status == f.ATTENDED]
            progress[cohort.pk, place.person_id] = f.Progress(
                status=place.status,
                marked=bool(own),
                attended=len(attended),
                held=len(sessions),
                attended_last=last_held in attended,
                ended=cohort.ends_on < localtime(now).date(),
            )
            accepted_by_cohort[cohort.pk] += progress[cohort.pk, place.person_id].accepted
            organisation = place.organisation.name if place.organisation else None
            with_organisation.append((progress[cohort.pk, place.person_id], organisation))
    if scope.cohort is not None:
        attendance = per_session(scope, now)
    else:
        slots: list[tuple[int | None, str, int]] = [
            (t.position, f"{t.position}. {t.title}", held_by_step[t.position]) for t in curriculum
        ]
        if held_by_step.get(None) or None in marks_by_step:
            slots.append((None, OUTSIDE_CURRICULUM, held_by_step.get(None, 0)))
        attendance = f.attendance_per_session(slots, marks_by_step)
    return Figures(
        sessions_held=sum(held_by_step.values()),
        marks=sum(marks_by_step.values(), f.Marks()),
        attendance=attendance,
        retention=f.retention(
            [(t.position, t.title) for t in curriculum], accepted_by_cohort, held_steps, attenders
        ),
        funnel=f.funnel(progress.values()),
        organisations=f.organisations_represented(with_organisation),
        progress=progress,
    )


def count_queries(client: "Client", path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up: caches filled by a first request are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def render_times(client: "Client", path: str, times: int) -> list[float]:
    """Milliseconds per request, after one warm-up request."""
    assert client.get(path).status_code == 200
    result = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(path)
        result.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and b"Sign-up funnel" in response.content
    return result


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value that at least `share` of the values do not exceed."""
    ranked = sorted(values)
    return ranked[max(math.ceil(len(ranked) * share), 1) - 1]


def with_loader(loader: Callable[..., "Figures"]) -> Callable[[], None]:
    from carecommons.dashboards import queries

    original = queries.load_figures
    queries.load_figures = loader  # the view calls queries.load_figures, so this swaps its loader

    def restore() -> None:
        queries.load_figures = original

    return restore


def check_same_figures(programme: "Programme", convenor: "User") -> None:
    """The kept tallies against a recount from the raw rows, for every view a convenor has; and
    the recount against the one-by-one loader, for the whole programme."""
    from dataclasses import replace

    from django.utils import timezone

    from carecommons.dashboards.access import get_scope_for_user
    from carecommons.dashboards.queries import load_figures, recompute_figures

    now = timezone.now()
    whole = get_scope_for_user(convenor, programme.uuid, None)
    kept, recount = load_figures(whole, now=now), recompute_figures(whole, now=now)
    if kept != replace(recount, progress={}):
        sys.exit("the kept tallies and a recount from the raw rows disagree for the whole programme")
    for cohort in whole.cohorts:
        scope = get_scope_for_user(convenor, programme.uuid, str(cohort.uuid))
        if load_figures(scope, now=now) != recompute_figures(scope, now=now):
            sys.exit(f"the kept tallies and a recount from the raw rows disagree for {cohort.name}")
    if recount != naive_figures(whole, now=now):
        sys.exit("the grouped recount and the one-by-one loader disagree on the figures")
    support.log(
        f"figures agree (tallies = recount = one by one, and {len(whole.cohorts)} cohorts one at a time): "
        f"funnel {kept.funnel}, {kept.marks.total} marks, {len(kept.organisations.cells)} orgs"
    )


def rebuild_tallies() -> None:
    from django.utils import timezone

    from carecommons.dashboards.tallies import rebuild

    started = time.perf_counter()
    cohorts = rebuild(now=timezone.now())
    support.log(f"tallies of {cohorts} cohorts counted in {time.perf_counter() - started:.2f} s")


def main() -> list[str]:
    support.setup_django()
    from django.test import Client
    from django.urls import reverse

    from carecommons.dashboards.queries import recompute_figures

    client = Client()
    convenor = support.make_convenor()
    client.force_login(convenor)
    support.generate(PEOPLE)
    rng = random.Random(7)

    def paths(programme: "Programme") -> tuple[str, str]:
        page = reverse("dashboards:programme_dashboard", args=[programme.uuid])
        first = programme.cohorts.order_by("id").first()
        assert first is not None
        return page, f"{page}?cohort={first.uuid}"

    small = paths(build_programme("Small programme", SMALL_COHORTS, rng))
    rebuild_tallies()
    small_counts = count_queries(client, small[0]), count_queries(client, small[1])
    large_programme = build_programme("Large programme", COHORTS, rng)
    large = paths(large_programme)
    rebuild_tallies()
    large_counts = count_queries(client, large[0]), count_queries(client, large[1])

    check_same_figures(large_programme, convenor)
    times = render_times(client, large[0], RENDERS)
    restore = with_loader(recompute_figures)
    try:
        anchor = render_times(client, large[0], ANCHOR_RENDERS)
    finally:
        restore()
    support.log(f"page: {[round(t) for t in times]} ms; anchor: {[round(t) for t in anchor]} ms")

    lines = [
        support.line("programme_dashboard_p50", percentile(times, 0.5), "ms", percentile(anchor, 0.5)),
        support.line("programme_dashboard_p95", percentile(times, 0.95), "ms", percentile(anchor, 0.95)),
        support.line("programme_dashboard_queries", large_counts[0], "queries", small_counts[0]),
        support.line("programme_dashboard_cohort_queries", large_counts[1], "queries", small_counts[1]),
    ]
    if large_counts != small_counts:
        print(*lines, sep="\n")
        sys.exit(f"dashboard query count grows with rows: {small_counts} small, {large_counts} large")
    if percentile(times, 0.95) > BUDGET_MS:
        print(*lines, sep="\n")
        sys.exit(f"dashboard p95 {percentile(times, 0.95):.0f} ms is over the {BUDGET_MS} ms budget")
    return lines


if __name__ == "__main__":
    print(*main(), sep="\n")
