"""Reminders, notices and calendar feeds for sessions (called from carecommons.programmes.notifications).

Reminders and notices go to the cohort (accepted members and facilitators) and only to people whose
current decision on being contacted is yes. Each email is sent on its own: a reminder is first
claimed with a ReminderSent row (unique per session, person, kind and start time) and committed,
then sent, so a retried, duplicated or overlapping task can never email anyone twice.
"""

import logging
from datetime import datetime
from functools import partial
from smtplib import SMTPException

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.calendars import timing
from carecommons.calendars.emails import send_session_email
from carecommons.calendars.models import CalendarFeed, ReminderSent
from carecommons.people.consent import consented
from carecommons.people.models import ConsentPurpose, Person
from carecommons.programmes.models import CohortFacilitator, Enrolment, EnrolmentStatus, Session

logger = logging.getLogger(__name__)

REMINDER_KINDS = (timing.DAY_BEFORE, timing.HOUR_BEFORE)
RESCHEDULED, CANCELLED = "rescheduled", "cancelled"


def recipients(session: Session) -> QuerySet[Person]:
    """The cohort's accepted members and facilitators whose current contact consent is yes."""
    members = Enrolment.objects.filter(cohort_id=session.cohort_id, status=EnrolmentStatus.ACCEPTED)
    facilitators = CohortFacilitator.objects.filter(cohort_id=session.cohort_id)
    cohort = Person.objects.filter(
        Q(id__in=members.values("person_id")) | Q(id__in=facilitators.values("person_id"))
    )
    return cohort.filter(consented(ConsentPurpose.CONTACT, of="pk")).select_related("user")


def load_session(session_id: int) -> Session | None:
    return Session.objects.select_related("cohort__programme").filter(pk=session_id).first()


def deliver(*, session: Session, person: Person, kind: str) -> bool:
    """Send one email; False (and logged) when the mail server refused it, so a later run retries."""
    try:
        send_session_email(session=session, person=person, kind=kind)
    except (SMTPException, OSError):
        logger.exception("Could not email person %s about session %s", person.pk, session.pk)
        return False
    return True


# --- Reminders -------------------------------------------------------------------------------


@transaction.atomic
def plan_reminders(session: Session) -> int:
    """Queue the day-before and hour-before reminders for the session's current start time.

    Runs inside the scheduling transaction, so with the database backend the task rows are written
    (or not) with the session. Tasks for an earlier start time are left in the queue: they find the
    time has changed and send nothing. A backend that cannot defer (the immediate one in tests) gets
    nothing queued; the `send_reminders` sweep covers it.
    """
    from carecommons.calendars.tasks import send_session_reminder

    if session.cancelled_at is not None or not send_session_reminder.get_backend().supports_defer:
        return 0
    now, planned = timezone.now(), 0
    for kind in REMINDER_KINDS:
        run_after = timing.run_after(kind, session.starts_at, now)
        if run_after is not None:
            send_session_reminder.using(run_after=run_after).enqueue(
                session.pk, kind, session.starts_at.isoformat()
            )
            planned += 1
    return planned


def claim(*, session: Session, person: Person, kind: str) -> ReminderSent | None:
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(
                session=session, person=person, kind=kind, sent_for_start=session.starts_at
            )
    except IntegrityError:
        return None  # another run has it


