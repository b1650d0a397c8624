"""The rows the dashboard's figures need: a fixed number of grouped queries, whatever the size.

Every count is made in SQL (`values(...).annotate(Count(...))`); Python only joins the grouped
rows, one per cohort and curriculum step or per place, never one query per session or per person.
People are listed one by one only for a chosen cohort, a page at a time.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Max, Q, QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime

from carecommons.dashboards import figures as f
from carecommons.dashboards.access import Scope
from carecommons.people.models import Organisation
from carecommons.programmes.models import Attendance, Enrolment, Session, SessionTemplate

Where = Callable[[str], Q]  # the rows of the cohorts wanted, given the path to the cohort ("session__")
PEOPLE_PAGE_SIZE = 50
OUTSIDE_CURRICULUM = "Sessions outside the curriculum"


@dataclass(frozen=True)
class Figures:
    sessions_held: int
    marks: f.Marks
    attendance: list[f.SessionFigure]
    retention: list[f.RetentionPoint]
    funnel: f.Funnel
    organisations: f.Organisations
    progress: dict[tuple[int, int], f.Progress]  # (cohort id, person id) -> that place's progress


@dataclass(frozen=True)
class PersonRow:
    name: str
    organisation: str
    status: str
    progress: f.Progress


def held(now: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}cancelled_at__isnull": True, f"{prefix}starts_at__lte": now})


def latest(field: str, **extra: Any) -> Max:
    """The latest of a datetime column as the database gives it (text on SQLite), unparsed: it is
    only compared with another latest(), and parsing 15,000 of them cost more than the query."""
    return Max(field, output_field=CharField(), **extra)


def marks_by_status() -> dict[str, Count]:
    return {name: Count("id", filter=Q(status=name)) for name in (f.ATTENDED, f.APOLOGIES, f.ABSENT)}


def load_figures(scope: Scope, *, now: datetime) -> Figures:
    """The figures from each cohort's kept tally (counted again first where stale: tallies.py)."""
    from carecommons.dashboards.tallies import figures_from_tallies

    return figures_from_tallies(scope, now=now)


def recompute_figures(scope: Scope, *, now: datetime) -> Figures:
    """The same figures counted from the raw rows; what the tallies are checked against."""
    curriculum = list(
        SessionTemplate.objects.filter(programme=scope.programme)
        .order_by("position")
        .values_list("id", "position", "title")
    )
    position_of: dict[int | None, int] = {template_id: position for template_id, position, _ in curriculum}
    steps = held_steps(scope.cohort_q, now)
    step_marks = marks_per_step(scope.cohort_q, now)
    progress, organisation_of = place_progress(scope.cohort_q, now, steps)
    organisation_names: dict[int | None, str] = dict(
        Organisation.objects.filter(
            id__in=Enrolment.objects.filter(scope.cohort_q()).values("organisation_id")
        ).values_list("id", "name")
    )

    accepted_by_cohort: dict[int, int] = defaultdict(int)
    with_organisation: list[tuple[f.Progress, str | None]] = []
    for key, place in progress.items():
        stage = place.stage
        accepted_by_cohort[key[0]] += stage >= f.STAGE_ACCEPTED
        if stage >= f.STAGE_STARTED:
            with_organisation.append((place, organisation_names.get(organisation_of[key])))
    marks_by_step: dict[int | None, f.Marks] = defaultdict(f.Marks)
    for _, template_id, attended, apologies, absent, _ in step_marks:
        marks_by_step[position_of.get(template_id)] += f.Marks(attended, apologies, absent)
    if scope.cohort is not None:
        attendance = per_session(scope, now)
    else:
        attendance = per_step(curriculum, steps, position_of, marks_by_step)

    return Figures(
        sessions_held=sum(n for _, _, n, _ in steps),
        marks=sum(marks_by_step.values(), f.Marks()),
        attendance=attendance,
        retention=f.retention(
            [(position, title) for _, position, title in curriculum],
            accepted_by_cohort,
            [(cohort_id, position_of[t]) for cohort_id, t, _, _ in steps if t in position_of],
            [(c, position_of[t], n) for c, t, *_, n in step_marks if t in position_of],
        ),
        funnel=f.funnel(progress.values()),
        organisations=f.organisations_represented(with_organisation),
        progress=progress,
    )


def held_steps(where: Where, now: datetime) -> list[tuple[int, int | None, int, Any]]:
    """(cohort, session template, sessions held, when the latest began) for the cohorts in view."""
    return list(
        Session.objects.filter(where("") & held(now))
        .values_list("cohort_id", "template_id")
        .annotate(n=Count("id"), last=latest("starts_at"))
        .order_by()
    )


def marks_per_step(where: Where, now: datetime) -> list[tuple[int, int | None, int, int, int, int]]:
    """(cohort, session template, attended, apologies, absent, different people who attended)."""
    return list(
        Attendance.objects.filter(where("session__") & held(now, "session__"))
        .values_list("session__cohort_id", "session__template_id")
        .annotate(
            **marks_by_status(), attenders=Count("person_id", distinct=True, filter=Q(status=f.ATTENDED))
        )
        .order_by()
    )


