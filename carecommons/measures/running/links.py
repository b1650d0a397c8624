"""What a person's private link shows and does: where they are with each questionnaire, which comes
next, what they have agreed to share, answering a page, and sending a link again."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from carecommons.accounts.models import User
from carecommons.measures import tasks
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.models import COMPLETE, Invitation, ResponseStatus, Wave
from carecommons.measures.running import services
from carecommons.people.consent import decisions, said_yes
from carecommons.people.models import ConsentPurpose, Person
from carecommons.programmes.models import Cohort

# Where a person is with one questionnaire of their link (Step.status).
SENT, SAVED, NEW, PAPER = "sent", "saved", "new", "paper"


@dataclass(frozen=True)
class Step:
    instrument: Instrument
    online: bool
    status: str  # SENT, SAVED, NEW or PAPER


@dataclass(frozen=True)
class Steps:
    """Every questionnaire of a link, in the order the wave asks them."""

    all: list[Step]

    @property
    def next(self) -> Step | None:
        """The first questionnaire the person can still answer online."""
        return next((step for step in self.all if step.online and step.status != SENT), None)

    @property
    def started(self) -> bool:
        return any(step.status in (SENT, SAVED) for step in self.all)

    @property
    def online_count(self) -> int:
        return sum(1 for step in self.all if step.online)

    @property
    def sent(self) -> list[Step]:
        return [step for step in self.all if step.status == SENT]

    @property
    def paper(self) -> list[Step]:
        return [step for step in self.all if step.status == PAPER]


def steps_for(invitation: Invitation) -> Steps:
    statuses = dict(invitation.responses.values_list("instrument", "status"))
    online = set(services.online_instruments(invitation.wave))
    steps = []
    for instrument_id in invitation.wave.instruments:
        status = statuses.get(instrument_id)
        if status == ResponseStatus.SUBMITTED:
            label = SENT
        elif instrument_id not in online:
            label = PAPER
        else:
            label = SAVED if status == ResponseStatus.DRAFT else NEW
        steps.append(Step(get_instrument(instrument_id), instrument_id in online, label))
    return Steps(steps)


def ready_for_thanks(state: str | None, steps: Steps) -> bool:
    """The thank-you page waits until every questionnaire the link can show is sent, unless the link
    is used up already (`state` is the invitation's link state)."""
    return state == COMPLETE or steps.next is None


def next_to_answer(invitation: Invitation) -> str | None:
    """After a page is sent: the next questionnaire the link can show, or None when there is none
    left or the link is used up (then the thank-you page). Reads the invitation's completion afresh,
    since sending the page may have just completed it."""
    invitation.refresh_from_db(fields=["completed_at"])
    if invitation.completed_at is not None:
        return None
    return services.next_instrument(invitation)


@dataclass(frozen=True)
class Sharing:
    """What the person has agreed to, as the start page tells them (never asked is not a yes)."""

    with_facilitators: bool
    for_research: bool


def sharing_of(person: Person) -> Sharing:
    decided = decisions(person)
    return Sharing(
        with_facilitators=said_yes(decided.get(ConsentPurpose.PROGRAMME)),
        for_research=said_yes(decided.get(ConsentPurpose.RESEARCH)),
    )


@dataclass(frozen=True)
class Answered:
    """What came of one page of answers given through the link."""

    saved: services.Saved | None  # None when the page was refused
    refused: ValidationError | None
    follow_up: bool  # an answer someone will follow up was kept, by the page or by its kept draft


def answer_online(
    *, invitation: Invitation, instrument_id: str, answers: Sequence[Answer], send: bool, by: User | None
) -> Answered:
    """Save or send one questionnaire from the link. A send refused for unanswered questions still
    keeps what was chosen, as saved answers: nothing is lost if the person stops there, and an answer
    someone should follow up is not missed. Not one transaction: the refused send is rolled back
    whole, then the draft is kept in its own. Raises services.AlreadySent for answers sent before."""
    try:
        saved = services.save_answers(
            invitation=invitation, instrument_id=instrument_id, answers=answers, send=send, by=by
        )
    except ValidationError as error:
        kept = (
            keep_as_draft(invitation, instrument_id, answers, by)
            if send and hasattr(error, "error_dict")
            else None
        )
        return Answered(saved=None, refused=error, follow_up=kept is not None and kept.alert is not None)
    return Answered(saved=saved, refused=None, follow_up=saved.alert is not None)


def keep_as_draft(
    invitation: Invitation, instrument_id: str, answers: Sequence[Answer], by: User | None
) -> services.Saved | None:
    try:
        return services.save_answers(
            invitation=invitation, instrument_id=instrument_id, answers=answers, send=False, by=by
        )
    except (services.AlreadySent, ValidationError):
        return None


# Why no link is sent again (why_no_link); None when one may be.
ALREADY_ANSWERED, PAPER_ONLY, NO_EMAIL = "already_answered", "paper_only", "no_email"


def why_no_link(*, wave: Wave, invitation: Invitation | None, person: Person) -> str | None:
    """A link is sent again only to someone who has not finished, for a wave with questionnaires
    answerable online, to an email address we hold. `invitation` is theirs for the wave, if any."""
    if invitation is not None and invitation.completed_at is not None:
        return ALREADY_ANSWERED
    if not services.online_instruments(wave):
        return PAPER_ONLY
    if not person.mail_address:
        return NO_EMAIL
    return None


@transaction.atomic
def send_link(*, wave: Wave, cohort: Cohort, person: Person, by: User | None) -> Invitation:
    """An invitation usable from now, and its email queued for once the invitation is saved."""
    invitation = services.invite_now(wave=wave, cohort=cohort, person=person, by=by)
    transaction.on_commit(partial(tasks.send_invitation.enqueue, invitation.pk))
    return invitation
