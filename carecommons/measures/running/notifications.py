"""Emails for invitations, reminders and safeguarding. Sent by the worker, one message per person.

Safeguarding emails name no one and carry no answers: they say a follow-up is needed and link to
the alert, which only the people allowed to see it can open after signing in.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.audit.services import record_event
from carecommons.lib import email
from carecommons.measures.access import invitation_token
from carecommons.measures.models import Invitation, SafeguardingAlert
from carecommons.measures.running.support import crisis_services


def send_invitation(invitation_id: int, *, reminder: bool = False) -> int:
    invitation = Invitation.objects.select_related("person__user", "wave__programme", "cohort").get(
        pk=invitation_id
    )
    to = invitation.person.mail_address
    if not to or invitation.completed_at is not None or invitation.revoked_at is not None:
        return 0
    verb = "Reminder: " if reminder else ""
    wave, cohort = invitation.wave.label.lower(), invitation.cohort.name
    email.send(
        to=to,
        subject=f"{verb}your {wave} questionnaires for {cohort}",
        text_template="measures/email/invitation.txt",
        context={
            "invitation": invitation,
            "name": invitation.person.display_name,
            "count": len(invitation.wave.instruments),
            "reminder": reminder,
            "closes": invitation.last_day,
            "crisis": crisis_services(),
        },
        links={
            "link": reverse("measures:answer_start", args=[invitation.uuid, invitation_token(invitation)])
        },
    )
    with transaction.atomic():
        now = timezone.now()
        # A reminder was counted by the sweep that claimed it (sweep.py), so two sweeps never send
        # the same one; only a first sending (or a new link) moves sent_at.
        if not reminder:
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=now)
        record_event(
            actor=None,
            action="measures.reminder_sent" if reminder else "measures.invitation_sent",
            target=invitation,
        )
    return 1


def alert_recipients(alert: SafeguardingAlert) -> list[str]:
    programme = alert.cohort.programme
    people = Q(person__safeguarding_lead_for__programme=programme) | Q(
        person__facilitator_links__cohort=alert.cohort
    )
    emails = set(User.objects.filter(people, is_active=True).values_list("email", flat=True))
    # Nobody named for this cohort: someone must still hear of it at once.
    return sorted(emails or convenor_emails() or set(settings.SAFEGUARDING_ESCALATION_EMAILS))


def convenor_emails() -> set[str]:
    return set(
        User.objects.filter(role_grants__role=Role.CONVENOR, is_active=True).values_list("email", flat=True)
    )


def send_alert(alert: SafeguardingAlert, *, to: str, escalated: bool) -> int:
    return email.send(
        to=to,
        subject=(
            f"Overdue safeguarding follow-up in {alert.cohort.name}"
            if escalated
            else f"Safeguarding follow-up needed in {alert.cohort.name}"
        ),
        text_template="measures/email/alert.txt",
        context={
            "alert": alert,
            "cohort": alert.cohort,
            "programme": alert.cohort.programme,
            "due": timezone.localtime(alert.due_at),
            "escalated": escalated,
        },
        links={"link": reverse("measures:alert_detail", args=[alert.uuid])},
    )


def notify_alert(alert_id: int) -> int:
    alert = SafeguardingAlert.objects.select_related("cohort__programme").get(pk=alert_id)
    if alert.closed_at is not None:
        return 0  # followed up and closed before the worker got to it: nothing left to ask of anyone
    recipients = alert_recipients(alert)
    for to in recipients:
        send_alert(alert, to=to, escalated=False)
    mark_notified(alert, count=len(recipients))
    return len(recipients)


@transaction.atomic
def mark_notified(alert: SafeguardingAlert, *, count: int, now: datetime | None = None) -> None:
    """Record that the leads were told, with an audit event. The first telling's time is kept."""
    SafeguardingAlert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(
        notified_at=now or timezone.now()
    )
    record_event(actor=None, action="safeguarding.leads_notified", target=alert, detail={"count": count})


def escalate_alert(alert_id: int) -> int:
    alert = SafeguardingAlert.objects.select_related("cohort__programme").get(pk=alert_id)
    if alert.closed_at is not None:
        return 0
    recipients = sorted(convenor_emails() | set(settings.SAFEGUARDING_ESCALATION_EMAILS))
    for to in recipients:
        send_alert(alert, to=to, escalated=True)
    record_event(
        actor=None, action="safeguarding.escalation_sent", target=alert, detail={"count": len(recipients)}
    )
    return len(recipients)
