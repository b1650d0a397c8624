"""Writes for waves, invitations and answers. One transaction each, audited.

Answers are saved a questionnaire at a time: a page's answers are stored whole or not at all, and
a questionnaire is scored once, when it is sent, with the instrument version recorded beside it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.dates import HAPPENED, check_date
from carecommons.measures.engine.definitions import get_instrument, load_instruments
from carecommons.measures.engine.scoring import Answer, AnswerError, check_answers, risk_flags, score
from carecommons.measures.models import (
    Invitation,
    Response,
    ResponseMode,
    ResponseStatus,
    SafeguardingAlert,
    SafeguardingLead,
    Wave,
    WaveKind,
)
from carecommons.measures.running import safeguarding, waves
from carecommons.measures.running.deployment import answerable_online
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, EnrolmentStatus, Programme

LATE_INVITATION_DAYS = 14


class AlreadySent(Exception):
    """The questionnaire was sent before (a double click, a retry, or a used link)."""


@transaction.atomic
def save_wave(
    *,
    programme: Programme,
    by: User | None,
    kind: str,
    instruments: Sequence[str],
    weeks_after_end: int = 0,
    opens_days_before: int = 7,
    stays_open_days: int = 21,
    wave: Wave | None = None,
) -> Wave:
    known = load_instruments()
    if unknown := [i for i in instruments if i not in known]:
        raise ValidationError({"instruments": f"Unknown instrument(s): {', '.join(unknown)}."})
    if not instruments:
        raise ValidationError({"instruments": "Choose at least one questionnaire."})
    if len(set(instruments)) != len(instruments):
        raise ValidationError({"instruments": "Each questionnaire can be asked only once in a wave."})
    weeks_after_end = weeks_after_end if kind == WaveKind.FOLLOW_UP else 0
    if kind == WaveKind.FOLLOW_UP and weeks_after_end < 1:
        raise ValidationError({"weeks_after_end": "Say how many weeks after the cohort ends (1 or more)."})
    created = wave is None
    wave = wave or Wave(programme=programme)
    check_wave_change(wave, kind=kind, weeks_after_end=weeks_after_end, instruments=instruments)
    wave.kind = kind
    wave.weeks_after_end = weeks_after_end
    wave.instruments = list(instruments)
    wave.opens_days_before = opens_days_before
    wave.stays_open_days = stays_open_days
    wave.full_clean()
    try:
        with transaction.atomic():
            wave.save()
    except IntegrityError:
        message = f"There is already a wave at this point: {wave.label}."
        raise ValidationError({wave_point_field(kind): message}) from None
    record_event(
        actor=by,
        action="measures.wave_created" if created else "measures.wave_updated",
        target=wave,
        detail={"programme": str(programme.uuid), "instruments": list(instruments)},
    )
    return wave


def check_wave_change(wave: Wave, *, kind: str, weeks_after_end: int, instruments: Sequence[str]) -> None:
    """One wave per point in time; and once people have answered, their answers keep their meaning."""
    same = Wave.objects.filter(programme=wave.programme, kind=kind, weeks_after_end=weeks_after_end)
    if same.exclude(pk=wave.pk).exists():
        taken = Wave(kind=kind, weeks_after_end=weeks_after_end).label
        message = f"There is already a wave at this point: {taken}. Edit that one instead."
        raise ValidationError({wave_point_field(kind): message})
    if wave.pk is None:
        return
    answered = set(wave.responses.values_list("instrument", flat=True))
    if answered and (kind, weeks_after_end) != (wave.kind, wave.weeks_after_end):
        moved = "People have answered this wave, so when it falls cannot change. Add a new wave instead."
        raise ValidationError({wave_point_field(wave.kind): moved})
    if dropped := sorted(answered - set(instruments)):
        names = ", ".join(get_instrument(i).short_name for i in dropped)
        raise ValidationError({"instruments": f"People have answered {names} in this wave, so it must stay."})


def wave_point_field(kind: str) -> str:
    return "weeks_after_end" if kind == WaveKind.FOLLOW_UP else "kind"


@transaction.atomic
def delete_wave(*, wave: Wave, by: User | None) -> None:
    if wave.responses.exists():
        raise ValidationError("People have answered this wave, so it cannot be removed.")
    record_event(actor=by, action="measures.wave_deleted", target=wave)
    wave.delete()


@transaction.atomic
def set_safeguarding_leads(*, programme: Programme, people: Iterable[Person], by: User | None) -> None:
    wanted = {person.pk for person in people}
    programme.safeguarding_leads.exclude(person_id__in=wanted).delete()
    have = set(programme.safeguarding_leads.values_list("person_id", flat=True))
    SafeguardingLead.objects.bulk_create(
        SafeguardingLead(programme=programme, person_id=pk) for pk in sorted(wanted - have)
    )
    record_event(
        actor=by, action="measures.safeguarding_leads_set", target=programme, detail={"count": len(wanted)}
    )


def window_for(wave: Wave, cohort: Cohort) -> tuple[datetime, datetime]:
    return waves.window(
        wave.kind,
        wave.weeks_after_end,
        cohort.starts_on,
        cohort.ends_on,
        opens_days_before=wave.opens_days_before,
        stays_open_days=wave.stays_open_days,
        zone=timezone.get_current_timezone(),
    )


@transaction.atomic
def open_due_invitations(*, now: datetime | None = None) -> list[Invitation]:
    """Make the invitations of every wave now open, for every accepted participant. Safe to repeat."""
    now = now or timezone.now()
    created: list[Invitation] = []
    for wave in Wave.objects.select_related("programme"):
        for cohort in wave.programme.cohorts.all():
            opens_at, expires_at = window_for(wave, cohort)
            if not opens_at <= now < expires_at:
                continue
            people = cohort.enrolments.filter(status=EnrolmentStatus.ACCEPTED).values_list(
                "person_id", flat=True
            )
            have = set(wave.invitations.filter(cohort=cohort).values_list("person_id", flat=True))
            new = [
                Invitation(wave=wave, cohort=cohort, person_id=pk, opens_at=opens_at, expires_at=expires_at)
                for pk in people
                if pk not in have
            ]
            for invitation in Invitation.objects.bulk_create(new):
                record_event(actor=None, action="measures.invitation_created", target=invitation)
                created.append(invitation)
    return created


@transaction.atomic
def claim_reminder(*, invitation: Invitation, due: int, now: datetime) -> bool:
    """Count reminder number `due` as queued, once: a conditional update on the count last read, so
    of two sweeps racing only one wins and nobody is reminded twice. The worker sends it later and
    records that too; this records the count going up."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk, reminders_sent=invitation.reminders_sent, completed_at__isnull=True
    ).update(reminders_sent=due, last_reminded_at=now, updated_at=now)
    if claimed:
        record_event(
            actor=None,
            action="measures.reminder_queued",
            target=invitation,
            detail={"reminder": due, "was": invitation.reminders_sent},
        )
    return bool(claimed)


