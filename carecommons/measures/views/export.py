"""The evaluation export, for convenors and evaluators: a page saying what is in it, the answers as a
pseudonymised CSV (streamed), and its data dictionary. Everyone else gets a 404."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.small_numbers import shown_count
from carecommons.measures.access import (
    can_see_outcomes,
    cohorts_with_outcomes_for,
    facilitators_of,
    programmes_with_outcomes_for,
    responses_for_research,
    responses_sent_for_outcomes,
)
from carecommons.measures.engine.definitions import load_instruments
from carecommons.measures.models import Response
from carecommons.measures.reporting import export
from carecommons.programmes.models import Cohort, Programme

ORDER = ("cohort__programme_id", "cohort_id", "person_id", "answered_on", "wave_id", "instrument", "id")


@dataclass(frozen=True)
class Scope:
    programme: Programme | None = None
    cohort: Cohort | None = None
    problem: str = ""

    def apply(self, responses: QuerySet[Response]) -> QuerySet[Response]:
        if self.cohort is not None:
            return responses.filter(cohort=self.cohort)
        if self.programme is not None:
            return responses.filter(cohort__programme=self.programme)
        return responses

    @property
    def query(self) -> str:
        params = QueryDict(mutable=True)
        if self.programme is not None:
            params["programme"] = str(self.programme.uuid)
        if self.cohort is not None:
            params["cohort"] = str(self.cohort.uuid)
        return params.urlencode()

    @property
    def slug(self) -> str:
        parts = [slugify(row.name) for row in (self.programme, self.cohort) if row is not None]
        return "-".join(part for part in parts if part)


def chosen(rows: QuerySet[Any], raw: str) -> Any:
    try:
        return rows.get(uuid=UUID(raw))
    except (ValueError, rows.model.DoesNotExist):
        raise Http404 from None


def scope_for(request: AuthedRequest) -> Scope:
    """The programme and cohort chosen, if any. An unknown id is a 404; a cohort from another
    programme than the one chosen is a problem to show beside the field."""
    if not can_see_outcomes(request.user):
        raise Http404
    cohorts = cohorts_with_outcomes_for(request.user).select_related("programme")
    programme = cohort = None
    if raw := request.GET.get("programme", ""):
        programme = chosen(programmes_with_outcomes_for(request.user), raw)
    if raw := request.GET.get("cohort", ""):
        cohort = chosen(cohorts, raw)
        if programme is not None and cohort.programme_id != programme.pk:
            problem = f"{cohort.name} is a cohort of {cohort.programme.name}, not of {programme.name}."
            return Scope(programme, cohort, problem)
        programme = cohort.programme
    return Scope(programme, cohort)


def people(count: int) -> str:
    """A count of people for the page, small counts hidden ("fewer than 5 people")."""
    return "no one" if count == 0 else f"{shown_count(count)} people"


def attachment(name: str, scope: Scope | None = None) -> dict[str, str]:
    stem = f"{name}-{scope.slug}" if scope is not None and scope.slug else name
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.csv"
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


@login_required
@require_GET
def export_page(request: AuthedRequest, **kwargs: Any) -> HttpResponse:
    scope = scope_for(request)
    cohorts = cohorts_with_outcomes_for(request.user)
    included = scope.apply(responses_for_research(request.user)).values("person_id").distinct().count()
    answered = scope.apply(responses_sent_for_outcomes(request.user)).values("person_id").distinct().count()
    instruments = load_instruments()
    context = {
        "scope": scope,
        "programmes": programmes_with_outcomes_for(request.user)
        .filter(waves__isnull=False)
        .distinct()
        .order_by("name"),
        "cohorts": cohorts.filter(programme__waves__isnull=False)
        .distinct()
        .select_related("programme")
        .order_by("programme__name", "-starts_on", "name"),
        "included": people(included),
        "left_out": people(answered - included),
        "columns": export.columns(instruments),
        "instruments": instruments.values(),
    }
    return render(request, "measures/export.html", context)


@login_required
@require_GET
def export_csv(request: AuthedRequest, **kwargs: Any) -> StreamingHttpResponse:
    scope = scope_for(request)
    if scope.problem:
        raise Http404
    responses = scope.apply(responses_for_research(request.user))
    instruments = load_instruments()
    per_instrument = dict(responses.order_by().values_list("instrument").annotate(n=Count("id")))
    facilitators: dict[int, list[UUID]] = {}
    for cohort_id, person in facilitators_of(responses):
        facilitators.setdefault(cohort_id, []).append(person)
    record_event(
        actor=request.user,
        action="measures.exported",
        target=scope.cohort or scope.programme,
        detail={
            "programme": str(scope.programme.uuid) if scope.programme else "",
            "cohort": str(scope.cohort.uuid) if scope.cohort else "",
            "responses": sum(per_instrument.values()),
            "rows": export.row_count(per_instrument, instruments),
        },
    )
    rows = responses.order_by(*ORDER).values_list(*export.SOURCE_FIELDS).iterator(chunk_size=2000)
    records = export.records(
        (export.Source(*row) for row in rows),
        pseudonyms=export.Pseudonyms(export.research_key()),
        facilitators=facilitators,
        instruments=instruments,
    )
    return StreamingHttpResponse(
        export.csv_lines(list(export.columns(instruments)), records),
        content_type="text/csv; charset=utf-8",
        headers=attachment("evaluation-answers", scope),
    )


@login_required
@require_GET
def export_dictionary(request: AuthedRequest, **kwargs: Any) -> HttpResponse:
    if not can_see_outcomes(request.user):
        raise Http404
    instruments = load_instruments()
    records = export.dictionary_records(export.columns(instruments), instruments)
    lines = export.csv_lines(export.DICTIONARY_HEADER, records)
    return HttpResponse(
        "".join(lines), content_type="text/csv; charset=utf-8", headers=attachment("evaluation-dictionary")
    )
