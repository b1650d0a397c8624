"""Safeguarding alerts: a risk answer opens a follow-up that a person must log in time.

An alert is a prompt for human contact, never a risk score. Leads are told at once (by email, with
no answers or names in it, and on their home page); an alert with no follow-up logged by its due
time is escalated to convenors. Every step leaves an audit event.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.dates import HAPPENED, check_date
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.engine.schema import Instrument, RiskRule
from carecommons.measures.engine.texts import InstrumentText
from carecommons.measures.models import ContactMethod, FollowUp, Response, SafeguardingAlert
from carecommons.measures.running.deployment import wording_for


def follow_up_window() -> timedelta:
    return timedelta(hours=settings.SAFEGUARDING_FOLLOW_UP_HOURS)


def raise_alert(*, response: Response, flags: list[str], now: datetime) -> SafeguardingAlert:
    """Open the invitation's one alert, or add new flags to it. Called inside the saving transaction,
    which holds the invitation's row lock, so two questionnaires of one set cannot open two alerts
    (and the database refuses a second alert for an invitation if anything else tried).

    The leads are emailed once per alert. A new risk answer after the alert was closed reopens it with
    a fresh deadline and tells them again: what they closed did not know of it."""
    alert = SafeguardingAlert.objects.select_for_update().filter(invitation_id=response.invitation_id).first()
    if alert is None:
        alert = SafeguardingAlert.objects.create(
            invitation_id=response.invitation_id,
            person_id=response.person_id,
            cohort_id=response.cohort_id,
            flags=list(flags),
            raised_at=now,
            due_at=now + follow_up_window(),
        )
        record_event(
            actor=None, action="safeguarding.alert_raised", target=alert, detail={"flags": list(flags)}
        )
        notify_on_commit(alert)
        return alert
    added = [flag for flag in flags if flag not in alert.flags]
    if not added:
        return alert
    alert.flags = [*alert.flags, *added]
    fields = ["flags", "updated_at"]
    reopened = alert.closed_at is not None
    if reopened:
        alert.closed_at = alert.escalated_at = alert.notified_at = None
        alert.due_at = max(now, alert.raised_at) + follow_up_window()
        fields += ["closed_at", "escalated_at", "notified_at", "due_at"]
    alert.save(update_fields=fields)
    record_event(actor=None, action="safeguarding.alert_flags_added", target=alert, detail={"flags": added})
    if reopened:
        record_event(actor=None, action="safeguarding.alert_reopened", target=alert, detail={"flags": added})
        notify_on_commit(alert)
    return alert


def notify_on_commit(alert: SafeguardingAlert) -> None:
    from carecommons.measures.tasks import notify_safeguarding_alert

    transaction.on_commit(partial(notify_safeguarding_alert.enqueue, alert.pk))


def risk_flags_of(instrument_id: str) -> set[str]:
    """Every flag an instrument's rules can raise, answered or unanswered."""
    try:
        rules = get_instrument(instrument_id).risk_rules
    except KeyError:
        return set()
    return {rule.id for rule in rules} | {rule.unanswered_flag for rule in rules}


@transaction.atomic
def log_follow_up(
    *,
    alert: SafeguardingAlert,
    by: User,
    contacted_at: datetime,
    method: str,
    note: str,
    closes_alert: bool,
    now: datetime | None = None,
) -> FollowUp:
    now = now or timezone.now()
    check_date(contacted_at, HAPPENED, field="contacted_at", today=timezone.localdate(now))
    alert = SafeguardingAlert.objects.select_for_update().get(pk=alert.pk)
    if contacted_at > now + timedelta(minutes=5):
        raise ValidationError({"contacted_at": "The contact cannot be in the future."})
    if contacted_at < alert.raised_at - timedelta(days=1):
        raise ValidationError({"contacted_at": "The contact must be after the alert was raised."})
    if closes_alert and method == ContactMethod.NO_REPLY:
        raise ValidationError(
            {"closes_alert": "An attempt that did not reach the person cannot close the alert."}
        )
    if not note.strip():
        raise ValidationError({"note": "Say what happened and what was agreed."})
    follow_up = FollowUp(
        alert=alert,
        by=by,
        contacted_at=contacted_at,
        method=method,
        note=note.strip(),
        closes_alert=closes_alert,
    )
    follow_up.full_clean()
    follow_up.save()
    record_event(
        actor=by,
        action="safeguarding.follow_up_logged",
        target=alert,
        detail={"method": method, "closes_alert": closes_alert},
    )
    if closes_alert and alert.closed_at is None:
        alert.closed_at = now
        alert.save(update_fields=["closed_at", "updated_at"])
        record_event(actor=by, action="safeguarding.alert_closed", target=alert)
    return follow_up


