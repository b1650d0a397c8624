"""Safeguarding alerts: the list of follow-ups waiting, and one alert with its follow-up log.

The list page belongs to convenors, facilitators and named safeguarding leads (see
attention.sees_safeguarding); for anyone else it does not exist (404). Every read is audited.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.measures.access import (
    alert_facilitators,
    alerts_visible_to,
    contact_consent,
    get_alert_for_user,
)
from carecommons.measures.attention import sees_safeguarding
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.forms import FollowUpForm
from carecommons.measures.models import FollowUp, SafeguardingAlert
from carecommons.measures.running import safeguarding
from carecommons.measures.running.support import crisis_services
from carecommons.people.access import can_use_directory, own_person

CLOSED_PER_PAGE = 25


@dataclass(frozen=True)
class Step:
    when: datetime
    text: str
    note: str = ""


def timeline(alert: SafeguardingAlert, follow_ups: list[FollowUp]) -> list[Step]:
    """Every step of the alert, in the order it happened."""
    steps = [Step(alert.raised_at, "Alert raised.")]
    if alert.notified_at:
        steps.append(Step(alert.notified_at, "Safeguarding leads and facilitators told by email."))
    if alert.escalated_at:
        steps.append(Step(alert.escalated_at, "Overdue: passed to the convenors."))
    for follow_up in follow_ups:
        by = own_person(follow_up.by) or follow_up.by
        closes = " It closed the alert." if follow_up.closes_alert else ""
        text = f"{follow_up.get_method_display()}, logged by {by}.{closes}"
        steps.append(Step(follow_up.contacted_at, text, follow_up.note))
    if alert.closed_at:
        steps.append(Step(alert.closed_at, "Alert closed."))
    return sorted(steps, key=lambda step: step.when)


@login_required
def alert_list(request: AuthedRequest) -> HttpResponse:
    if not sees_safeguarding(request.user):
        raise Http404
    visible = (
        alerts_visible_to(request.user)
        .select_related("person", "cohort__programme")
        .annotate(follow_up_count=Count("follow_ups"))
    )
    open_alerts = list(visible.open().order_by("due_at", "id"))
    closed = visible.filter(closed_at__isnull=False).order_by("-closed_at", "-id")
    page = Paginator(closed, CLOSED_PER_PAGE).get_page(request.GET.get("page"))
    record_event(
        actor=request.user,
        action="safeguarding.alert_list_viewed",
        target=None,
        detail={"open": len(open_alerts), "page": page.number},
    )
    context = {"open_alerts": open_alerts, "page": page, "now": timezone.now()}
    return render(request, "measures/alert_list.html", context)


@login_required
def alert_detail(request: AuthedRequest, alert_id: UUID) -> HttpResponse:
    alert = get_alert_for_user(request.user, alert_id)
    form = FollowUpForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_once(
                key=data.get("submission"),
                user=request.user,
                model=FollowUp,
                create=lambda: safeguarding.log_follow_up(
                    alert=alert,
                    by=request.user,
                    contacted_at=data["contacted_at"],
                    method=data["method"],
                    note=data["note"],
                    closes_alert=data["closes_alert"],
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            closed = "The alert is closed. " if data["closes_alert"] else ""
            messages.success(request, f"Follow-up logged. {closed}Thank you.")
            return redirect("measures:alert_detail", alert_id=alert.uuid)
    record_event(actor=request.user, action="safeguarding.alert_viewed", target=alert)
    return render(request, "measures/alert_detail.html", detail_context(request, alert, form))


def detail_context(request: AuthedRequest, alert: SafeguardingAlert, form: FollowUpForm) -> dict[str, object]:
    person = alert.person
    follow_ups = list(alert.follow_ups.select_related("by__person"))
    contact = contact_consent(alert)
    responses = safeguarding.flagged_responses(alert)
    return {
        "alert": alert,
        "person": person,
        "answered": [(get_instrument(r.instrument).short_name, r) for r in responses],
        "wave": alert.invitation.wave,
        "rules": safeguarding.describe_flags(alert, responses),
        "contact": contact,
        "facilitators": alert_facilitators(alert),
        "steps": timeline(alert, follow_ups),
        "has_follow_ups": bool(follow_ups),
        "overdue": alert.closed_at is None and alert.due_at <= timezone.now(),
        "can_open_record": can_use_directory(request.user),
        "crisis": crisis_services(),
        "form": form,
    }
