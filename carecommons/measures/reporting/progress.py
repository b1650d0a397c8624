"""Reads for the progress and outcome pages: a person's own scores, one response's answers, a
cohort's change and NHS Talking Therapies style outcomes. The sums are in outcomes.py (pure).

Every loader reads a fixed number of queries whatever the number of responses; rows come in as
plain values and the figures are made in Python. Scores are the ones stored when each response was
sent (with its instrument version); only the thresholds and bands' meaning come from the current
definitions.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Case, QuerySet, TextField, When
from django.db.models.functions import Cast

from carecommons.accounts.models import User
from carecommons.measures.access import (
    programme_consent_current,
    programme_waves,
    research_consenters,
    responses_for_figures,
    responses_sent_for_outcomes,
    responses_visible_to,
)
from carecommons.measures.engine.definitions import get_instrument, load_instruments
from carecommons.measures.engine.schema import Instrument, Scale
from carecommons.measures.models import Response, ResponseStatus, Wave, WaveKind
from carecommons.measures.reporting import outcomes, summaries
from carecommons.measures.reporting.json_numbers import NumberAt
from carecommons.measures.running.deployment import wording_for
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, Programme

FLOWS = (
    ("ceas_self", "Compassion for yourself"),
    ("ceas_from_others", "Compassion from others"),
    ("ceas_to_others", "Compassion for others"),
)
FLOW_SECTIONS = ("engagement", "action")
LAST: outcomes.WaveOrder = (len(WaveKind.values), 0)


def wave_order(kind: str, weeks_after_end: int) -> outcomes.WaveOrder:
    return (list(WaveKind.values).index(kind), weeks_after_end)


def known_instrument(instrument_id: str) -> Instrument | None:
    return load_instruments().get(instrument_id)


# --- A person's own progress ---------------------------------------------------------------------


@dataclass
class ScaleProgress:
    scale: Scale
    points: list[summaries.Point]
    summary: summaries.Summary


@dataclass
class InstrumentProgress:
    instrument: Instrument
    responses: list[Response]  # one per wave answered, in wave order
    scales: list[ScaleProgress]

    @property
    def labels(self) -> list[str]:
        return [response.wave.label for response in self.responses]


@dataclass
class Flow:
    instrument: Instrument
    name: str
    scores: dict[str, list[float | None]]  # section → one score per wave in FlowsProgress.waves
    summaries: list[summaries.Summary]


@dataclass
class FlowsProgress:
    waves: list[Wave]
    flows: list[Flow]

    @property
    def labels(self) -> list[str]:
        return [wave.label for wave in self.waves]


@dataclass
class CohortProgress:
    cohort: Cohort
    instruments: list[InstrumentProgress] = field(default_factory=list)
    flows: FlowsProgress | None = None


def own_responses(user: User, person: Person | None) -> QuerySet[Response]:
    """The person's own sent responses, nobody else's, whatever else the user may see."""
    if person is None:
        return Response.objects.none()
    return (
        responses_visible_to(user)
        .filter(person=person, status=ResponseStatus.SUBMITTED)
        .select_related("wave", "cohort__programme")
    )


def point(response: Response, scale: Scale) -> summaries.Point:
    value = response.scores.get(scale.id)
    return summaries.Point(
        wave_kind=response.wave.kind,
        weeks_after_end=response.wave.weeks_after_end,
        label=response.wave.label,
        score=None if value is None else float(value),
        band=response.bands.get(scale.id),
    )


def own_progress(user: User, person: Person | None) -> list[CohortProgress]:
    by_cohort: dict[int, list[Response]] = defaultdict(list)
    cohorts: dict[int, Cohort] = {}
    for response in own_responses(user, person):
        by_cohort[response.cohort_id].append(response)
        cohorts[response.cohort_id] = response.cohort
    result = []
    for cohort_id, responses in sorted(by_cohort.items(), key=lambda item: cohorts[item[0]].starts_on):
        responses.sort(key=lambda response: (response.wave.order, asked_at(response)))
        progress = CohortProgress(cohorts[cohort_id])
        progress.instruments = instrument_progress(responses)
        progress.flows = flows_progress(responses)
        result.append(progress)
    return result


def asked_at(response: Response) -> int:
    """Where the wave asks the instrument, so questionnaires appear in the order people met them."""
    instruments = response.wave.instruments
    return instruments.index(response.instrument) if response.instrument in instruments else len(instruments)


def instrument_progress(responses: Sequence[Response]) -> list[InstrumentProgress]:
    """Per instrument other than the CEAS flows (those have their own chart), in the order asked."""
    flow_ids = {instrument_id for instrument_id, _ in FLOWS}
    by_instrument: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        if response.instrument not in flow_ids and known_instrument(response.instrument):
            by_instrument[response.instrument].append(response)
    result = []
    for instrument_id, answered in by_instrument.items():
        instrument = get_instrument(instrument_id)
        scales = []
        for scale in instrument.scales:
            points = [point(response, scale) for response in answered]
            scales.append(ScaleProgress(scale, points, summaries.summarise(instrument, scale, points)))
        result.append(InstrumentProgress(instrument, answered, scales))
    return result


def flows_progress(responses: Sequence[Response]) -> FlowsProgress | None:
    answered = [response for response in responses if response.instrument in dict(FLOWS)]
    if not answered:
        return None
    waves = sorted({response.wave for response in answered}, key=lambda wave: wave.order)
    flows = []
    for instrument_id, name in FLOWS:
        instrument = get_instrument(instrument_id)
        mine = {response.wave_id: response for response in answered if response.instrument == instrument_id}
        scores: dict[str, list[float | None]] = {}
        said = []
        for section in FLOW_SECTIONS:
            scale = instrument.scale(section)
            points = {wave.pk: point(mine[wave.pk], scale) for wave in waves if wave.pk in mine}
            scores[section] = [points[wave.pk].score if wave.pk in points else None for wave in waves]
            if points:
                said.append(summaries.summarise(instrument, scale, list(points.values())))
        flows.append(Flow(instrument, name, scores, said))
    return FlowsProgress(waves, flows)


# --- One response's answers ----------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    number: str
    wording: str | None
    value: int | None
    label: str
    scored: bool
    reverse: bool


@dataclass(frozen=True)
class ScaleRow:
    scale: Scale
    score: Any
    band: str | None
    prorated: bool


@dataclass(frozen=True)
class ResponseView:
    instrument: Instrument | None
    title: str
    attribution: str
    answers: list[AnswerRow]
    scales: list[ScaleRow]


def response_view(response: Response) -> ResponseView:
    instrument = known_instrument(response.instrument)
    if instrument is None:
        rows = [
            AnswerRow(str(n), None, value, "", True, False) for n, value in enumerate(response.answers, 1)
        ]
        return ResponseView(None, response.instrument, "", rows, [])
    text = wording_for(instrument.id)
    rows = []
    for item, value in zip(instrument.items, response.answers, strict=False):
        label = text.label(item.response_set.id, value) if text is not None and value is not None else ""
        wording = text.items.get(item.id) if text is not None else None
        rows.append(AnswerRow(item.id, wording, value, label, item.scored, item.reverse))
    scales = [
        ScaleRow(
            scale, response.scores.get(scale.id), response.bands.get(scale.id), scale.id in response.prorated
        )
        for scale in instrument.scales
    ]
    title = text.title if text is not None else instrument.name
    return ResponseView(instrument, title, text.attribution if text else "", rows, scales)


# --- A cohort's change ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveFigure:
    wave: Wave
    spread: outcomes.Spread


@dataclass(frozen=True)
class ChangeFigure:
    wave: Wave
    change: outcomes.Change


@dataclass(frozen=True)
class ScaleChange:
    instrument: Instrument
    scale: Scale
    waves: list[WaveFigure]
    changes: list[ChangeFigure]  # from the first wave that asked it to each later one

    @property
    def baseline(self) -> Wave:
        return self.waves[0].wave


def cohort_responses(user: User, cohort: Cohort) -> QuerySet[Response]:
    """Sent responses of the cohort's people whose programme consent is current, the same for every
    viewer: a facilitator's own answers in a cohort they run count only with consent, like anyone's."""
    return (
        responses_for_figures(user)
        .filter(cohort=cohort, status=ResponseStatus.SUBMITTED)
        .filter(programme_consent_current())
    )


def load_cohort_change(user: User, cohort: Cohort) -> list[ScaleChange]:
    waves = programme_waves(cohort.programme_id)
    rows = (
        cohort_responses(user, cohort).order_by().values_list("person_id", "wave_id", "instrument", "scores")
    )
    scores: dict[tuple[str, int], dict[int, dict[str, Any]]] = defaultdict(dict)
    for person_id, wave_id, instrument_id, values in rows:
        scores[instrument_id, wave_id][person_id] = values
    return scale_changes(waves, scores)


def scale_changes(
    waves: Sequence[Wave], scores: dict[tuple[str, int], dict[int, dict[str, Any]]]
) -> list[ScaleChange]:
    """scores: (instrument, wave id) → person → that response's scores."""
    asked: dict[str, list[Wave]] = {}
    for wave in waves:
        answered = {instrument for instrument, wave_id in scores if wave_id == wave.pk}
        for instrument_id in [*wave.instruments, *sorted(answered - set(wave.instruments))]:
            if known_instrument(instrument_id):
                asked.setdefault(instrument_id, []).append(wave)
    result = []
    for instrument_id, asked_in in asked.items():
        instrument = get_instrument(instrument_id)
        for scale in instrument.scales:
            per_wave = [
                {
                    person: float(values[scale.id])
                    for person, values in scores.get((instrument_id, wave.pk), {}).items()
                    if values.get(scale.id) is not None
                }
                for wave in asked_in
            ]
            figures = [
                WaveFigure(wave, outcomes.spread(list(got.values())))
                for wave, got in zip(asked_in, per_wave, strict=True)
            ]
            changes = [
                ChangeFigure(
                    wave,
                    outcomes.change(
                        [(per_wave[0][person], later[person]) for person in per_wave[0] if person in later],
                        scale,
                    ),
                )
                for wave, later in zip(asked_in[1:], per_wave[1:], strict=True)
            ]
            result.append(ScaleChange(instrument, scale, figures, changes))
    return result