@transaction.atomic
def escalate_overdue(*, now: datetime | None = None) -> list[SafeguardingAlert]:
    """Mark every open alert past its due time as escalated, once, and queue the escalation emails."""
    now = now or timezone.now()
    overdue = list(
        SafeguardingAlert.objects.select_for_update()
        .open()
        .filter(due_at__lte=now, escalated_at__isnull=True)
    )
    from carecommons.measures.tasks import escalate_safeguarding_alert

    for alert in overdue:
        alert.escalated_at = now
        alert.save(update_fields=["escalated_at", "updated_at"])
        record_event(actor=None, action="safeguarding.alert_escalated", target=alert)
        transaction.on_commit(partial(escalate_safeguarding_alert.enqueue, alert.pk))
    return overdue


def alert_for_response(response: Response) -> SafeguardingAlert | None:
    """The set's alert, when this questionnaire's answers are among those it names."""
    try:
        alert = response.invitation.alert
    except SafeguardingAlert.DoesNotExist:
        return None
    return alert if risk_flags_of(response.instrument) & set(alert.flags) else None


def flagged_responses(alert: SafeguardingAlert) -> list[Response]:
    """The invitation's questionnaires whose answers raised one of the alert's flags."""
    flags = set(alert.flags)
    responses = alert.invitation.responses.order_by("created_at", "id")
    return [response for response in responses if risk_flags_of(response.instrument) & flags]


def describe_flags(alert: SafeguardingAlert, responses: list[Response] | None = None) -> list[str]:
    """Which rules the answers met, in plain words, with the instrument's wording where we have it,
    whichever questionnaire of the set they were in. Deliberately no score: the alert asks for a
    conversation, not a rating."""
    described: dict[str, str] = {}
    for response in flagged_responses(alert) if responses is None else responses:
        instrument = get_instrument(response.instrument)
        wording = wording_for(instrument.id)
        rules = {rule.id: rule for rule in instrument.risk_rules}
        rules |= {rule.unanswered_flag: rule for rule in instrument.risk_rules}
        for flag in alert.flags:
            if flag in rules:
                rule = rules[flag]
                unanswered = flag == rule.unanswered_flag
                described[flag] = describe_rule(instrument, rule, response, wording, unanswered=unanswered)
    return [described.get(flag, f"A rule marked for follow-up ({flag}).") for flag in alert.flags]


def describe_rule(
    instrument: Instrument,
    rule: RiskRule,
    response: Response,
    wording: InstrumentText | None,
    *,
    unanswered: bool,
) -> str:
    item = rule.item
    question = f"{instrument.short_name} question {item.id}"
    if wording is not None and item.id in wording.items:
        question += f" (“{wording.items[item.id]}”)"

    def label(value: int) -> str:
        text = wording.label(item.response_set.id, value) if wording is not None else ""
        low, high = item.response_set.min, item.response_set.max
        return f"“{text}”" if text else f"{value} (on a scale of {low} to {high})"

    answers = response.answers
    given = answers[item.position - 1] if item.position <= len(answers) else None
    if unanswered:
        if given is None:
            return f"{question} was left unanswered. An unanswered question {item.id} is always followed up."
        return f"{question} was left unanswered at first; it was later answered {label(given)}."
    if given is not None and given >= rule.at_least:
        return f"{question} answered {label(given)}."
    now = "is now unanswered" if given is None else f"is now {label(given)}"
    return (
        f"{question} was answered {label(rule.at_least)} or more while the questionnaire was being "
        f"filled in; the saved answer {now}."
    )
