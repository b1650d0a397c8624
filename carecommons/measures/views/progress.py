"""Progress people can see: their own scores, one response's answers, a cohort's change, and NHS
Talking Therapies style outcomes for convenors and evaluators. Reads only; the figures come from
measures/progress.py (queries) and measures/outcomes.py (sums), the charts from measures/charts.py.
"""

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.small_numbers import shown_count
from carecommons.measures.access import (
    can_see_outcomes,
    cohorts_with_outcomes_for,
    get_response_for_user,
)
from carecommons.measures.forms import OutcomeFilter
from carecommons.measures.models import ResponseStatus
from carecommons.measures.reporting import charts, progress
from carecommons.measures.reporting.outcomes import (
    RATES,
    RELIABLE_LABELS,
    Shown,
    shown_breakdown,
    shown_tally,
)
from carecommons.people.access import own_person
from carecommons.programmes.access import can_run
from carecommons.programmes.models import Cohort

# --- A person's own scores -----------------------------------------------------------------------


def instrument_chart(chart_id: str, item: progress.InstrumentProgress) -> SafeString:
    many = len(item.scales) > 1
    panels = [
        charts.Panel(
            scale.scale.name if many else "",
            *scale.scale.range,
            [charts.Line(scale.scale.name, [p.score for p in scale.points])],
        )
        for scale in item.scales
    ]
    desc = " ".join(sentence for scale in item.scales for sentence in scale.summary.sentences)
    return charts.line_chart(
        chart_id, f"Your {item.instrument.short_name} scores over time", desc, item.labels, panels
    )


def flows_chart(chart_id: str, flows: progress.FlowsProgress) -> SafeString:
    panels = []
    for section in progress.FLOW_SECTIONS:
        scale = flows.flows[0].instrument.scale(section)
        lines = [charts.Line(flow.name, flow.scores[section]) for flow in flows.flows]
        panels.append(
            charts.Panel(f"{scale.name} ({scale.range[0]:g}–{scale.range[1]:g})", *scale.range, lines)
        )
    desc = " ".join(summary.sentences[0] for flow in flows.flows for summary in flow.summaries)
    return charts.line_chart(chart_id, "Three flows of compassion", desc, flows.labels, panels)


def score_cell(response: Any, scale_id: str) -> str:
    value, band = response.scores.get(scale_id), response.bands.get(scale_id)
    if value is None:
        return "not scored"
    return f"{value:g} ({band})" if band else f"{value:g}"


@login_required
@require_GET
def my_progress(request: AuthedRequest) -> HttpResponse:
    """The signed-in person's own sent answers only. Reading your own answers is not audited."""
    person = own_person(request.user)
    sections = []
    for n, cohort in enumerate(progress.own_progress(request.user, person)):
        instruments = [
            {
                "progress": item,
                "chart": instrument_chart(f"mine-{n}-{item.instrument.id}", item),
                "rows": [
                    (response, [score_cell(response, scale.scale.id) for scale in item.scales])
                    for response in item.responses
                ],
                "worse": any(scale.summary.reliable == "deteriorated" for scale in item.scales),
            }
            for item in cohort.instruments
        ]
        flows = cohort.flows
        sections.append(
            {
                "cohort": cohort.cohort,
                "instruments": instruments,
                "flows": flows,
                "flows_chart": flows_chart(f"mine-{n}-flows", flows) if flows else None,
                "flows_rows": flow_rows(flows) if flows else [],
            }
        )
    record_event(actor=request.user, action="measures.own_progress_viewed", target=person)
    return render(request, "measures/progress_mine.html", {"person": person, "sections": sections})


def flow_rows(flows: progress.FlowsProgress) -> list[tuple[str, list[str]]]:
    """The chart's table: one row per flow and section, one column per wave."""
    rows = []
    for flow in flows.flows:
        for section in progress.FLOW_SECTIONS:
            name = flow.instrument.scale(section).name
            cells = ["–" if value is None else f"{value:g}" for value in flow.scores[section]]
            rows.append((f"{flow.name}: {name[0].lower()}{name[1:]}", cells))
    return rows


# --- One response --------------------------------------------------------------------------------


