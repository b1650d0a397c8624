"""The evaluation report: a trial's live data (trials/data.py) through the pure analyses
(trials/outcomes.py, change.py), the CONSORT flow and charts, into one HTML document and a
tagged PDF (WeasyPrint). Built by the worker (tasks.build_report → services.run_report).

Two versions are written: the full one for the evaluation team, and a shared one for convenors
in which counts (and means) over 1 to 4 people are hidden, with the counts they could be worked
out from. Until the plan is locked the arms are "Arm A" and "Arm B" and differences are A minus
B, so the sign tells nothing; afterwards they are the programme arm minus the comparison arm.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from carecommons.lib.small_numbers import is_small, shown_count
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.models import Wave
from carecommons.trials import change, charts, consort, flow, report_sections
from carecommons.trials.analysis import Covariate, TrialData, TrialDataError
from carecommons.trials.data import Screened, TrialRows, trial_rows
from carecommons.trials.models import SAP_FIELDS, AllocationUnit, Trial, TrialArm
from carecommons.trials.outcomes import OutcomeResult, analyse_outcome, holm_adjusted
from carecommons.trials.proportions import ProportionDifference
from carecommons.trials.report_sections import Section

Progress = Callable[[int, str], None]
Trajectory = tuple[str, SafeString, Sequence[tuple[str, ...]]]
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"


@dataclass(frozen=True)
class Outcome:
    key: str
    name: str
    instrument: str
    wave: Wave
    primary: bool
    result: OutcomeResult | None
    problem: str
    reliable: ProportionDifference | None = None
    reliability: float | None = None
    smallest_change: float | None = None
    lower_is_better: bool = True


@dataclass
class Content:
    trial: Trial
    blinded: bool
    first: TrialArm
    second: TrialArm
    first_label: str
    second_label: str
    rows: TrialRows
    flow: consort.Flow
    outcomes: list[Outcome] = field(default_factory=list)
    recovery: ProportionDifference | None = None


def compared_arms(trial: Trial, *, blinded: bool) -> tuple[TrialArm, TrialArm]:
    arms = list(trial.arms.all())
    if blinded:
        ordered = sorted(arms, key=lambda a: a.blind_label)
        return ordered[0], ordered[1]
    treatment = next(a for a in arms if a.is_treatment)
    return treatment, next(a for a in arms if not a.is_treatment)


def label(arm: TrialArm, *, blinded: bool) -> str:
    return f"Arm {arm.blind_label}" if blinded else arm.name


def wave_words(wave: Wave) -> str:
    return flow.wave_words(wave)


def short_wave(wave: Wave) -> str:
    """A wave's name short enough for a chart's axis on a phone."""
    if wave.kind == "baseline":
        return "Baseline"
    if wave.weeks_after_end == 0:
        return "End" if wave.kind == "end" else wave.get_kind_display()
    return f"+{wave.weeks_after_end} weeks"


def analysed_units(content: Content) -> list[Screened]:
    pair = {content.first.pk, content.second.pk}
    return [
        u for u in content.rows.randomised if u.arm is not None and u.arm.pk in pair and u.research_consent
    ]


def trial_data(content: Content, units: Sequence[Screened], instrument: str, wave: Wave) -> TrialData:
    rows, trial = content.rows, content.trial
    baseline_wave = rows.baseline

    def score(unit: Screened, at: Wave) -> float:
        value = rows.score(unit.person_id, at, instrument)
        return math.nan if value is None else value

    covariates = [
        Covariate(name=f.name, values=[u.levels.get(str(f.pk), "") for u in units], categorical=True)
        for f in trial.factors.all()
        if len({u.levels.get(str(f.pk), "") for u in units}) > 1
    ]
    return TrialData(
        outcome=np.array([score(u, wave) for u in units], dtype=float),
        baseline=np.array([score(u, baseline_wave) for u in units], dtype=float),
        treated=np.array([u.arm is not None and u.arm.pk == content.first.pk for u in units], dtype=bool),
        covariates=covariates,
    )


def reliability_of(content: Content, units: Sequence[Screened], instrument: str) -> float | None:
    baseline = content.rows.baseline
    scale = get_instrument(instrument).scales[0]
    positions = [item.position - 1 for item in scale.items]
    answers = [content.rows.items.get((u.person_id or 0, baseline.pk, instrument)) for u in units]
    matrix = [
        [a[i] if i < len(a) and a[i] is not None else math.nan for i in positions] for a in answers if a
    ]
    if len(matrix) < 3 or len(positions) < 2:
        return None
    try:
        return change.cronbach_alpha(np.array(matrix, dtype=float))
    except (TrialDataError, ValueError):
        return None


def compute(trial: Trial, *, blinded: bool, progress: Progress) -> Content:
    progress(5, "Reading the trial's data")
    rows = trial_rows(trial)
    first, second = compared_arms(trial, blinded=blinded)
    content = Content(
        trial=trial,
        blinded=blinded,
        first=first,
        second=second,
        first_label=label(first, blinded=blinded),
        second_label=label(second, blinded=blinded),
        rows=rows,
        flow=flow.flow_from(rows, blinded=blinded),
    )
    progress(15, "Counting the participant flow")
    units = analysed_units(content)
    outcomes = list(trial.outcomes.select_related("wave"))
    datasets: dict[str, TrialData] = {}
    unusable: dict[str, str] = {}
    for outcome in outcomes:
        key = f"{outcome.instrument}@{outcome.wave.uuid}"
        try:
            datasets[key] = trial_data(content, units, outcome.instrument, outcome.wave)
        except TrialDataError as error:
            unusable[key] = str(error)
    primary = next(o for o in outcomes if o.primary)
    primary_key = f"{primary.instrument}@{primary.wave.uuid}"
    clusters = [u.cohort_uuid for u in units] if trial.unit == AllocationUnit.COHORT else None
    progress(25, "Analysing every outcome (ANCOVA, multiple imputation, effect sizes)")
    results, problems = analyse_each(datasets, primary_key, clusters, progress)
    problems.update(unusable)
    progress(70, "Reliable change and recovery")
    for outcome in outcomes:
        key = f"{outcome.instrument}@{outcome.wave.uuid}"
        content.outcomes.append(
            outcome_figures(
                content,
                units,
                outcome.instrument,
                outcome.wave,
                outcome.primary,
                results.get(key),
                problems.get(key, ""),
                datasets.get(key),
            )
        )
    content.recovery = recovery(content, units)
    return content


def analyse_each(
    datasets: dict[str, TrialData], primary_key: str, clusters: list[str] | None, progress: Progress
) -> tuple[dict[str, OutcomeResult], dict[str, str]]:
    """Each outcome on its own, so one that cannot be estimated (nobody answered the follow-up yet)
    says why beside it and the others still stand; the secondaries that could be estimated get
    Holm-adjusted p-values among themselves."""
    results: dict[str, OutcomeResult] = {}
    problems: dict[str, str] = {}
    for done, (key, data) in enumerate(datasets.items()):
        try:
            result = analyse_outcome(data, clusters=clusters)
        except (TrialDataError, np.linalg.LinAlgError) as error:
            problems[key] = str(error) or "The figures cannot be estimated from these answers."
        else:
            results[key] = result
        progress(25 + int(45 * (done + 1) / max(len(datasets), 1)), "Analysing every outcome")
    secondaries = holm_adjusted({key: result for key, result in results.items() if key != primary_key})
    return {key: secondaries.get(key, result) for key, result in results.items()}, problems


def outcome_figures(
    content: Content,
    units: Sequence[Screened],
    instrument: str,
    wave: Wave,
    primary: bool,
    result: OutcomeResult | None,
    problem: str,
    data: TrialData | None,
) -> Outcome:
    definition = get_instrument(instrument)
    lower_is_better = definition.scales[0].higher_is == "worse"
    name = f"{definition.short_name}, {wave_words(wave).lower()}"
    reliability = reliability_of(content, units, instrument)
    reliable = None
    smallest = None
    if reliability is not None and 0 < reliability < 1 and result is not None and data is not None:
        try:
            rc = change.reliable_change(
                data.baseline, data.outcome, reliability=reliability, lower_is_better=lower_is_better
            )
            smallest = rc.smallest_reliable_change
            reliable = change.reliable_improvement_by_arm(rc, data.treated)
        except (TrialDataError, ValueError, ZeroDivisionError):
            reliable = None
    return Outcome(
        key=f"{instrument}@{wave.uuid}",
        name=name,
        instrument=instrument,
        wave=wave,
        primary=primary,
        result=result,
        problem="" if result is not None else (problem or "Not enough complete answers in both arms."),
        reliable=reliable,
        reliability=reliability,
        smallest_change=smallest,
        lower_is_better=lower_is_better,
    )


def recovery(content: Content, units: Sequence[Screened]) -> ProportionDifference | None:
    """NHS Talking Therapies recovery, when the trial measures PHQ-9 and GAD-7 at the primary wave."""
    primary = next(o for o in content.outcomes if o.primary)
    instruments = {o.instrument for o in content.outcomes if o.wave.pk == primary.wave.pk}
    if not {"phq9", "gad7"} <= instruments:
        return None
    baseline = content.rows.baseline
    cut = {i: get_instrument(i).scales[0].caseness for i in ("phq9", "gad7")}
    if any(c is None for c in cut.values()):
        return None

    def case(unit: Screened, wave: Wave) -> bool | None:
        scores = {i: content.rows.score(unit.person_id, wave, i) for i in cut}
        if any(s is None for s in scores.values()):
            return None
        return any(scores[i] >= cut[i].at_least for i in cut)  # type: ignore[operator,union-attr]

    start, end, treated = [], [], []
    for unit in units:
        before, after = case(unit, baseline), case(unit, primary.wave)
        if before is None or after is None:
            continue
        start.append(before)
        end.append(after)
        treated.append(unit.arm is not None and unit.arm.pk == content.first.pk)
    if not any(start):
        return None
    try:
        return change.recovery_by_arm(
            np.array(start, dtype=bool), np.array(end, dtype=bool), np.array(treated, dtype=bool)
        )
    except (TrialDataError, ValueError, ZeroDivisionError):
        return None


def mean_ci(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    mean = float(np.mean(values))
    if len(values) < 2:
        return mean, None, None
    half = 1.96 * float(np.std(values, ddof=1)) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def trajectories(content: Content, units: Sequence[Screened], *, hidden: bool) -> list[Trajectory]:
    baseline = content.rows.baseline
    found: list[Trajectory] = []
    for instrument in dict.fromkeys(o.instrument for o in content.trial.outcomes.all()):
        waves = [
            baseline,
            *(o.wave for o in content.trial.outcomes.select_related("wave") if o.instrument == instrument),
        ]
        waves = sorted(dict.fromkeys(waves), key=lambda w: (w.kind != "baseline", w.weeks_after_end))
        series = []
        for arm, arm_label in ((content.first, content.first_label), (content.second, content.second_label)):
            arm_units = [u for u in units if u.arm is not None and u.arm.pk == arm.pk]
            means, lows, highs, counts = [], [], [], []
            for wave in waves:
                values = [
                    v
                    for u in arm_units
                    if (v := content.rows.score(u.person_id, wave, instrument)) is not None
                ]
                mean, low, high = mean_ci(values)
                means.append(mean)
                lows.append(low)
                highs.append(high)
                counts.append(len(values))
            series.append(charts.Series(arm_label, means, lows, highs, counts))
        title = f"{get_instrument(instrument).short_name}: mean score by arm at each wave"
        labels = [short_wave(w) for w in waves]
        svg = charts.trajectory_svg(title, labels, series, hidden=hidden, chart_id=f"trajectory-{instrument}")
        found.append((title, svg, charts.trajectory_table(labels, series, hidden=hidden)))
    return found


def count_text(count: int, *, hidden: bool) -> str:
    return shown_count(count) if hidden else f"{count:,}"


def baseline_table(
    content: Content, units: Sequence[Screened], *, hidden: bool
) -> list[tuple[str, str, str]]:
    """Numbers and baseline means (SD) by arm, and each stratification factor's levels."""
    baseline = content.rows.baseline
    arms = (content.first, content.second)
    by_arm = [[u for u in units if u.arm is not None and u.arm.pk == arm.pk] for arm in arms]
    rows = [
        ("People analysed (research consent current)", *(count_text(len(g), hidden=hidden) for g in by_arm))
    ]
    for factor in content.trial.factors.all():
        for level in factor.levels:
            counts = [sum(1 for u in g if u.levels.get(str(factor.pk)) == level) for g in by_arm]
            rows.append((f"{factor.name}: {level}", *(count_text(c, hidden=hidden) for c in counts)))
    for instrument in dict.fromkeys(o.instrument for o in content.trial.outcomes.all()):
        cells = []
        for group in by_arm:
            values = [
                v for u in group if (v := content.rows.score(u.person_id, baseline, instrument)) is not None
            ]
            if (hidden and is_small(len(values))) or len(values) < 2:
                cells.append(f"n {count_text(len(values), hidden=hidden)}")
            else:
                cells.append(f"{np.mean(values):.1f} ({np.std(values, ddof=1):.1f}), n {len(values)}")
        rows.append((f"{get_instrument(instrument).short_name} at baseline, mean (SD)", *cells))
    return [(name, a, b) for name, a, b in rows]