# --- NHS Talking Therapies style outcomes ----------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    depression: Instrument
    anxiety: Instrument
    depression_scale: Scale
    anxiety_scale: Scale
    rule: outcomes.ChangeRule


def pairing() -> Pairing:
    depression = get_instrument(settings.TALKING_THERAPIES_DEPRESSION)
    anxiety = get_instrument(settings.TALKING_THERAPIES_ANXIETY)
    return Pairing(
        depression,
        anxiety,
        outcomes.outcome_scale(depression),
        outcomes.outcome_scale(anxiety),
        outcomes.change_rule(settings.TALKING_THERAPIES_CHANGE_RULE),
    )


@dataclass(frozen=True)
class OutcomeFigures:
    pairing: Pairing
    total: outcomes.Tally
    breakdown: list[tuple[str, outcomes.Tally]]  # per cohort of a programme, or per programme


def usable_score(value: float | None, prorated: str, scale: Scale) -> float | None:
    """A score counts only when it was worked out from every item: prorated ones are left out.

    `prorated` is the JSON text of the response's list: nearly always "[]", so it is decoded only
    when something was prorated."""
    if value is None or (prorated != "[]" and scale.id in json.loads(prorated)):
        return None
    return float(value)


def plain_rows(rows: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver returns them: for plain columns, the
    same values without Django's per-value converters, which cost more than the query here."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def load_outcomes(
    user: User, programme: Programme | None, cohort: Cohort | None, *, cohorts: Sequence[Cohort] | None = None
) -> OutcomeFigures:
    """For one cohort, one programme (broken down by cohort) or all (broken down by programme).
    Only people whose research consent is current count, whoever is looking. `cohorts`: the
    programme's cohorts in order (starts_on, name), when the caller has read them already.

    Each response comes back as a handful of plain values: the one score the outcomes use is taken
    out of the JSON by the database, and research consent is asked once per person
    (`research_consenters`), not once per response. Both queries read the responses from the
    covering index response_outcome_idx alone."""
    paired_with = pairing()
    depression, anxiety = paired_with.depression, paired_with.anxiety
    responses = responses_sent_for_outcomes(user).filter(instrument__in=[depression.id, anxiety.id])
    waves = Wave.objects.all()
    if cohort is not None:
        responses, waves = responses.filter(cohort=cohort), waves.filter(programme_id=cohort.programme_id)
        groups = [(cohort.pk, cohort.name)]
    elif programme is not None:
        responses, waves = responses.filter(cohort__programme=programme), waves.filter(programme=programme)
        in_order = programme.cohorts.order_by("starts_on", "name") if cohorts is None else cohorts
        groups = [(c.pk, cohort_label(c)) for c in in_order]
    else:
        groups = list(Programme.objects.order_by("name").values_list("id", "name"))
    by_programme = programme is None and cohort is None
    order = {
        pk: wave_order(kind, weeks) for pk, kind, weeks in waves.values_list("id", "kind", "weeks_after_end")
    }
    score = Case(
        When(instrument=depression.id, then=NumberAt("scores", paired_with.depression_scale.id)),
        default=NumberAt("scores", paired_with.anxiety_scale.id),
    )
    consenting = research_consenters(responses)
    rows = responses.order_by().values_list(
        "person_id",
        "cohort_id",
        "cohort__programme_id" if by_programme else "cohort_id",
        "wave_id",
        "instrument",
        score,
        Cast("prorated", TextField()),
    )
    observations: dict[tuple[int, int], dict[int, list[float | None]]] = defaultdict(dict)
    group_of: dict[tuple[int, int], int] = {}
    for person_id, cohort_id, group, wave_id, instrument_id, value, prorated in plain_rows(rows):
        if person_id not in consenting:
            continue
        episode = (person_id, cohort_id)
        group_of[episode] = group
        pairs = observations[episode].setdefault(wave_id, [None, None])
        is_depression = instrument_id == depression.id
        scale = paired_with.depression_scale if is_depression else paired_with.anxiety_scale
        pairs[0 if is_depression else 1] = usable_score(value, prorated, scale)
    return outcome_figures(paired_with, observations, group_of, order, groups)


def outcome_figures(
    paired_with: Pairing,
    observations: dict[tuple[int, int], dict[int, list[float | None]]],
    group_of: dict[tuple[int, int], int],
    order: dict[int, outcomes.WaveOrder],
    groups: Iterable[tuple[int, str]],
) -> OutcomeFigures:
    episodes: dict[int, list[outcomes.Paired | outcomes.Unpaired]] = defaultdict(list)
    for episode, by_wave in observations.items():
        seen = [outcomes.Observation(order.get(wave, LAST), *scores) for wave, scores in by_wave.items()]
        episodes[group_of[episode]].append(outcomes.pair(seen))
    tallies = {
        group: outcomes.tally(
            found, paired_with.depression_scale, paired_with.anxiety_scale, paired_with.rule
        )
        for group, found in episodes.items()
    }
    breakdown = [(label, tallies.get(pk, outcomes.Tally())) for pk, label in groups]
    return OutcomeFigures(paired_with, sum(tallies.values(), outcomes.Tally()), breakdown)


def cohort_label(cohort: Cohort) -> str:
    return f"{cohort.name} (starts {cohort.starts_on.day} {cohort.starts_on:%b %Y})"
