from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.dashboards import charts, queries
from carecommons.dashboards.access import Scope, get_scope_for_user
from carecommons.dashboards.export import write_csv

ORGANISATIONS_SHOWN = 100


def cohort_choices(scope: Scope) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for the cohort chooser."""
    return [
        (str(c.uuid), f"{c.name} (starts {c.starts_on.day} {c.starts_on:%b %Y})", c == scope.cohort)
        for c in scope.cohorts
    ]


def cohort_options(scope: Scope) -> SafeString:
    """The chooser's <option>s, written here because a convenor's list can run to hundreds, and
    the template's loop and date filter cost more than the rest of the page."""
    return mark_safe(
        "".join(
            f'<option value="{value}"{" selected" if selected else ""}>{escape(label)}</option>'
            for value, label, selected in cohort_choices(scope)
        )
    )


@login_required
@require_GET
def programme_dashboard(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    scope = get_scope_for_user(request.user, programme_id, request.GET.get("cohort"))
    figures = queries.load_figures(scope, now=timezone.now())
    people = queries.people_page(scope, figures, request.GET.get("page")) if scope.cohort else None
    if scope.cohort:
        # The per-person list names people with their attendance: a sensitive read.
        record_event(
            actor=request.user,
            action="dashboard.people_viewed",
            target=scope.programme,
            detail={"cohort": str(scope.cohort.uuid)},
        )
    context = {
        "scope": scope,
        "cohort_options": cohort_options(scope),
        "programme": scope.programme,
        "figures": figures,
        "people": people,
        "organisations": figures.organisations.cells[:ORGANISATIONS_SHOWN],
        "organisations_left_out": max(len(figures.organisations.cells) - ORGANISATIONS_SHOWN, 0),
        "funnel_chart": charts.funnel_chart("funnel", figures.funnel),
        "funnel_summary": charts.funnel_summary(figures.funnel),
        "attendance_chart": charts.attendance_chart(
            "attendance", figures.attendance, figures.marks, figures.sessions_held
        ),
        "attendance_summary": charts.attendance_summary(
            figures.attendance, figures.marks, figures.sessions_held
        ),
        "retention_chart": charts.retention_chart("retention", figures.retention),
        "retention_summary": charts.retention_summary(figures.retention),
    }
    return render(request, "dashboards/programme_dashboard.html", context)


@login_required
@require_GET
def programme_dashboard_csv(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    scope = get_scope_for_user(request.user, programme_id, request.GET.get("cohort"))
    figures = queries.load_figures(scope, now=timezone.now())
    people = queries.person_rows(queries.cohort_people(scope), figures) if scope.cohort else []
    name = slugify(scope.programme.name) or "programme"
    if scope.cohort:
        name += f"-{slugify(scope.cohort.name) or 'cohort'}"
    filename = f"dashboard-{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
    rows = write_csv(response, figures, people)
    detail = {"cohort": str(scope.cohort.uuid) if scope.cohort else "", "rows": rows}
    record_event(actor=request.user, action="dashboard.exported", target=scope.programme, detail=detail)
    return response
