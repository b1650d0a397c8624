"""Each cohort's dashboard figures, kept in a CohortTally so a programme of any size is read from one
row per cohort instead of counted from its sessions, registers and places on every view.

A tally is counted from the raw rows by the same grouped queries as `queries.recompute_figures`
and is used only while it is fresh: its cohort's rows have not changed since (database triggers
raise `version` on every write to them, whatever code makes it) and no session has started and
no last day has passed since (`valid_until`). Stale tallies are counted again, a batch of cohorts
at a time, when next read; `rebuild` does the same for every cohort (the bench and the
`rebuild_dashboards` command).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Min, Q
from django.utils.formats import date_format
from django.utils.timezone import localtime, make_aware

from carecommons.dashboards import figures as f
from carecommons.dashboards.access import Scope
from carecommons.dashboards.models import CohortTally
from carecommons.dashboards.queries import (
    Figures,
    held,
    held_steps,
    marks_by_status,
    marks_per_step,
    per_step,
    place_progress,
)
from carecommons.people.models import Organisation
from carecommons.programmes.models import Attendance, Cohort, Session, SessionTemplate

BATCH = 500
HELD = 0  # figures["steps"]: [template, held, attended, apologies, absent, came, could come]
Tally = tuple[dict[str, Any], dict[str, Any]]  # (figures, detail)


def figures_from_tallies(scope: Scope, *, now: datetime) -> Figures:
    cohort_ids = [scope.cohort.pk] if scope.cohort is not None else [c.pk for c in scope.cohorts]
    tallies = fresh_tallies(cohort_ids, now=now, with_detail=scope.cohort is not None)
    curriculum = list(
        SessionTemplate.objects.filter(programme=scope.programme)
        .order_by("position")
        .values_list("id", "position", "title")
    )
    position_of: dict[int | None, int] = {template_id: position for template_id, position, _ in curriculum}
    # Summed as plain ints per curriculum step: 500 cohorts of 8 steps make 4,000 rows.
    totals: dict[int | None, list[int]] = defaultdict(lambda: [0] * 6)
    reached = [0] * (f.STAGE_FINISHED + 1)
    started_by_organisation: list[tuple[str | None, int]] = []
    for figures, _ in tallies.values():
        for template_id, *counts in figures["steps"]:
            total = totals[template_id]
            for i, n in enumerate(counts):
                total[i] += n
        for stage, n in enumerate(figures["reached"]):
            reached[stage] += n
        started_by_organisation += figures["organisations"]
    steps = [(0, t, total[HELD], None) for t, total in totals.items()]
    marks_by_step: dict[int | None, f.Marks] = defaultdict(f.Marks)
    people: dict[int, int] = defaultdict(int)
    of: dict[int, int] = defaultdict(int)
    for template_id, (_, attended, apologies, absent, came, could) in totals.items():
        position = position_of.get(template_id)
        marks_by_step[position] += f.Marks(attended, apologies, absent)
        if position is not None:
            people[position] += came
            of[position] += could
    if scope.cohort is not None:
        figures, detail = tallies[scope.cohort.pk]
        attendance = [
            f.SessionFigure(
                f"{title} ({date_format(localtime(datetime.fromisoformat(starts_at)), 'j M Y')})",
                1,
                f.Marks(attended, apologies, absent),
            )
            for title, starts_at, attended, apologies, absent in detail["sessions"]
        ]
        progress = {
            (scope.cohort.pk, person_id): f.Progress(
                status, marked, attended, figures["held"], attended_last, figures["ended"]
            )
            for person_id, status, marked, attended, attended_last, _ in detail["places"]
        }
    else:
        attendance = per_step(curriculum, steps, position_of, marks_by_step)
        progress = {}
    return Figures(
        sessions_held=sum(n for _, _, n, _ in steps),
        marks=sum(marks_by_step.values(), f.Marks()),
        attendance=attendance,
        retention=f.retention_of_totals([(position, title) for _, position, title in curriculum], people, of),
        funnel=f.funnel_of_stages(reached),
        organisations=f.organisations_counted(started_by_organisation),
        progress=progress,
    )


def fresh_tallies(cohort_ids: Sequence[int], *, now: datetime, with_detail: bool) -> dict[int, Tally]:
    """Each cohort's tally, counted again first for those that are missing or stale at `now`."""
    fresh = Q(computed_version=F("version"), computed_at__lte=now) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    )  # decided in SQL: parsing 1,000 datetimes cost more than the rest of the read
    rows = (
        CohortTally.objects.filter(cohort_id__in=cohort_ids)
        .annotate(fresh=ExpressionWrapper(fresh, output_field=BooleanField()))
        .values_list("cohort_id", "fresh", "figures", *(["detail"] if with_detail else []))
    )
    tallies: dict[int, Tally] = {
        cohort_id: (figures, detail[0] if detail else {})
        for cohort_id, is_fresh, figures, *detail in rows
        if is_fresh
    }
    stale = [cohort_id for cohort_id in cohort_ids if cohort_id not in tallies]
    for start in range(0, len(stale), BATCH):
        tallies.update(refresh(stale[start : start + BATCH], now=now))
    return tallies


