"""The programme dashboard's figures, computed from plain rows. Pure: no ORM, so every rule is tested
on its own (queries.py loads the rows; docs/guide/programme-dashboard.md explains the rules).

A session counts once it has been *held*: it has started and was not cancelled. A person's
*place* is their enrolment in one cohort; someone in two cohorts has two places.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from carecommons.lib.small_numbers import Cell, suppress

# The stored values of AttendanceStatus and EnrolmentStatus (a test keeps them in step).
ATTENDED, APOLOGIES, ABSENT = "attended", "apologies", "absent"
ACCEPTED, WITHDRAWN = "accepted", "withdrawn"
NO_ORGANISATION = "No organisation recorded"
STAGE_APPLIED, STAGE_ACCEPTED, STAGE_STARTED, STAGE_FINISHED = range(4)

Key = TypeVar("Key", bound=Hashable)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Marks:
    """Register marks: how many were marked attended, sent apologies, or absent."""

    attended: int = 0
    apologies: int = 0
    absent: int = 0

    @property
    def total(self) -> int:
        return self.attended + self.apologies + self.absent

    @property
    def rate(self) -> float | None:
        """Share of marks that were 'attended'; None when nobody was marked."""
        return share(self.attended, self.total)

    def __add__(self, other: "Marks") -> "Marks":
        return Marks(
            self.attended + other.attended, self.apologies + other.apologies, self.absent + other.absent
        )


@dataclass(frozen=True)
class SessionFigure:
    """One bar of 'attendance per session': a session, or a curriculum step across cohorts."""

    label: str
    held: int
    marks: Marks


def attendance_per_session(
    slots: Iterable[tuple[Key, str, int]], marks: Mapping[Key, Marks]
) -> list[SessionFigure]:
    """slots: (key, label, sessions held) in display order; marks: key -> its marks."""
    return [SessionFigure(label, held, marks.get(key, Marks())) for key, label, held in slots]


class Progress(NamedTuple):
    """One place (an enrolment) and how far its holder came. A NamedTuple rather than a dataclass
    because a large programme makes 15,000 of them per page, and tuples are several times cheaper."""

    status: str
    marked: bool  # on the register of at least one held session of the cohort
    attended: int  # held sessions attended
    held: int  # sessions the cohort has held
    attended_last: bool  # attended the cohort's most recent held session
    ended: bool  # the cohort's last day has passed: nobody finishes a cohort still running

    @property
    def stage(self) -> int:
        """How far the place came: APPLIED, ACCEPTED, STARTED or FINISHED (each implies the ones before).

        Accepted: accepted now, or withdrawn after being on a register (registers list only
        accepted people; a withdrawal without a mark cannot be told apart from one before a
        decision). Started: accepted and attended a held session. Finished: started, the cohort has
        ended, and they attended its last held session or at least three quarters of those held."""
        if not (self.status == ACCEPTED or (self.status == WITHDRAWN and self.marked)):
            return STAGE_APPLIED
        if not self.attended:
            return STAGE_ACCEPTED
        if self.ended and (self.attended_last or 4 * self.attended >= 3 * self.held):
            return STAGE_FINISHED
        return STAGE_STARTED

    @property
    def accepted(self) -> bool:
        return self.stage >= STAGE_ACCEPTED

    @property
    def started(self) -> bool:
        return self.stage >= STAGE_STARTED

    @property
    def finished(self) -> bool:
        return self.stage >= STAGE_FINISHED

    @property
    def rate(self) -> float | None:
        return share(self.attended, self.held)


@dataclass(frozen=True)
class Funnel:
    applied: int = 0
    accepted: int = 0
    started: int = 0
    finished: int = 0

    def stages(self) -> list[tuple[str, int]]:
        return [
            ("Applied", self.applied),
            ("Accepted", self.accepted),
            ("Started", self.started),
            ("Finished", self.finished),
        ]


def funnel(places: Iterable[Progress]) -> Funnel:
    """Applied: every enrolment ever made, whatever became of it. Each later stage is a subset of
    the one before, so the funnel never widens."""
    reached = [0] * (STAGE_FINISHED + 1)
    for place in places:
        reached[place.stage] += 1
    return funnel_of_stages(reached)


def funnel_of_stages(reached: Sequence[int]) -> Funnel:
    """reached[stage]: how many places got exactly that far."""
    return Funnel(*(sum(reached[stage:]) for stage in range(len(reached))))


@dataclass(frozen=True)
class RetentionPoint:
    position: int
    title: str
    people: int  # accepted places that attended this step
    of: int  # accepted places in cohorts that have held this step

    @property
    def rate(self) -> float | None:
        return share(self.people, self.of)


def retention(
    curriculum: Sequence[tuple[int, str]],
    accepted_by_cohort: Mapping[Key, int],
    held: Iterable[tuple[Key, int]],
    attenders: Iterable[tuple[Key, int, int]],
) -> list[RetentionPoint]:
    """For each curriculum step, the share of accepted places that attended it, counting only
    cohorts that have held it (a cohort halfway through does not drag the later steps down).

    held: (cohort, position) for each step a cohort has held; attenders: (cohort, position,
    accepted places that attended it)."""
    people: dict[int, int] = defaultdict(int)
    of: dict[int, int] = defaultdict(int)
    held_steps = set(held)
    for cohort, position in held_steps:
        of[position] += accepted_by_cohort.get(cohort, 0)
    came: dict[tuple[Key, int], int] = defaultdict(int)
    for cohort, position, count in attenders:
        came[cohort, position] += count
    for (cohort, position), count in came.items():
        if (cohort, position) in held_steps:  # registers hold only accepted people; never count more
            people[position] += min(count, accepted_by_cohort.get(cohort, 0))
    return retention_of_totals(curriculum, people, of)


def retention_of_totals(
    curriculum: Sequence[tuple[int, str]], people: Mapping[int, int], of: Mapping[int, int]
) -> list[RetentionPoint]:
    """people, of: per position, already summed over the cohorts as `retention` sums them."""
    return [
        RetentionPoint(position, title, people.get(position, 0), of.get(position, 0))
        for position, title in curriculum
    ]


@dataclass(frozen=True)
class Organisations:
    """Organisations represented among places that started, small counts suppressed."""

    cells: list[Cell] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def named(self) -> int:
        return sum(1 for cell in self.cells if cell.label != NO_ORGANISATION)


def organisations_represented(places: Iterable[tuple[Progress, str | None]]) -> Organisations:
    """places: (progress, organisation name or None). Counts the places that started, by the
    organisation named on the enrolment. Shown counts come largest first; hidden ones follow in
    alphabetical order, since ordering them by size would tell how they compare."""
    counts: dict[str | None, int] = defaultdict(int)
    for place, organisation in places:
        if place.stage >= STAGE_STARTED:
            counts[organisation] += 1
    return organisations_counted(counts.items())


def organisations_counted(counts: Iterable[tuple[str | None, int]]) -> Organisations:
    """counts: (organisation name or None, places that started), a name possibly more than once."""
    merged: dict[str, int] = defaultdict(int)
    for organisation, count in counts:
        merged[organisation or NO_ORGANISATION] += count
    cells = suppress(sorted(merged.items()))
    return Organisations(sorted(cells, key=lambda c: (c.hidden, -c.count if not c.hidden else 0, c.label)))
