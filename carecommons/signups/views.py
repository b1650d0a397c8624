from dataclasses import dataclass, field
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form
from carecommons.lib.request_context import client_ip
from carecommons.lib.urls import absolute_url
from carecommons.programmes.access import get_cohort_for_user, is_convenor
from carecommons.programmes.models import Cohort, Enrolment, EnrolmentStatus, SignupQuestion
from carecommons.signups import services
from carecommons.signups.access import (
    get_enrolment_for_user,
    get_open_cohort,
    get_question,
    get_signup_cohort,
    open_cohorts,
)
from carecommons.signups.forms import (
    DecisionForm,
    OfferResponseForm,
    QuestionForm,
    SignupForm,
    signup_wordings,
)

S = EnrolmentStatus
SECTIONS = [
    (S.APPLIED, "Waiting for a decision"),
    (S.OFFERED, "Offered a freed place"),
    (S.WAITLISTED, "Waiting list, in order"),
    (S.ACCEPTED, "Accepted"),
    (S.DECLINED, "Declined"),
    (S.WITHDRAWN, "Withdrawn"),
]


def cohort_signup(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_signup_cohort(cohort_id)
    form = SignupForm(
        post_data(request),
        cohort=cohort,
        questions=list(cohort.questions.all()),
        wordings=signup_wordings(),
    )
    if request.method == "POST" and cohort.signup_open and form.is_valid():
        try:
            services.apply(cohort=cohort, ip=client_ip(request), **form.application())
        except ValidationError as error:
            apply_form_errors(form, error)
        except services.SignupClosed:
            cohort.refresh_from_db()
        else:
            return redirect("signups:signup_done", cohort_id=cohort.uuid)
    if not cohort.signup_open:
        return closed_signup(request, cohort, form)
    places_left = max(cohort.capacity - services.places_taken(cohort), 0)
    context = {"cohort": cohort, "programme": cohort.programme, "form": form, "places_left": places_left}
    return render(request, "signups/signup.html", context)


def closed_signup(request: HttpRequest, cohort: Cohort, form: SignupForm) -> HttpResponse:
    """What someone still typing when the sign-up closed sees: when it closed, what they typed (to
    copy, nothing is saved), and the programme's other cohorts still open for sign-up."""
    others = open_cohorts().filter(programme=cohort.programme)
    typed = []
    if request.method == "POST":
        for _, fields in form.groups():
            for field in fields:
                value = field.value()
                shown = ("Yes" if value else "No") if isinstance(value, bool) else str(value or "")
                typed.append((field.label, shown))
    context = {"cohort": cohort, "programme": cohort.programme, "typed": typed, "others": list(others)}
    return render(request, "signups/signup_closed.html", context)


def signup_done(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_open_cohort(cohort_id)
    return render(request, "signups/signup_done.html", {"cohort": cohort, "programme": cohort.programme})


def offer_response(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            form = OfferResponseForm(request.POST)
            if form.is_valid():
                accept = form.cleaned_data["choice"] == "accept"
                enrolment = services.respond_to_offer(token=token, accept=accept)
                return render(request, "signups/offer_answered.html", {"enrolment": enrolment})
        enrolment = services.open_offer(token=token)
    except services.OfferNotFound:
        return render(request, "signups/offer_gone.html", status=404)
    if enrolment.status != S.OFFERED:
        return render(request, "signups/offer_answered.html", {"enrolment": enrolment})
    return render(request, "signups/offer.html", {"enrolment": enrolment, "token": token})


@dataclass
class Row:
    enrolment: Enrolment
    answers: list[tuple[str, str]]
    decisions: list[tuple[str, str]] = field(default_factory=list)


def answers_shown(enrolment: Enrolment, questions: list[SignupQuestion]) -> list[tuple[str, str]]:
    shown = []
    for question in questions:
        answer = enrolment.answers.get(str(question.pk), "")
        if answer and question.kind == SignupQuestion.Kind.YES_NO:
            answer = answer.title()
        shown.append((question.text, answer or "—"))
    return shown


@login_required
def applications(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    questions = list(cohort.questions.all())
    enrolments = cohort.enrolments.select_related("person", "organisation")
    rows: dict[str, list[Row]] = {status: [] for status, _ in SECTIONS}
    for enrolment in enrolments.order_by("applied_at", "id"):
        row = Row(enrolment, answers_shown(enrolment, questions), services.decisions_for(enrolment.status))
        rows[enrolment.status].append(row)
    record_event(actor=request.user, action="signup.applications_viewed", target=cohort)
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "sections": [(status, title, rows[status]) for status, title in SECTIONS],
        "taken": len(rows[S.ACCEPTED]) + len(rows[S.OFFERED]),
        "waiting": len(rows[S.WAITLISTED]),
        "signup_url": absolute_url(reverse("signups:cohort_signup", args=[cohort.uuid]), request),
    }
    return render(request, "signups/applications.html", context)


@login_required
@require_POST
def decide(request: AuthedRequest, enrolment_id: UUID) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id, write=True)
    form = DecisionForm(request.POST)
    name = enrolment.person.display_name
    if not form.is_valid():
        messages.error(request, "Choose accept, waiting list or decline.")
    else:
        decision = form.cleaned_data["decision"]
        act = {"accept": services.accept, "waitlist": services.waitlist, "decline": services.decline}[
            decision
        ]
        try:
            act(enrolment=enrolment, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = {"accept": "accepted", "waitlist": "put on the waiting list", "decline": "declined"}
            messages.success(request, f"{name} was {done[decision]}. We have emailed them.")
    return redirect("signups:applications", cohort_id=enrolment.cohort.uuid)


@login_required
def questions(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    adding = request.method == "POST" and "remove" not in request.POST
    form = QuestionForm(request.POST if adding else None)
    if request.method == "POST" and not adding:
        question = get_question(cohort, request.POST.get("remove", ""))
        try:
            services.remove_question(question=question, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Question removed.")
        return redirect("signups:questions", cohort_id=cohort.uuid)
    if adding and form.is_valid():
        try:
            create_from_form(
                form,
                request.user,
                SignupQuestion,
                lambda data: services.add_question(cohort=cohort, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Question added to the sign-up page.")
            return redirect("signups:questions", cohort_id=cohort.uuid)
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "questions": cohort.questions.all(),
        "form": form,
    }
    return render(request, "signups/questions.html", context)


@login_required
def withdraw(request: AuthedRequest, enrolment_id: UUID) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    own = enrolment.person.user_id == request.user.pk
    staff = is_convenor(request.user)
    if request.method == "POST":
        try:
            services.withdraw(enrolment=enrolment, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "You have withdrawn. Thank you for letting us know."
                if own
                else f"{enrolment.person.display_name} has been withdrawn.",
            )
        if staff:
            return redirect("signups:applications", cohort_id=enrolment.cohort.uuid)
        return redirect("home:index")
    context = {"enrolment": enrolment, "own": own, "cohort": enrolment.cohort}
    return render(request, "signups/withdraw.html", context)
