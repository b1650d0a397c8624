"""Answering questionnaires through a private link, the support page anyone can open, and the staff
side: who has answered in a cohort, sending a link again, and entering a paper form.

A link that has expired or been withdrawn answers 410 Gone with a plain page and never shows or
takes answers; a link whose questionnaires are all sent shows the thank-you page (200).
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.calendars.emails import address_of
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import AuthedRequest, post_data
from carecommons.lib.once import create_once
from carecommons.measures import safeguarding, services, tasks
from carecommons.measures.access import (
    alert_for_link,
    cohort_answer_statuses,
    cohort_invitations,
    cohort_members,
    get_cohort_member,
    get_cohort_wave,
    get_invitation_by_token,
    get_invitation_for_staff,
    invitation_of,
    invitation_token,
    programme_waves,
    response_to,
)
from carecommons.measures.answer_forms import AnswerForm, InviteForm, PaperForm
from carecommons.measures.definitions import get_instrument
from carecommons.measures.deployment import wording_for
from carecommons.measures.models import (
    COMPLETE,
    EXPIRED,
    NOT_OPEN,
    Invitation,
    ResponseMode,
    ResponseStatus,
    Wave,
    last_moment,
)
from carecommons.measures.schema import Instrument
from carecommons.measures.scoring import Answer
from carecommons.people.consent import decisions, said_yes
from carecommons.people.models import ConsentPurpose, Person
from carecommons.programmes.access import get_cohort_for_user
from carecommons.programmes.models import Cohort

SIGNPOST_KEY = "measures.signpost"
GONE = 410


# --- The person's side -------------------------------------------------------------------------


def crisis_services() -> list[dict[str, str]]:
    """settings.CRISIS_SIGNPOSTING with a dialable number for each contact that is a phone number."""
    found = []
    for service in settings.CRISIS_SIGNPOSTING:
        contact = str(service.get("contact", ""))
        digits = re.sub(r"[^\d+]", "", contact)
        found.append(
            {
                "name": str(service.get("name", "")),
                "contact": contact,
                "detail": str(service.get("detail", "")),
                "tel": digits if len(digits) >= 3 and "@" not in contact else "",
            }
        )
    return found


def flag_signposting(request: HttpRequest, invitation: Invitation) -> None:
    """Remember, for the very next page only, that the person gave an answer someone will follow up.
    Kept in the session rather than the address so nothing about it shows in browser history."""
    request.session[SIGNPOST_KEY] = str(invitation.uuid)


def take_signposting(request: HttpRequest, invitation: Invitation) -> bool:
    if request.session.get(SIGNPOST_KEY) == str(invitation.uuid):
        del request.session[SIGNPOST_KEY]
        return True
    return False


@dataclass(frozen=True)
class Step:
    instrument: Instrument
    online: bool
    status: str  # "sent", "saved", "new" or "paper"


def steps_for(invitation: Invitation) -> list[Step]:
    statuses = dict(invitation.responses.values_list("instrument", "status"))
    online = set(services.online_instruments(invitation.wave))
    steps = []
    for instrument_id in invitation.wave.instruments:
        status = statuses.get(instrument_id)
        if status == ResponseStatus.SUBMITTED:
            label = "sent"
        elif instrument_id not in online:
            label = "paper"
        else:
            label = "saved" if status == ResponseStatus.DRAFT else "new"
        steps.append(Step(get_instrument(instrument_id), instrument_id in online, label))
    return steps


def link_context(
    request: HttpRequest, invitation: Invitation, *, signposting: bool = False
) -> dict[str, Any]:
    shown = take_signposting(request, invitation) or signposting
    return {
        "invitation": invitation,
        "token": invitation_token(invitation),
        "wave": invitation.wave,
        "cohort": invitation.cohort,
        "programme": invitation.wave.programme,
        "closes": invitation.last_day,
        "signposting": shown,
        "follow_up": shown,
        "crisis": crisis_services(),
    }


def closed_page(request: HttpRequest, invitation: Invitation, state: str) -> HttpResponse:
    status = 200 if state == NOT_OPEN else GONE
    context = {
        **link_context(request, invitation),
        "state": state,
        "opens": timezone.localtime(invitation.opens_at),
    }
    return render(request, "measures/answer_closed.html", context, status=status)


def next_page(invitation: Invitation) -> str:
    token = invitation_token(invitation)
    invitation.refresh_from_db(fields=["completed_at"])
    following = services.next_instrument(invitation)
    if invitation.completed_at is not None or following is None:
        return reverse("measures:answer_done", args=[invitation.uuid, token])
    return reverse("measures:answer_instrument", args=[invitation.uuid, token, following])


@never_cache
def answer_start(request: HttpRequest, invitation_id: UUID, token: str) -> HttpResponse:
    invitation = get_invitation_by_token(invitation_id, token)
    state = invitation.link_state(timezone.now())
    if state == COMPLETE:
        return redirect("measures:answer_done", invitation.uuid, token)
    if state is not None:
        return closed_page(request, invitation, state)
    steps = steps_for(invitation)
    decided = decisions(invitation.person)
    following = next((step for step in steps if step.online and step.status != "sent"), None)
    context = {
        **link_context(request, invitation),
        "steps": steps,
        "online_count": sum(1 for step in steps if step.online),
        "paper_count": sum(1 for step in steps if step.status == "paper"),
        "next": following,
        "started": any(step.status in ("sent", "saved") for step in steps),
        "shares_with_facilitators": said_yes(decided.get(ConsentPurpose.PROGRAMME)),
        "research": said_yes(decided.get(ConsentPurpose.RESEARCH)),
    }
    return render(request, "measures/answer_start.html", context)


@never_cache
def answer_instrument(request: HttpRequest, invitation_id: UUID, token: str, instrument: str) -> HttpResponse:
    invitation = get_invitation_by_token(invitation_id, token)
    online = services.online_instruments(invitation.wave)
    if instrument not in online:
        raise Http404
    state = invitation.link_state(timezone.now())
    if state == COMPLETE:
        messages.info(request, "These answers were sent already, so nothing was changed.")
        return redirect("measures:answer_done", invitation.uuid, token)
    if state is not None:
        return closed_page(request, invitation, state)
    definition, wording = get_instrument(instrument), wording_for(instrument)
    assert wording is not None  # online_instruments() lists only instruments with wording
    response = response_to(invitation, instrument)
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        messages.info(
            request, f"Your {definition.short_name} answers were sent already, so nothing was changed."
        )
        return redirect(next_page(invitation))
    if request.method == "POST":
        form = AnswerForm(definition, wording, request.POST)
        send = request.POST.get("action") == "send"
        if form.is_valid():
            outcome = save_online(request, invitation, definition, form, send=send)
            if outcome is not None:
                return outcome
    else:
        initial = AnswerForm.initial_from(definition, response.answers) if response else {}
        form = AnswerForm(definition, wording, initial=initial)
        if response is not None:
            record_event(actor=request.user, action="measures.draft_reopened", target=response)
    context = {
        **link_context(request, invitation),
        "definition": definition,
        "wording": wording,
        "form": form,
        "missing": [q for q in form.questions if q.field.errors],
        "position": online.index(instrument) + 1,
        "total": len(online),
    }
    return render(request, "measures/answer_instrument.html", context)


def save_online(
    request: HttpRequest, invitation: Invitation, definition: Instrument, form: AnswerForm, *, send: bool
) -> HttpResponse | None:
    """Save or send one questionnaire; None when the form has to be shown again with its errors."""
    answers = form.answers()
    by = request.user if isinstance(request.user, User) else None
    try:
        saved = services.save_answers(
            invitation=invitation, instrument_id=definition.id, answers=answers, send=send, by=by
        )
    except services.AlreadySent:
        messages.info(
            request, f"Your {definition.short_name} answers were sent already, so nothing was changed."
        )
        return redirect(next_page(invitation))
    except ValidationError as error:
        apply_form_errors(form, error)
        if send and hasattr(error, "error_dict"):
            keep_as_draft(request, invitation, definition, answers, by)
        return None
    if saved.alert is not None:
        flag_signposting(request, invitation)
    if send:
        messages.success(request, f"Thank you. Your {definition.short_name} answers are sent.")
        return redirect(next_page(invitation))
    answered = sum(1 for answer in answers if answer is not None)
    closes = invitation.last_day
    messages.success(
        request,
        f"Your {definition.short_name} answers are saved: {answered} of {len(answers)} questions answered. "
        f"Come back with the same link to finish, any time before {closes:%-d %B %Y}.",
    )
    return redirect("measures:answer_start", invitation.uuid, invitation_token(invitation))


def keep_as_draft(
    request: HttpRequest,
    invitation: Invitation,
    definition: Instrument,
    answers: list[Answer],
    by: User | None,
) -> None:
    """A send refused for unanswered questions still keeps what was chosen, as saved answers: nothing
    is lost if the person stops here, and an answer someone should follow up is not missed."""
    try:
        saved = services.save_answers(
            invitation=invitation, instrument_id=definition.id, answers=answers, send=False, by=by
        )
    except (services.AlreadySent, ValidationError):
        return
    if saved.alert is not None:
        flag_signposting(request, invitation)


@never_cache
def answer_done(request: HttpRequest, invitation_id: UUID, token: str) -> HttpResponse:
    invitation = get_invitation_by_token(invitation_id, token)
    state = invitation.link_state(timezone.now())
    if state is not None and state != COMPLETE:
        return closed_page(request, invitation, state)
    steps = steps_for(invitation)
    if state is None and any(step.online and step.status != "sent" for step in steps):
        return redirect("measures:answer_start", invitation.uuid, token)
    alert = alert_for_link(invitation)
    context = {
        **link_context(request, invitation, signposting=alert is not None),
        "steps": steps,
        "sent": [step for step in steps if step.status == "sent"],
        "paper": [step for step in steps if step.status == "paper"],
        "follow_up": alert is not None and alert.closed_at is None,
    }
    return render(request, "measures/answer_done.html", context)


def signposting(request: HttpRequest) -> HttpResponse:
    return render(request, "measures/signposting.html", {"crisis": crisis_services()})


# --- The staff side ----------------------------------------------------------------------------


@dataclass
class PaperAction:
    instrument: Instrument
    key: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass
class Row:
    person: Person
    status: str
    invitation: Invitation | None = None
    can_send: bool = False
    paper: list[PaperAction] = field(default_factory=list)
    key: uuid.UUID = field(default_factory=uuid.uuid4)


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
        instruments = [get_instrument(i) for i in wave.instruments]
        rows = []
        for person in members:
            invitation = invitations.get((wave.pk, person.pk))
            done = sent[invitation.pk] if invitation else set()
            row = Row(
                person=person,
                invitation=invitation,
                status=status_of(
                    invitation, done, invitation is not None and invitation.pk in started, wave, now
                ),
            )
            usable = invitation is None or invitation.revoked_at is None
            if opens <= now and usable:
                row.can_send = invitation is None or invitation.completed_at is None
                row.paper = [PaperAction(i) for i in instruments if i.id not in done]
            rows.append(row)
        last = last_moment(closes)
        blocks.append(WaveBlock(wave, opens, last, opens <= now, instruments, rows))
    return blocks


@login_required
def cohort_measures(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, run=True)
    blocks = wave_blocks(cohort, timezone.now())
    record_event(actor=request.user, action="measures.cohort_status_viewed", target=cohort)
    context = {"cohort": cohort, "programme": cohort.programme, "blocks": blocks}
    return render(request, "measures/cohort_measures.html", context)


@login_required
@require_POST
def invite_person(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, run=True)
    back = redirect("measures:cohort_measures", cohort.uuid)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work. Please use the buttons on this page.")
        return back
    wave = get_cohort_wave(cohort, form.cleaned_data["wave"])
    person = get_cohort_member(cohort, form.cleaned_data["person"])
    paper = form.cleaned_data["paper"]
    if paper and paper not in wave.instruments:
        raise Http404
    if paper:
        invitation = create_once(
            key=form.cleaned_data["submission"],
            user=request.user,
            model=Invitation,
            create=lambda: services.invite_now(wave=wave, cohort=cohort, person=person, by=request.user),
        )
        return redirect("measures:paper_entry", invitation.uuid, paper)
    name = person.display_name
    existing = invitation_of(wave, cohort, person)
    if existing is not None and existing.completed_at is not None:
        messages.info(request, f"{name} has already sent these answers, so no link was sent.")
        return back
    if not services.online_instruments(wave):
        messages.info(
            request, f"The {wave.label.lower()} questionnaires are on paper only: enter {name}'s forms."
        )
        return back
    if not address_of(person):
        messages.error(request, f"{name} has no email address, so no link was sent. Give them a paper form.")
        return back

    def invite_and_email() -> Invitation:
        invitation = services.invite_now(wave=wave, cohort=cohort, person=person, by=request.user)
        transaction.on_commit(partial(tasks.send_invitation.enqueue, invitation.pk))
        return invitation

    create_once(
        key=form.cleaned_data["submission"], user=request.user, model=Invitation, create=invite_and_email
    )
    messages.success(request, f"A link to the {wave.label.lower()} questionnaires is on its way to {name}.")
    return back


def response_keys(definition: Instrument, wording: Any) -> list[tuple[str, list[tuple[int, str]]]]:
    """What each number means, once per response set, for the paper form's key."""
    used = {item.response_set.id: item.response_set for item in definition.items}
    return [
        (set_id, [(value, wording.label(set_id, value) if wording else "") for value in response_set.values])
        for set_id, response_set in used.items()
    ]