def place_progress(
    where: Where, now: datetime, steps: list[tuple[int, int | None, int, Any]]
) -> tuple[dict[tuple[int, int], f.Progress], dict[tuple[int, int], int | None]]:
    """Each place's progress, and the organisation named on it, keyed by (cohort, person)."""
    held_by_cohort: dict[int, int] = defaultdict(int)
    last_held: dict[int, Any] = {}
    for cohort_id, _, n, last in steps:
        held_by_cohort[cohort_id] += n
        last_held[cohort_id] = max(last, last_held.get(cohort_id, last))
    # Per place with any mark on a held session: how many it attended, and the latest it attended.
    marks = {
        (cohort_id, person_id): (attended, last)
        for cohort_id, person_id, attended, last in Attendance.objects.filter(
            where("session__") & held(now, "session__")
        )
        .values_list("session__cohort_id", "person_id")
        .annotate(
            attended=Count("id", filter=Q(status=f.ATTENDED)),
            last=latest("session__starts_at", filter=Q(status=f.ATTENDED)),
        )
        .order_by()
    }
    progress: dict[tuple[int, int], f.Progress] = {}
    organisation_of: dict[tuple[int, int], int | None] = {}
    today = localtime(now).date()
    for cohort_id, person_id, status, organisation_id, ends_on in (
        Enrolment.objects.filter(where(""))
        .values_list("cohort_id", "person_id", "status", "organisation_id", "cohort__ends_on")
        .order_by()
    ):
        key = (cohort_id, person_id)
        attended, last = marks.get(key, (0, None))
        progress[key] = f.Progress(
            status=status,
            marked=key in marks,
            attended=attended,
            held=held_by_cohort[cohort_id],
            attended_last=last is not None and last == last_held.get(cohort_id),
            ended=ends_on < today,
        )
        organisation_of[key] = organisation_id
    return progress, organisation_of


def per_step(
    curriculum: list[tuple[int, int, str]],
    steps: list[tuple[int, int | None, int, Any]],
    position_of: dict[int | None, int],
    marks_by_step: dict[int | None, f.Marks],
) -> list[f.SessionFigure]:
    """Across cohorts: one bar per curriculum step, and one for sessions outside it, if any."""
    held_by_step: dict[int | None, int] = defaultdict(int)
    for _, template_id, n, _ in steps:
        held_by_step[position_of.get(template_id)] += n
    slots: list[tuple[int | None, str, int]] = [
        (position, f"{position}. {title}", held_by_step[position]) for _, position, title in curriculum
    ]
    if held_by_step.get(None) or None in marks_by_step:
        slots.append((None, OUTSIDE_CURRICULUM, held_by_step.get(None, 0)))
    return f.attendance_per_session(slots, marks_by_step)


def per_session(scope: Scope, now: datetime) -> list[f.SessionFigure]:
    """For one cohort: one bar per held session, in the order they happened."""
    sessions = Session.objects.filter(scope.cohort_q() & held(now)).order_by("starts_at", "id")
    counts = (
        Attendance.objects.filter(session__in=sessions.values("id"))
        .values_list("session_id")
        .annotate(**marks_by_status())
        .order_by()
    )
    marks = {session_id: f.Marks(*rest) for session_id, *rest in counts}
    slots = [
        (session_id, f"{title} ({date_format(localtime(starts_at), 'j M Y')})", 1)
        for session_id, title, starts_at in sessions.values_list("id", "title", "starts_at")
    ]
    return f.attendance_per_session(slots, marks)


def cohort_people(scope: Scope) -> QuerySet[Enrolment]:
    """The chosen cohort's accepted and withdrawn places, by name."""
    return (
        Enrolment.objects.filter(scope.cohort_q(), status__in=[f.ACCEPTED, f.WITHDRAWN])
        .select_related("person", "organisation")
        .order_by("person__sort_key", "id")
    )


class CountedPlaces:
    """The chosen cohort's listed places with their number known from its figures, so the
    paginator asks the database only for the page itself."""

    def __init__(self, places: QuerySet[Enrolment], figures: Figures) -> None:
        self.places = places
        self.number = sum(1 for p in figures.progress.values() if p.status in (f.ACCEPTED, f.WITHDRAWN))

    def count(self) -> int:
        return self.number

    def __len__(self) -> int:
        return self.number

    def __getitem__(self, index: slice) -> list[Enrolment]:
        return list(self.places[index])


def people_page(scope: Scope, figures: Figures, number: str | int | None) -> Page[PersonRow]:
    places = CountedPlaces(cohort_people(scope), figures)
    page: Page[Enrolment] = Paginator(places, PEOPLE_PAGE_SIZE).get_page(number)  # type: ignore[arg-type]
    rows = list(person_rows(page.object_list, figures))
    page.object_list = rows  # type: ignore[assignment]
    return page  # type: ignore[return-value]


def person_rows(enrolments: Iterable[Enrolment], figures: Figures) -> Iterator[PersonRow]:
    for enrolment in enrolments:
        yield PersonRow(
            name=enrolment.person.display_name,
            organisation=enrolment.organisation.name if enrolment.organisation else "",
            status=enrolment.get_status_display(),
            progress=figures.progress[enrolment.cohort_id, enrolment.person_id],
        )