@transaction.atomic
def refresh(cohort_ids: Sequence[int], *, now: datetime) -> dict[int, Tally]:
    """Count these cohorts' tallies from the raw rows and keep them. Each tally row is locked first
    (PostgreSQL), so a write committed after the count raises its version after this one is kept;
    rows a writer holds are skipped, counted for this reader but not kept. A `now` before a tally's
    last count (a question about the past) is answered without keeping it."""
    CohortTally.objects.bulk_create([CohortTally(cohort_id=i) for i in cohort_ids], ignore_conflicts=True)
    locked = {
        cohort_id: (version, computed_at)
        for cohort_id, version, computed_at in CohortTally.objects.select_for_update(skip_locked=True)
        .filter(cohort_id__in=cohort_ids)
        .values_list("cohort_id", "version", "computed_at")
    }
    counted = count(cohort_ids, now=now)
    valid_until = {cohort_id: tally[0].pop("valid_until") for cohort_id, tally in counted.items()}
    kept = [
        CohortTally(
            cohort_id=cohort_id,
            computed_version=version,
            computed_at=now,
            valid_until=valid_until[cohort_id],
            figures=counted[cohort_id][0],
            detail=counted[cohort_id][1],
            updated_at=now,
        )
        for cohort_id, (version, computed_at) in locked.items()
        if cohort_id in counted and (computed_at is None or computed_at <= now)
    ]
    CohortTally.objects.bulk_update(
        kept, ["computed_version", "computed_at", "valid_until", "figures", "detail", "updated_at"]
    )
    return counted


def rebuild(cohort_ids: Iterable[int] | None = None, *, now: datetime) -> int:
    """Count every cohort's tally again (or these cohorts'); returns how many."""
    ids = list(Cohort.objects.values_list("id", flat=True) if cohort_ids is None else cohort_ids)
    for start in range(0, len(ids), BATCH):
        refresh(ids[start : start + BATCH], now=now)
    return len(ids)


def count(cohort_ids: Sequence[int], *, now: datetime) -> dict[int, Tally]:
    """The tallies of these cohorts at `now`, from the raw rows, in a fixed number of queries."""

    def where(prefix: str) -> Q:
        return Q(**{f"{prefix}cohort_id__in": cohort_ids})

    steps = held_steps(where, now)
    step_marks = marks_per_step(where, now)
    progress, organisation_of = place_progress(where, now, steps)
    today = localtime(now).date()
    figures: dict[int, dict[str, Any]] = {
        cohort_id: {
            "steps": [],
            "accepted": 0,
            "reached": [0] * (f.STAGE_FINISHED + 1),
            "organisations": defaultdict(int),
            "held": 0,
            "ended": ends_on < today,
            "valid_until": None if ends_on < today else day_after(ends_on),
        }
        for cohort_id, ends_on in Cohort.objects.filter(id__in=cohort_ids).values_list("id", "ends_on")
    }
    per_step: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 6))
    for cohort_id, template_id, n, _ in steps:
        per_step[cohort_id][template_id][HELD] += n
        figures[cohort_id]["held"] += n
    attenders = {}
    for cohort_id, template_id, attended, apologies, absent, came in step_marks:
        per_step[cohort_id][template_id][1:4] = [attended, apologies, absent]
        attenders[cohort_id, template_id] = came
    places: dict[int, list[list[Any]]] = defaultdict(list)
    for (cohort_id, person_id), place in progress.items():
        tally, stage, organisation_id = figures[cohort_id], place.stage, organisation_of[cohort_id, person_id]
        tally["reached"][stage] += 1
        tally["accepted"] += stage >= f.STAGE_ACCEPTED
        if stage >= f.STAGE_STARTED:
            tally["organisations"][organisation_id] += 1
        places[cohort_id].append(
            [person_id, place.status, place.marked, place.attended, place.attended_last, organisation_id]
        )
    for cohort_id, by_template in per_step.items():
        accepted = figures[cohort_id]["accepted"]
        for template_id, counts in by_template.items():
            if counts[
                HELD
            ]:  # as f.retention counts: only steps the cohort has held, never more than accepted
                counts[4:6] = [min(attenders.get((cohort_id, template_id), 0), accepted), accepted]
            figures[cohort_id]["steps"].append([template_id, *counts])
    sessions = list(
        Session.objects.filter(where("") & held(now))
        .order_by("starts_at", "id")
        .values_list("id", "cohort_id", "title", "starts_at")
    )
    marks = {
        session_id: rest
        for session_id, *rest in Attendance.objects.filter(where("session__") & held(now, "session__"))
        .values_list("session_id")
        .annotate(**marks_by_status())
        .order_by()
    }
    detail: dict[int, dict[str, list[list[Any]]]] = {
        i: {"sessions": [], "places": places[i]} for i in figures
    }
    for session_id, cohort_id, title, starts_at in sessions:
        detail[cohort_id]["sessions"].append(
            [title, starts_at.isoformat(), *marks.get(session_id, [0, 0, 0])]
        )
    for cohort_id, next_start in (
        Session.objects.filter(where(""), cancelled_at__isnull=True, starts_at__gt=now)
        .values_list("cohort_id")
        .annotate(next_start=Min("starts_at"))
        .order_by()
    ):
        until = figures[cohort_id]["valid_until"]
        figures[cohort_id]["valid_until"] = next_start if until is None else min(until, next_start)
    names = dict(
        Organisation.objects.filter(
            id__in={i for i in organisation_of.values() if i is not None}
        ).values_list("id", "name")
    )
    for tally in figures.values():
        tally["organisations"] = [
            [names.get(i), n] for i, n in sorted(tally["organisations"].items(), key=str)
        ]
    return {cohort_id: (tally, detail[cohort_id]) for cohort_id, tally in figures.items()}


def day_after(day: Any) -> datetime:
    """The first moment of the day after `day`, here: when a cohort ending on `day` has ended."""
    return make_aware(datetime.combine(day + timedelta(days=1), time.min))