@login_required
@never_cache
def paper_entry(request: AuthedRequest, invitation_id: UUID, instrument: str) -> HttpResponse:
    invitation = get_invitation_for_staff(request.user, invitation_id)
    if instrument not in invitation.wave.instruments:
        raise Http404
    definition, wording = get_instrument(instrument), wording_for(instrument)
    response = response_to(invitation, instrument)
    context: dict[str, Any] = {
        "invitation": invitation,
        "cohort": invitation.cohort,
        "person": invitation.person,
        "definition": definition,
        "wording": wording,
        "keys": response_keys(definition, wording),
    }
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        alert = safeguarding.alert_for_response(response)
        return render(request, "measures/paper_entry.html", {**context, "done": response, "alert": alert})
    form = PaperForm(definition, wording, post_data(request), initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_answers(
                invitation=invitation,
                instrument_id=instrument,
                answers=form.answers(),
                send=True,
                by=request.user,
                mode=ResponseMode.PAPER,
                answered_on=form.cleaned_data["answered_on"],
            )
        except services.AlreadySent:
            messages.info(request, "This form was entered already, so nothing was changed.")
            return redirect("measures:paper_entry", invitation.uuid, instrument)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(
                request, f"{definition.short_name} paper form saved for {invitation.person.display_name}."
            )
            if saved.alert is not None:
                messages.warning(
                    request,
                    "Some answers on this form mean someone should get in touch with this person. "
                    "A safeguarding follow-up has been opened and the safeguarding leads have been told.",
                )
            return redirect("measures:paper_entry", invitation.uuid, instrument)
    record_event(actor=request.user, action="measures.paper_entry_viewed", target=invitation)
    return render(request, "measures/paper_entry.html", {**context, "form": form})
