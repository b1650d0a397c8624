from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.calendars import ics
from carecommons.decisions import services
from carecommons.decisions.access import (
    DecisionAccess,
    decisions_of,
    get_decision_for_user,
    get_group_decisions_for_user,
    is_member,
    issues_and_themes,
    members_to_record,
    outcome_of,
    session_for,
    steps_to_carry,
)
from carecommons.decisions.forms import (
    BallotForm,
    OutcomeForm,
    OutsideAdviceForm,
    ProposeForm,
    RecordForm,
    ResolveForm,
    initial_from,
    rows_for,
)
from carecommons.decisions.kinds import load_kinds
from carecommons.decisions.models import Decision, Results
from carecommons.decisions.results import shown
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form


def here(found: DecisionAccess) -> str:
    return reverse("decisions:decision_detail", args=[found.decision.group.uuid, found.decision.uuid])


@login_required
def decision_list(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    member = get_group_decisions_for_user(request.user, group_id)
    decisions = (
        decisions_of(member)
        .select_related("outcome")
        .annotate(
            voters=Count("participations"),
            you_voted=Exists(member.person.decision_participations.filter(decision=OuterRef("pk"))),
            still_open=Q(closed_at__isnull=True),
        )
        .order_by("-still_open", "closes_at", "-closed_at", "id")
    )
    kinds = load_kinds()
    rows = [(d, kinds[d.kind].words.name) for d in decisions]
    record_event(actor=request.user, action="decisions.list_viewed", target=member.group)
    return render(request, "decisions/decision_list.html", {"group": member.group, "rows": rows})


@login_required
def propose(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    member = get_group_decisions_for_user(request.user, group_id)
    session = session_for(member, request.GET.get("session"))
    context = {"group": member.group, "kinds": load_kinds().values(), "session": session}
    return render(request, "decisions/propose.html", context)


@login_required
def decision_create(request: AuthedRequest, group_id: UUID, kind: str) -> HttpResponse:
    member = get_group_decisions_for_user(request.user, group_id)
    kinds = load_kinds()
    if kind not in kinds:
        raise Http404
    session = session_for(member, request.GET.get("session"))
    issues, themes = issues_and_themes(member)
    steps = steps_to_carry(member)
    rows = rows_for(kinds[kind], request.GET.get("rows"))
    form = ProposeForm(
        post_data(request), kind=kinds[kind], issues=issues, themes=themes, steps=steps, rows=rows
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = create_from_form(
                form,
                request.user,
                Decision,
                lambda data: services.open_decision(
                    group=member.group,
                    person=member.person,
                    by=request.user,
                    kind=kind,
                    session=session,
                    **form.settings(),
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"“{decision.title}” is open for votes.")
            return redirect(
                "decisions:decision_detail", group_id=member.group.uuid, decision_id=decision.uuid
            )
    more = request.GET.copy()
    more["rows"] = str(kinds[kind].most_options)
    context = {
        "group": member.group,
        "kind": kinds[kind],
        "form": form,
        "session": session,
        "more_rows": f"?{more.urlencode()}" if rows < kinds[kind].most_options else None,
    }
    return render(request, "decisions/decision_form.html", context)


def results_visible(found: DecisionAccess, voted: bool) -> bool:
    decision = found.decision
    return decision.closed_at is not None or (decision.results == Results.AFTER_VOTE and voted)


def page_context(request: AuthedRequest, found: DecisionAccess, form: Any) -> dict[str, Any]:
    decision, kind, person = found.decision, found.kind, found.member.person
    options = list(decision.options.select_related("issue", "theme"))
    labels = {o.key: o.label for o in options}
    named = not decision.anonymous
    participations = (
        list(decision.participations.select_related("person", "recorded_by__person")) if named else []
    )
    voted = decision.participations.filter(person=person).exists()
    result = None
    if results_visible(found, voted):
        outcome = outcome_of(decision) if decision.closed_at else None
        result = shown(outcome.result if outcome else services.live_count(decision), kind, labels)
    reasons = (
        list(decision.ballots.exclude(reason="").select_related("person").order_by("person__sort_key", "id"))
        if result is not None and (named or decision.closed_at)
        else []
    )
    return {
        "group": decision.group,
        "decision": decision,
        "kind": kind,
        "found": found,
        "options": options,
        "form": form,
        "voted": voted,
        "result": result,
        "outcome": getattr(decision, "outcome", None) if decision.closed_at else None,
        "participations": participations,
        "turnout": decision.participations.count(),
        "reasons": reasons,
        # Objections are raised to be talked through and resolved, so every member sees them (consent
        # is never anonymous), whether or not results are showing yet.
        "objections": list(
            decision.ballots.filter(objection__isnull=False).select_related("objection", "person")
        )
        if kind.blocks_until_resolved
        else [],
        "advice": list(decision.advice.select_related("person")) if kind.key == "advice" else [],
        "still_open": decision.closed_at is None and decision.closes_at > timezone.now(),
        "step": decision.handover_step,
        # Initiatives sit above decisions: the page links to their form by URL name only.
        "starts_initiatives": is_member(found.member),
    }


def ballot_form(found: DecisionAccess, data: Any, person: Any) -> BallotForm:
    decision, kind = found.decision, found.kind
    initial: dict[str, Any] = {}
    if data is None and decision.closed_at is None:
        own = services.own_ballot(decision, person)
        if own is not None:
            keys = dict(decision.options.values_list("id", "key"))
            marks = {keys[m.option_id]: m.value for m in own.marks.order_by("value", "option__position")}
            initial = initial_from(kind, marks, own.reason)
        elif kind.key == "advice":
            given = decision.advice.filter(person=person).first()
            initial = {"reason": given.text} if given else {}
    return BallotForm(
        data, kind=kind, options=list(decision.options.all()), dots=decision.dots, initial=initial
    )


@login_required
def decision_detail(request: AuthedRequest, group_id: UUID, decision_id: UUID) -> HttpResponse:
    found = get_decision_for_user(request.user, group_id, decision_id)
    decision, person = found.decision, found.member.person
    data = post_data(request)
    if not is_member(found.member):
        if data is not None:
            raise Http404  # convening staff run decisions and never vote: no ballot to post
        record_event(actor=request.user, action="decisions.viewed", target=decision)
        return render(request, "decisions/decision_detail.html", page_context(request, found, None))
    form = ballot_form(found, data, person)
    if data is not None and form.is_valid():
        try:
            if found.kind.key == "advice":
                services.give_advice(
                    decision=decision, by=request.user, person=person, text=form.cleaned_data["reason"]
                )
            else:
                services.cast_vote(decision=decision, person=person, by=request.user, **form.ballot())
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Your vote is in. You can change it until the decision closes.")
            return redirect(here(found))
    record_event(actor=request.user, action="decisions.viewed", target=decision)
    return render(request, "decisions/decision_detail.html", page_context(request, found, form))


@login_required
def vote_record(request: AuthedRequest, group_id: UUID, decision_id: UUID) -> HttpResponse:
    found = get_decision_for_user(request.user, group_id, decision_id)
    if not found.can_record_here:
        raise Http404
    decision = found.decision
    people = members_to_record(decision)
    data = post_data(request)
    if found.kind.key == "advice":
        who: Any = None
        form: Any = OutsideAdviceForm(data)
    else:
        who = RecordForm(data, members=people)
        form = BallotForm(data, kind=found.kind, options=list(decision.options.all()), dots=decision.dots)
    if data is not None and form.is_valid() and (who is None or who.is_valid()):
        try:
            if who is None:
                services.give_advice(decision=decision, by=request.user, **form.cleaned_data)
            else:
                services.cast_vote(
                    decision=decision,
                    person=who.cleaned_data["person"],
                    by=request.user,
                    method=who.cleaned_data["method"],
                    **form.ballot(),
                )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Recorded, marked as recorded by you.")
            return redirect("decisions:vote_record", group_id=decision.group.uuid, decision_id=decision.uuid)
    record_event(actor=request.user, action="decisions.record_viewed", target=decision)
    context = {"group": decision.group, "decision": decision, "kind": found.kind, "who": who, "form": form}
    return render(request, "decisions/vote_record.html", context)


@login_required
def decision_close(request: AuthedRequest, group_id: UUID, decision_id: UUID) -> HttpResponse:
    found = get_decision_for_user(request.user, group_id, decision_id, run=True)
    decision = found.decision
    if decision.closed_at is not None:
        return redirect(here(found))
    if is_confirmed(request):
        try:
            services.close_decision(decision=decision, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(here(found))
        messages.success(request, "Closed and counted. Now say what the group decided.")
        return redirect("decisions:outcome_state", group_id=decision.group.uuid, decision_id=decision.uuid)
    consequences = [
        "Nobody can vote or change a vote after this.",
        "The votes are counted once, and the count is kept.",
    ]
    if decision.anonymous:
        consequences.append("The key that let members find their own anonymous ballot is deleted.")
    confirmation = Confirmation(
        title=f"Close “{decision.title}” now?",
        consequences=consequences,
        yes="Yes, close and count",
        back_url=here(found),
    )
    return confirm_page(request, confirmation)


@login_required
def outcome_state(request: AuthedRequest, group_id: UUID, decision_id: UUID) -> HttpResponse:
    found = get_decision_for_user(request.user, group_id, decision_id, run=True)
    decision = found.decision
    outcome = outcome_of(decision)
    if outcome is None:
        return redirect(here(found))
    initial = {"statement": outcome.statement, "review_on": outcome.review_on}
    form = OutcomeForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.state_outcome(decision=decision, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The outcome is stated.")
            return redirect(here(found))
    return render(
        request, "decisions/outcome_form.html", {"group": decision.group, "decision": decision, "form": form}
    )


@login_required
def objection_resolve(
    request: AuthedRequest, group_id: UUID, decision_id: UUID, objection_id: UUID
) -> HttpResponse:
    found = get_decision_for_user(request.user, group_id, decision_id, run=True)
    decision = found.decision
    ballot = (
        decision.ballots.filter(objection__uuid=objection_id).select_related("objection", "person").first()
    )
    if ballot is None:
        raise Http404
    form = ResolveForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_objection(objection=ballot.objection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The objection is marked resolved.")
            return redirect(here(found))
    context = {"group": decision.group, "decision": decision, "ballot": ballot, "form": form}
    return render(request, "decisions/objection_resolve.html", context)


@login_required
def decision_ics(request: AuthedRequest, group_id: UUID, decision_id: UUID) -> HttpResponse:
    found = get_decision_for_user(request.user, group_id, decision_id)
    decision = found.decision
    outcome = outcome_of(decision)
    winner = outcome.result.get("winner") if outcome and found.kind.makes_calendar else None
    slot = decision.options.filter(key=winner).first() if winner else None
    if slot is None or slot.starts_at is None or slot.ends_at is None:
        raise Http404
    event = ics.Event(
        uid=f"decision-{decision.uuid}@carecommons",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=decision.title,
        stamp=outcome.updated_at if outcome else timezone.now(),
        description=decision.group.name,
    )
    response = HttpResponse(ics.calendar([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="chosen-time.ics"'
    return response