@login_required
@require_GET
def response_detail(request: AuthedRequest, response_id: UUID) -> HttpResponse:
    response = get_response_for_user(request.user, response_id)
    own = response.person.user_id == request.user.pk
    if response.status == ResponseStatus.DRAFT and not own:
        raise Http404  # a draft is the person's own until they send it
    if not own:
        record_event(
            actor=request.user,
            action="measures.response_viewed",
            target=response,
            detail={"instrument": response.instrument, "person": str(response.person.uuid)},
        )
    context = {
        "response": response,
        "view": progress.response_view(response),
        "own": own,
        "runs": not own and can_run(request.user, response.cohort),
    }
    return render(request, "measures/response_detail.html", context)


# --- A cohort's change ---------------------------------------------------------------------------


def change_chart(chart_id: str, figure: progress.ScaleChange) -> SafeString:
    means = [
        round(w.spread.mean, 1) if w.spread.enough and w.spread.mean is not None else None
        for w in figure.waves
    ]
    labels = [w.wave.label for w in figure.waves]
    said = [
        f"{w.wave.label}: mean {w.spread.shown_mean} from {w.spread.shown_n} people" for w in figure.waves
    ]
    panel = charts.Panel("", *figure.scale.range, [charts.Line("Mean score", means, gap="hidden")])
    title = f"{figure.instrument.short_name}, {figure.scale.name}: mean score per wave"
    return charts.line_chart(chart_id, title, "; ".join(said) + ".", labels, [panel])


@login_required
@require_GET
def cohort_change(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    try:
        cohort = cohorts_with_outcomes_for(request.user).select_related("programme").get(uuid=cohort_id)
    except Cohort.DoesNotExist:
        raise Http404 from None
    figures = progress.load_cohort_change(request.user, cohort)
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "figures": [
            {"figure": figure, "chart": change_chart(f"change-{n}", figure)}
            for n, figure in enumerate(figures)
        ],
        "runs": can_run(request.user, cohort),
        "reliable_labels": RELIABLE_LABELS,
    }
    return render(request, "measures/cohort_change.html", context)


# --- NHS Talking Therapies style outcomes ---------------------------------------------------------


# The table's labels carry their definitions; the chart's bars carry short names.
BAR_NAMES = {
    "cases": "Cases at the start",
    "recovered": "Recovered",
    "reliably_recovered": "Reliably recovered",
    "reliably_improved": "Reliably improved",
    "reliably_deteriorated": "Reliably deteriorated",
}
BAR_OF = {"paired": "of all with paired scores", "cases": "of cases at the start"}


def outcomes_chart(chart_id: str, shown: list[Shown]) -> SafeString:
    """The table's percentages as bars. A suppressed figure draws no bar, so none can be measured."""
    bars = [
        charts.Bar(
            BAR_NAMES.get(row.cell.label, row.label),
            row.rate,
            BAR_OF.get(row.of.label, row.of_words),
            "hidden to protect people" if row.cell.concealed or row.of.concealed else "no one to count",
        )
        for row in shown
        if row.of is not None
    ]
    return charts.bar_chart(chart_id, "NHS Talking Therapies style outcomes, as percentages", bars)


def breakdown_cell(cell: Shown) -> str:
    """A count with its share when the share may be shown, as the table's cell reads."""
    share = cell.share if cell.of else "–"
    return cell.count if share == "–" else f"{cell.count} ({share})"


@login_required
@require_GET
def outcomes(request: AuthedRequest) -> HttpResponse:
    if not can_see_outcomes(request.user):
        raise Http404
    form = OutcomeFilter(request.GET)
    figures = None
    if form.is_valid():
        programme = form.cleaned_data["programme"]
        figures = progress.load_outcomes(
            request.user,
            programme,
            form.cleaned_data["cohort"],
            cohorts=form.programme_cohorts if programme else None,
        )
    context: dict[str, Any] = {"form": form, "figures": figures, "rates": RATES}
    if figures is not None:
        context["shown"] = shown_tally(figures.total)
        context["chart"] = outcomes_chart("outcomes", context["shown"])
        context["shown_answered"] = shown_count(figures.total.answered)
        context["shown_one_wave"] = shown_count(figures.total.one_wave)
        context["shown_missing"] = shown_count(figures.total.score_missing)
        context["breakdown"] = shown_breakdown(figures.breakdown) if len(figures.breakdown) > 1 else []
        context["breakdown_rows"] = [
            (label, [breakdown_cell(cell) for cell in cells]) for label, cells in context["breakdown"]
        ]
        context["by"] = "cohort" if form.cleaned_data["programme"] else "programme"
        context["programme"] = form.cleaned_data["programme"]
        context["cohort"] = form.cleaned_data["cohort"]
    return render(request, "measures/outcomes.html", context)