def send_reminder(*, session_id: int, kind: str, planned_start: datetime, now: datetime | None = None) -> int:
    """Email the reminder to everyone it is due to; returns how many were sent.

    Sends nothing when the session was cancelled or moved since the reminder was planned, or when
    it is too early or too late for this kind of reminder. Not one transaction on purpose: each
    person's claim is committed before their email goes, so emails already sent stay recorded if a
    later one fails.
    """
    now = now or timezone.now()
    session = load_session(session_id)
    if (
        session is None
        or session.cancelled_at is not None
        or session.starts_at != planned_start
        or not timing.is_due(kind, session.starts_at, now)
    ):
        return 0
    done = ReminderSent.objects.filter(session=session, kind=kind, sent_for_start=session.starts_at)
    sent = []
    for person in recipients(session).exclude(id__in=done.values("person_id")):
        if not person.mail_address:
            continue
        claimed = claim(session=session, person=person, kind=kind)
        if claimed is None:
            continue
        if deliver(session=session, person=person, kind=kind):
            sent.append(str(person.uuid))
        else:
            claimed.delete()
    if sent:
        record_event(
            actor=None, action="session.reminders_sent", target=session, detail={"kind": kind, "people": sent}
        )
    return len(sent)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """The sweep: send every reminder that is due and not yet sent, whatever happened to the queue."""
    now = now or timezone.now()
    window = now + timing.OFFSETS[timing.DAY_BEFORE]
    sessions = Session.objects.filter(cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=window)
    total = 0
    for session_id, starts_at in sessions.values_list("id", "starts_at"):
        for kind in REMINDER_KINDS:
            if timing.is_due(kind, starts_at, now):
                total += send_reminder(session_id=session_id, kind=kind, planned_start=starts_at, now=now)
    return total


# --- Notices when a session moves or is cancelled ----------------------------------------------


def queue_notice(session: Session, kind: str) -> None:
    from carecommons.calendars.tasks import send_session_notice

    # After commit: nobody hears of a change that was rolled back.
    transaction.on_commit(
        partial(send_session_notice.enqueue, session.pk, kind, session.starts_at.isoformat())
    )


def notify_rescheduled(session: Session) -> None:
    """Tell the cohort a session has moved (once the move is committed)."""
    queue_notice(session, RESCHEDULED)


def notify_cancelled(session: Session) -> None:
    """Tell the cohort a session is cancelled (once the cancellation is committed)."""
    queue_notice(session, CANCELLED)


def send_notice(*, session_id: int, kind: str, planned_start: datetime, now: datetime | None = None) -> int:
    """Email the cohort that their session moved or was cancelled; returns how many were sent.

    A move notice that a later move or a cancellation has overtaken sends nothing (the later notice
    says what is true now); nor does any notice about a session that has already ended.
    """
    now = now or timezone.now()
    session = load_session(session_id)
    if session is None or session.ends_at <= now:
        return 0
    if kind == RESCHEDULED and (session.cancelled_at is not None or session.starts_at != planned_start):
        return 0
    if kind == CANCELLED and session.cancelled_at is None:
        return 0
    sent = [
        str(person.uuid)
        for person in recipients(session)
        if person.mail_address and deliver(session=session, person=person, kind=kind)
    ]
    if sent:
        record_event(
            actor=None, action=f"session.{kind}_notice_sent", target=session, detail={"people": sent}
        )
    return len(sent)


# --- Calendar feeds --------------------------------------------------------------------------


@transaction.atomic
def create_feed(*, person: Person, by: User | None) -> CalendarFeed:
    """The person's feed, made if they have none (a second click returns the same one)."""
    existing = CalendarFeed.objects.active().filter(person=person).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.create(person=person)
    except IntegrityError:  # made at the same moment by another request
        return CalendarFeed.objects.active().get(person=person)
    record_event(actor=by, action="calendar.feed_created", target=person, detail={"feed": feed.pk})
    return feed


@transaction.atomic
def revoke_feed(*, person: Person, by: User | None) -> int:
    """Stop the person's feed address working; calendar apps polling it get 404 from now on."""
    ids = list(CalendarFeed.objects.active().filter(person=person).values_list("id", flat=True))
    CalendarFeed.objects.filter(id__in=ids).update(revoked_at=timezone.now(), updated_at=timezone.now())
    for feed_id in ids:
        record_event(actor=by, action="calendar.feed_revoked", target=person, detail={"feed": feed_id})
    return len(ids)


@transaction.atomic
def replace_feed(*, person: Person, by: User | None) -> CalendarFeed:
    """A new address for the person's feed; the old one stops working."""
    revoke_feed(person=person, by=by)
    return create_feed(person=person, by=by)
