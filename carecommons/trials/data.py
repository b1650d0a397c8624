"""A trial's live data read in a fixed number of queries, as plain rows for the pure modules
(CONSORT counts, the analyses, the report's tables). Only the live list counts; test rows never do.

A person who withdrew consent to research stays counted where they were randomised (CONSORT), and
is left out of every analysis and table of scores."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.models import Response, Wave
from carecommons.people.consent import consented
from carecommons.people.models import ConsentPurpose
from carecommons.programmes.models import Attendance, AttendanceStatus
from carecommons.trials.models import Allocation, AllocationUnit, ListName, Trial, TrialArm, TrialParticipant


@dataclass
class Screened:
    participant_id: int
    person_id: int | None
    person_uuid: str
    cohort_id: int
    cohort_uuid: str
    screening: str
    excluded_because: str
    levels: dict[str, str]
    discontinued_because: str
    research_consent: bool
    arm: TrialArm | None = None
    sessions_attended: int = 0


@dataclass
class TrialRows:
    trial: Trial
    arms: list[TrialArm]
    waves: list[Wave]
    screened: list[Screened]
    scores: dict[tuple[int, int, str], float] = field(default_factory=dict)
    items: dict[tuple[int, int, str], list[float | None]] = field(default_factory=dict)

    @property
    def baseline(self) -> Wave:
        return next(w for w in self.waves if w.pk == self.trial.baseline_wave_id)

    @property
    def randomised(self) -> list[Screened]:
        return [s for s in self.screened if s.arm is not None]

    def score(self, person_id: int | None, wave: Wave, instrument: str) -> float | None:
        if person_id is None:
            return None
        return self.scores.get((person_id, wave.pk, instrument))


def outcome_scale_id(instrument_id: str) -> str:
    """The instrument's first scale is its total, the one a trial's outcome means."""
    return get_instrument(instrument_id).scales[0].id


def trial_rows(trial: Trial, *, list_name: str = ListName.LIVE) -> TrialRows:
    arms = list(trial.arms.all())
    by_id = {arm.pk: arm for arm in arms}
    allocations = Allocation.objects.filter(trial=trial, list_name=list_name)
    by_participant = dict(
        allocations.filter(participant__isnull=False).values_list("participant_id", "arm_id")
    )
    by_cohort = dict(allocations.filter(cohort__isnull=False).values_list("cohort_id", "arm_id"))
    participants = (
        TrialParticipant.objects.filter(trial=trial, list_name=list_name)
        .annotate(research=consented(ConsentPurpose.RESEARCH, of="person"))
        .values_list(
            "pk",
            "person_id",
            "person__uuid",
            "cohort_id",
            "cohort__uuid",
            "screening",
            "excluded_because",
            "levels",
            "discontinued_because",
            "research",
        )
        .order_by("screened_at", "pk")
    )
    screened = []
    for (
        pk,
        person_id,
        person_uuid,
        cohort_id,
        cohort_uuid,
        screening,
        because,
        levels,
        stopped,
        research,
    ) in participants:
        arm_id = by_cohort.get(cohort_id) if trial.unit == AllocationUnit.COHORT else by_participant.get(pk)
        if trial.unit == AllocationUnit.COHORT and screening != "eligible":
            arm_id = None
        screened.append(
            Screened(
                participant_id=pk,
                person_id=person_id,
                person_uuid=str(person_uuid or ""),
                cohort_id=cohort_id,
                cohort_uuid=str(cohort_uuid),
                screening=screening,
                excluded_because=because,
                levels=levels,
                discontinued_because=stopped,
                research_consent=bool(research) and person_id is not None,
                arm=by_id.get(arm_id) if arm_id is not None else None,
            )
        )
    outcomes = list(trial.outcomes.select_related("wave"))
    instruments = sorted({o.instrument for o in outcomes})
    wave_ids = {trial.baseline_wave_id, *(o.wave_id for o in outcomes)}
    waves = sorted(
        Wave.objects.filter(pk__in=wave_ids), key=lambda w: (w.kind != "baseline", w.weeks_after_end)
    )
    rows = TrialRows(trial=trial, arms=arms, waves=waves, screened=screened)
    person_ids = [s.person_id for s in rows.randomised if s.person_id is not None and s.research_consent]
    read_scores(rows, person_ids, instruments, wave_ids)
    read_attendance(rows, person_ids)
    return rows


def read_scores(rows: TrialRows, person_ids: list[int], instruments: list[str], wave_ids: set[int]) -> None:
    scales = {instrument: outcome_scale_id(instrument) for instrument in instruments}
    responses = (
        Response.objects.submitted_complete()
        .filter(person_id__in=person_ids, wave_id__in=wave_ids, instrument__in=instruments)
        .values_list("person_id", "wave_id", "instrument", "scores", "answers")
    )
    for person_id, wave_id, instrument, scores, answers in responses:
        value = scores.get(scales[instrument])
        if value is not None:
            rows.scores[(person_id, wave_id, instrument)] = float(value)
            rows.items[(person_id, wave_id, instrument)] = [None if a is None else float(a) for a in answers]


def read_attendance(rows: TrialRows, person_ids: list[int]) -> None:
    attended = (
        Attendance.objects.filter(
            person_id__in=person_ids,
            session__cohort__programme_id=rows.trial.programme_id,
            session__cancelled_at__isnull=True,
        )
        .values("person_id")
        .annotate(n=Count("pk", filter=Q(status=AttendanceStatus.ATTENDED)))
        .values_list("person_id", "n")
    )
    counts = defaultdict(int, dict(attended))
    for unit in rows.randomised:
        if unit.person_id is not None:
            unit.sessions_attended = counts[unit.person_id]
