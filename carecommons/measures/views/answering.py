"""Answering questionnaires through a private link, the support page anyone can open, and the staff
side: who has answered in a cohort, sending a link again, and entering a paper form. The rules live
in running/links.py (the person's side) and running/overview.py (the staff side).

A link that has expired or been withdrawn answers 410 Gone with a plain page and never shows or
takes answers; a link whose questionnaires are all sent shows the thank-you page (200).
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.measures.access import (
    alert_for_link,
    get_cohort_member,
    get_cohort_wave,
    get_invitation_by_token,
    get_invitation_for_staff,
    invitation_of,
    invitation_token,
    response_to,
)
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.engine.texts import response_keys
from carecommons.measures.models import COMPLETE, NOT_OPEN, Invitation, ResponseMode
from carecommons.measures.running import links, safeguarding, services
from carecommons.measures.running.answer_forms import AnswerForm, InviteForm, PaperForm
from carecommons.measures.running.deployment import wording_for
from carecommons.measures.running.overview import wave_blocks
from carecommons.measures.running.support import crisis_services
from carecommons.programmes.access import get_cohort_for_user

SIGNPOST_KEY = "measures.signpost"
GONE = 410


# --- The person's side -------------------------------------------------------------------------


def flag_signposting(request: HttpRequest, invitation: Invitation) -> None:
    """Remember, for the very next page only, that the person gave an answer someone will follow up.
    Kept in the session rather than the address so nothing about it shows in browser history."""
    request.session[SIGNPOST_KEY] = str(invitation.uuid)


def take_signposting(request: HttpRequest, invitation: Invitation) -> bool:
    if request.session.get(SIGNPOST_KEY) == str(invitation.uuid):
        del request.session[SIGNPOST_KEY]
        return True
    return False


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
    if (following := links.next_to_answer(invitation)) is None:
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
    steps = links.steps_for(invitation)
    sharing = links.sharing_of(invitation.person)
    context = {
        **link_context(request, invitation),
        "steps": steps.all,
        "online_count": steps.online_count,
        "paper_count": len(steps.paper),
        "next": steps.next,
        "started": steps.started,
        "shares_with_facilitators": sharing.with_facilitators,
        "research": sharing.for_research,
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
    if response is not None and response.is_sent:
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
        answered = links.answer_online(
            invitation=invitation, instrument_id=definition.id, answers=answers, send=send, by=by
        )
    except services.AlreadySent:
        messages.info(
            request, f"Your {definition.short_name} answers were sent already, so nothing was changed."
        )
        return redirect(next_page(invitation))
    if answered.follow_up:
        flag_signposting(request, invitation)
    if answered.refused is not None:
        apply_form_errors(form, answered.refused)
        return None
    if send:
        messages.success(request, f"Thank you. Your {definition.short_name} answers are sent.")
        return redirect(next_page(invitation))
    given = sum(1 for answer in answers if answer is not None)
    closes = invitation.last_day
    messages.success(
        request,
        f"Your {definition.short_name} answers are saved: {given} of {len(answers)} questions answered. "
        f"Come back with the same link to finish, any time before {closes:%-d %B %Y}.",
    )
    return redirect("measures:answer_start", invitation.uuid, invitation_token(invitation))


@never_cache
def answer_done(request: HttpRequest, invitation_id: UUID, token: str) -> HttpResponse:
    invitation = get_invitation_by_token(invitation_id, token)
    state = invitation.link_state(timezone.now())
    if state is not None and state != COMPLETE:
        return closed_page(request, invitation, state)
    steps = links.steps_for(invitation)
    if not links.ready_for_thanks(state, steps):
        return redirect("measures:answer_start", invitation.uuid, token)
    alert = alert_for_link(invitation)
    context = {
        **link_context(request, invitation, signposting=alert is not None),
        "steps": steps.all,
        "sent": steps.sent,
        "paper": steps.paper,
        "follow_up": alert is not None and alert.is_open,
    }
    return render(request, "measures/answer_done.html", context)


def signposting(request: HttpRequest) -> HttpResponse:
    return render(request, "measures/signposting.html", {"crisis": crisis_services()})


# --- The staff side ----------------------------------------------------------------------------


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
    if paper and not wave.asks(paper):
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
    refusal = links.why_no_link(wave=wave, invitation=invitation_of(wave, cohort, person), person=person)
    if refusal == links.ALREADY_ANSWERED:
        messages.info(request, f"{name} has already sent these answers, so no link was sent.")
        return back
    if refusal == links.PAPER_ONLY:
        messages.info(
            request, f"The {wave.label.lower()} questionnaires are on paper only: enter {name}'s forms."
        )
        return back
    if refusal == links.NO_EMAIL:
        messages.error(request, f"{name} has no email address, so no link was sent. Give them a paper form.")
        return back
    create_once(
        key=form.cleaned_data["submission"],
        user=request.user,
        model=Invitation,
        create=lambda: links.send_link(wave=wave, cohort=cohort, person=person, by=request.user),
    )
    messages.success(request, f"A link to the {wave.label.lower()} questionnaires is on its way to {name}.")
    return back


@login_required
@never_cache
def paper_entry(request: AuthedRequest, invitation_id: UUID, instrument: str) -> HttpResponse:
    invitation = get_invitation_for_staff(request.user, invitation_id)
    if not invitation.wave.asks(instrument):
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
    if response is not None and response.is_sent:
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
