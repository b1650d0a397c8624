"""The staff overview of a cohort's questionnaires: where each person is with each wave, in words
(never an answer or a score), and what staff may do for them now."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from carecommons.measures.access import (
    cohort_answer_statuses,
    cohort_invitations,
    cohort_members,
    programme_waves,
)
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.models import EXPIRED, Invitation, ResponseStatus, Wave, last_moment
from carecommons.measures.running import services
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort


@dataclass
class PaperAction:
    instrument: Instrument
    key: uuid.UUID = field(default_factory=uuid.uuid4)  # the once-only key of the button's form


@dataclass
class Row:
    person: Person
    status: str
    invitation: Invitation | None = None
    can_send: bool = False
    paper: list[PaperAction] = field(default_factory=list)
    key: uuid.UUID = field(default_factory=uuid.uuid4)  # the once-only key of "send a link"


@dataclass
class WaveBlock:
    wave: Wave
    opens: datetime
    last_day: datetime
    opened: bool
    instruments: list[Instrument]
    rows: list[Row]


def status_of(invitation: Invitation | None, sent: set[str], started: bool, wave: Wave, now: datetime) -> str:
    """Where one person is with one wave, in words. Never an answer or a score."""
    if invitation is None:
        return "Not invited yet"
    if invitation.revoked_at is not None:
        return "Link withdrawn"
    progress = f"{len(sent)} of {len(wave.instruments)} sent"
    if invitation.completed_at is not None:
        return "Done" if len(sent) == len(wave.instruments) else f"Done online ({progress})"
    if invitation.link_state(now) == EXPIRED:
        return f"Link expired ({progress})"
    if sent or started:
        return f"In progress ({progress})"
    if invitation.sent_at is not None:
        return f"Invited, email sent {timezone.localtime(invitation.sent_at):%-d %b}"
    return "Invited, email not sent yet"


def may_send_link(invitation: Invitation | None, *, opened: bool) -> bool:
    """Once a wave has opened, a link may be sent to anyone not yet invited or not finished, unless
    their link was withdrawn."""
    return opened and (
        invitation is None or (invitation.revoked_at is None and invitation.completed_at is None)
    )


def paper_forms(
    invitation: Invitation | None, sent: set[str], instruments: list[Instrument], *, opened: bool
) -> list[Instrument]:
    """The questionnaires staff may enter from paper: once the wave has opened, those not yet sent,
    unless the person's link was withdrawn."""
    if not opened or (invitation is not None and invitation.revoked_at is not None):
        return []
    return [instrument for instrument in instruments if instrument.id not in sent]


def wave_blocks(cohort: Cohort, now: datetime) -> list[WaveBlock]:
    """Everyone's status in every wave, from four queries however many people and waves."""
    waves = programme_waves(cohort.programme_id)
    members = cohort_members(cohort)
    invitations = {(i.wave_id, i.person_id): i for i in cohort_invitations(cohort)}
    sent: dict[int, set[str]] = defaultdict(set)
    started: set[int] = set()
    for invitation_id, instrument, status in cohort_answer_statuses(cohort):
        if status == ResponseStatus.SUBMITTED:
            sent[invitation_id].add(instrument)
        else:
            started.add(invitation_id)
    blocks = []
    for wave in waves:
        opens, closes = services.window_for(wave, cohort)
        opened = opens <= now
        instruments = [get_instrument(i) for i in wave.instruments]
        rows = []
        for person in members:
            invitation = invitations.get((wave.pk, person.pk))
            done = sent[invitation.pk] if invitation else set()
            begun = invitation is not None and invitation.pk in started
            rows.append(
                Row(
                    person=person,
                    invitation=invitation,
                    status=status_of(invitation, done, begun, wave, now),
                    can_send=may_send_link(invitation, opened=opened),
                    paper=[PaperAction(i) for i in paper_forms(invitation, done, instruments, opened=opened)],
                )
            )
        blocks.append(WaveBlock(wave, opens, last_moment(closes), opened, instruments, rows))
    return blocks
