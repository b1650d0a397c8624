"""Convenors set up a programme's waves of questionnaires and name its safeguarding leads."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render

from carecommons.accounts.http import AuthedRequest
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.measures.access import get_wave_for_user, lead_candidates, safeguarding_leads_of
from carecommons.measures.engine.definitions import get_instrument, load_instruments
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.forms import LeadsForm, WaveForm
from carecommons.measures.models import Wave
from carecommons.measures.running import services, waves
from carecommons.measures.running.deployment import answerable_online
from carecommons.programmes.access import get_programme_for_user
from carecommons.programmes.models import Cohort

SHOWN_CANDIDATES = 50


@dataclass(frozen=True)
class CohortDates:
    cohort: Cohort
    falls_on: date
    opens: datetime
    last_day: date


@dataclass(frozen=True)
class WaveRow:
    wave: Wave
    instruments: list[tuple[Instrument, bool]]
    dates: list[CohortDates]


def online_by_instrument() -> dict[str, bool]:
    return {instrument_id: answerable_online(instrument_id) for instrument_id in load_instruments()}


def dates_for(wave: Wave, cohorts: list[Cohort]) -> list[CohortDates]:
    rows = []
    for cohort in cohorts:
        opens, closes = services.window_for(wave, cohort)
        falls_on = waves.wave_date(wave.kind, wave.weeks_after_end, cohort.starts_on, cohort.ends_on)
        rows.append(CohortDates(cohort, falls_on, opens, (closes - timedelta(days=1)).date()))
    return rows


@login_required
def wave_list(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id, write=True)
    online = online_by_instrument()
    cohorts = list(programme.cohorts.order_by("starts_on", "id"))
    found = programme.waves.annotate(answered=Count("responses__person", distinct=True))
    rows = [
        WaveRow(
            wave,
            [(get_instrument(i), online.get(i, False)) for i in wave.instruments],
            dates_for(wave, cohorts),
        )
        for wave in sorted(found, key=lambda wave: wave.order)
    ]
    leads = programme.safeguarding_leads.select_related("person__user").order_by("person__sort_key")
    context = {
        "programme": programme,
        "rows": rows,
        "cohorts": cohorts,
        "leads": leads,
        "paper_only": any(not online for row in rows for _, online in row.instruments),
    }
    return render(request, "measures/wave_list.html", context)


@login_required
def wave_create(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id, write=True)
    form = WaveForm(post_data(request), online=online_by_instrument())
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            wave = create_once(
                key=form.cleaned_data.get("submission"),
                user=request.user,
                model=Wave,
                create=lambda: services.save_wave(programme=programme, by=request.user, **arguments),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"{wave.label} wave added.")
            return redirect("measures:wave_list", programme_id=programme.uuid)
    context = {"form": form, "programme": programme, "heading": f"New wave for {programme.name}"}
    return render(request, "measures/wave_form.html", context)


@login_required
def wave_edit(request: AuthedRequest, wave_id: UUID) -> HttpResponse:
    wave = get_wave_for_user(request.user, wave_id)
    programme = wave.programme
    heading = f"Edit the {wave.label.lower()} wave"
    form = WaveForm(post_data(request), online=online_by_instrument(), wave=wave)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_wave(programme=programme, by=request.user, wave=wave, **form.service_arguments())
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("measures:wave_list", programme_id=programme.uuid)
    context = {
        "form": form,
        "programme": programme,
        "wave": wave,
        "heading": heading,
        "invitations": wave.invitations.count(),
    }
    return render(request, "measures/wave_form.html", context)


@login_required
def wave_delete(request: AuthedRequest, wave_id: UUID) -> HttpResponse:
    wave = get_wave_for_user(request.user, wave_id)
    programme = wave.programme
    answered = wave.responses.values("person").distinct().count()
    if request.method == "POST":
        try:
            services.delete_wave(wave=wave, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{wave.label} wave removed.")
        return redirect("measures:wave_list", programme_id=programme.uuid)
    context = {
        "wave": wave,
        "programme": programme,
        "answered": answered,
        "invitations": wave.invitations.count(),
    }
    return render(request, "measures/wave_delete.html", context)


@login_required
def safeguarding_leads(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id, write=True)
    eligible = lead_candidates(programme)
    form = LeadsForm(post_data(request), eligible=eligible)
    if request.method == "POST" and form.is_valid():
        services.set_safeguarding_leads(
            programme=programme, people=form.cleaned_data["people"], by=request.user
        )
        messages.success(request, "Safeguarding leads saved.")
        return redirect("measures:wave_list", programme_id=programme.uuid)
    query = request.GET.get("q", "").strip()
    current = list(safeguarding_leads_of(programme).select_related("user").order_by("sort_key", "id"))
    others = eligible.exclude(id__in=[person.pk for person in current]).select_related("user")
    if query:
        others = others.search(query)
    total = others.count()
    leads_now = {str(person.uuid) for person in current}
    ticked = set(request.POST.getlist("people")) if form.is_bound else leads_now
    context = {
        "programme": programme,
        "form": form,
        "current": current,
        "others": others.order_by("sort_key", "id")[:SHOWN_CANDIDATES],
        "more": max(total - SHOWN_CANDIDATES, 0),
        "query": query,
        "ticked": ticked,
    }
    return render(request, "measures/leads.html", context)