@transaction.atomic
def invite_now(
    *, wave: Wave, cohort: Cohort, person: Person, by: User | None, now: datetime | None = None
) -> Invitation:
    """An invitation usable from now: for a late joiner, a lost email, or a paper form to enter."""
    now = now or timezone.now()
    _, closes = window_for(wave, cohort)
    invitation, created = Invitation.objects.get_or_create(
        wave=wave,
        cohort=cohort,
        person=person,
        defaults={"opens_at": now, "expires_at": max(closes, now + timedelta(days=LATE_INVITATION_DAYS))},
    )
    if not created and invitation.completed_at is None:
        invitation.opens_at = min(invitation.opens_at, now)
        invitation.expires_at = max(invitation.expires_at, now + timedelta(days=LATE_INVITATION_DAYS))
        invitation.revoked_at = None
        invitation.save(update_fields=["opens_at", "expires_at", "revoked_at", "updated_at"])
    record_event(
        actor=by,
        action="measures.invitation_created" if created else "measures.invitation_reopened",
        target=invitation,
    )
    return invitation


@dataclass(frozen=True)
class Saved:
    response: Response
    alert: SafeguardingAlert | None
    invitation_complete: bool


def missing_required(instrument_id: str, answers: Sequence[Answer]) -> list[str]:
    instrument = get_instrument(instrument_id)
    return [item.id for item in instrument.items if item.required and answers[item.position - 1] is None]