def forest(content: Content) -> tuple[SafeString, list[tuple[str, str, str, str]]]:
    rows = []
    for outcome in content.outcomes:
        result = outcome.result
        if result is None:
            rows.append(
                charts.ForestRow(outcome.name, None, None, None, outcome.primary, None, outcome.problem)
            )
            continue
        p = result.ancova.p if outcome.primary or result.holm is None else result.holm.ancova
        g = result.hedges_g
        rows.append(charts.ForestRow(outcome.name, g.value, g.ci95[0], g.ci95[1], outcome.primary, p))
    x_label = f"Hedges' g, {content.first_label} minus {content.second_label}"
    return charts.forest_plot_svg(rows, x_label=x_label), charts.forest_table(rows)


def render(
    content: Content, *, hidden: bool, stylesheet_href: str, sections: Sequence[Section] | None = None
) -> str:
    """`sections`: what apps above add (report_sections.py); those they declare unless given."""
    units = analysed_units(content)
    forest_svg, forest_rows = forest(content)
    context = {
        "c": content,
        "trial": content.trial,
        "hidden": hidden,
        "stylesheet_href": stylesheet_href,
        "screen_stylesheet_href": stylesheet_href.replace("report.css", "report-screen.css"),
        "plan": [(label_, getattr(content.trial, name)) for name, label_ in SAP_FIELDS],
        "changes": list(content.trial.plan_changes.all()),
        "consort_svg": consort.consort_svg(content.flow, hidden=hidden)
        if not consort.problems(content.flow)
        else "",
        "consort_rows": consort.consort_rows(content.flow, hidden=hidden)
        if not consort.problems(content.flow)
        else [],
        "consort_problems": consort.problems(content.flow),
        "baseline_rows": baseline_table(content, units, hidden=hidden),
        "trajectories": trajectories(content, units, hidden=hidden),
        "forest_svg": forest_svg,
        "forest_rows": forest_rows,
        "primary": next((o for o in content.outcomes if o.primary), None),
        "generated_at": timezone.now(),
        "cluster": content.trial.unit == AllocationUnit.COHORT,
        "three_arms": content.trial.arms.count() > 2,
        "sections": report_sections.written(content.trial.programme, shared=hidden, sections=sections),
    }
    return render_to_string("trials/report.html", context)


def pdf_of(html: str) -> bytes:
    """The report as a tagged PDF (PDF/UA-1), its stylesheet read from the file, never the network."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):  # type: ignore[misc]
        """The report's HTML names no address (charts are inline SVG, the stylesheet is given as a
        file), so any fetch would be a bug or typed text turned into a request: refused, so the
        worker never goes to the network for a report."""

        def fetch(self, url: str, headers: object = None) -> object:
            raise ValueError(f"The evaluation report fetches nothing; it was asked for {url[:80]!r}.")

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=FetchNothing())
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1")
    assert pdf is not None
    return pdf