@transaction.atomic
def save_answers(
    *,
    invitation: Invitation,
    instrument_id: str,
    answers: Sequence[Answer],
    send: bool,
    by: User | None,
    mode: str = ResponseMode.ONLINE,
    answered_on: date | None = None,
    now: datetime | None = None,
) -> Saved:
    """Keep one questionnaire's answers; with `send`, score it and close it for good.

    Online answers must answer every required item before they are sent; a paper form is entered as
    it came back, gaps and all, and the instrument's missing-item rule decides what can be scored.
    """
    now = now or timezone.now()
    check_date(answered_on, HAPPENED, field="answered_on", today=timezone.localdate(now))
    invitation = Invitation.objects.select_for_update().select_related("wave").get(pk=invitation.pk)
    check_usable(invitation, mode=mode, now=now)
    if not invitation.wave.asks(instrument_id):
        raise ValidationError(f"{instrument_id} is not part of this wave.")
    instrument = get_instrument(instrument_id)
    padded = [*answers, *[None] * (len(instrument.items) - len(answers))]
    try:
        answers = check_answers(instrument, padded)
    except AnswerError as error:
        raise ValidationError(str(error)) from error
    response, _ = Response.objects.select_for_update().get_or_create(
        invitation=invitation,
        instrument=instrument_id,
        defaults={
            "person_id": invitation.person_id,
            "cohort_id": invitation.cohort_id,
            "wave_id": invitation.wave_id,
            "instrument_version": instrument.version,
        },
    )
    if response.status == ResponseStatus.SUBMITTED:
        raise AlreadySent
    if send and mode == ResponseMode.ONLINE and (missing := missing_required(instrument_id, answers)):
        raise ValidationError({f"item_{item}": "Please choose an answer." for item in missing})
    response.answers = answers
    response.mode = mode
    response.entered_by = by if by is not None and by.is_authenticated else None
    response.instrument_version = instrument.version
    if send:
        result = score(instrument, answers)
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
        response.answered_on = answered_on or timezone.localdate(now)
        response.complete = result.complete
        response.scores = {scale: value for scale, value in result.scores.items()}
        response.bands = dict(result.bands)
        response.flags = list(result.flags)
        response.prorated = list(result.prorated)
        flags = list(result.flags)
    else:
        # A draft has not reached its later items yet, so only answers given can raise a flag.
        unanswered = {rule.unanswered_flag for rule in instrument.risk_rules}
        flags = [flag for flag in risk_flags(instrument, answers) if flag not in unanswered]
    # Field checks only: the foreign keys and constraints are the database's to enforce, and checking
    # them here would cost a query each on every page saved.
    response.full_clean(
        exclude=["invitation", "person", "cohort", "wave", "entered_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    response.save()
    record_event(
        actor=by,
        action="measures.response_sent" if send else "measures.response_saved",
        target=response,
        detail={"instrument": instrument_id, "mode": mode, "invitation": str(invitation.uuid)},
    )
    alert = safeguarding.raise_alert(response=response, flags=flags, now=now) if flags else None
    complete = send and finish_if_complete(invitation, now=now)
    return Saved(response=response, alert=alert, invitation_complete=complete)


def check_usable(invitation: Invitation, *, mode: str, now: datetime) -> None:
    """The link stops at completion or expiry; staff may still enter a paper form that came back late."""
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation was withdrawn.")
    if mode != ResponseMode.ONLINE:
        return
    if invitation.completed_at is not None:
        raise AlreadySent
    if not invitation.in_window(now):
        raise ValidationError("This link is not open now.")


def online_instruments(wave: Wave) -> list[str]:
    """The wave's questionnaires a person can answer through the link: those whose wording we may show.
    The others are paper only, entered by staff."""
    return [i for i in wave.instruments if answerable_online(i)]


def finish_if_complete(invitation: Invitation, *, now: datetime) -> bool:
    """The link is used up once every questionnaire it can show has been sent."""
    if invitation.completed_at is not None:
        return False
    sent = set(invitation.responses.submitted().values_list("instrument", flat=True))
    online = online_instruments(invitation.wave)
    if not online or not set(online) <= sent:
        return False
    invitation.completed_at = now
    invitation.save(update_fields=["completed_at", "updated_at"])
    record_event(actor=None, action="measures.invitation_completed", target=invitation)
    return True


def next_instrument(invitation: Invitation) -> str | None:
    """The first questionnaire the link can show that is not yet sent, or None when all are."""
    sent = set(invitation.responses.submitted().values_list("instrument", flat=True))
    return next((i for i in online_instruments(invitation.wave) if i not in sent), None)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User | None, now: datetime | None = None) -> None:
    invitation.revoked_at = now or timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    record_event(actor=by, action="measures.invitation_revoked", target=invitation)
