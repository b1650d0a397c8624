"""Trial pages: access → form → service → render or redirect. Evaluators design and analyse,
convenors screen and allocate, the statistician alone sees the secret (trials/access.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.trials import flow, services
from carecommons.trials.access import (
    TrialAccess,
    get_participant,
    get_programme_for_trial,
    get_report,
    get_trial_for_user,
    may_design_trials,
    may_use_trials,
    programmes_for_trials,
    trials_visible_to,
)
from carecommons.trials.forms import (
    CohortAllocationForm,
    DiscontinueForm,
    PlanForm,
    ScreeningForm,
    TrialForm,
    initial_from,
)
from carecommons.trials.models import SAP_FIELDS, AllocationUnit, ReportStatus, Trial, TrialStatus
from carecommons.trials.people import cohorts_to_allocate, participant_rows
from carecommons.trials.sequence import described, verification


def _detail(access: TrialAccess) -> HttpResponse:
    return redirect("trials:trial_detail", trial_id=access.trial.uuid)


@login_required
def trial_list(request: AuthedRequest) -> HttpResponse:
    if not may_use_trials(request.user):
        raise Http404
    context = {"trials": trials_visible_to(request.user), "may_design": may_design_trials(request.user)}
    return render(request, "trials/trial_list.html", context)


@login_required
def choose_programme(request: AuthedRequest) -> HttpResponse:
    if not may_design_trials(request.user):
        raise Http404
    context = {"programmes": programmes_for_trials(request.user)}
    return render(request, "trials/choose_programme.html", context)


@login_required
def trial_create(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_trial(request.user, programme_id)
    form = TrialForm(post_data(request), programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            trial = create_once(
                key=form.cleaned_data.get("submission"),
                user=request.user,
                model=Trial,
                create=lambda: services.create_trial(by=request.user, design=form.design(), plan={}),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The trial was defined. Write its analysis plan next.")
            return redirect("trials:trial_detail", trial_id=trial.uuid)
    return render(request, "trials/trial_form.html", {"form": form, "programme": programme, "trial": None})


@login_required
def trial_edit(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, design=True)
    trial = access.trial
    form = TrialForm(post_data(request), programme=trial.programme, initial=initial_from(trial))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_design(trial=trial, by=request.user, design=form.design())
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The design was changed.")
            return _detail(access)
    context = {"form": form, "programme": trial.programme, "trial": trial}
    return render(request, "trials/trial_form.html", context)


@login_required
def trial_detail(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id)
    trial = access.trial
    shown_flow = flow.flow_for(trial, blinded=access.blinded)
    hidden = not access.evaluator
    context = {
        "access": access,
        "trial": trial,
        "arms": trial.arms.all(),
        "factors": trial.factors.all(),
        "outcomes": trial.outcomes.select_related("wave"),
        "questions": trial.eligibility_questions.all(),
        "plan": [(label, getattr(trial, name)) for name, label in SAP_FIELDS],
        "changes": trial.plan_changes.select_related("changed_by"),
        "consort_svg": flow.svg(shown_flow, hidden=hidden),
        "consort_rows": flow.rows(shown_flow, hidden=hidden),
        "consort_problems": flow.problems(shown_flow),
        "reports": trial.reports.select_related("requested_by")[:5],
        "test_count": trial.participants.on_list("test").count(),
        "cluster": trial.unit == AllocationUnit.COHORT,
        "setting_up": trial.status == TrialStatus.SETTING_UP,
        "recruiting": trial.status == TrialStatus.RECRUITING,
    }
    record_event(actor=request.user, action="trial.viewed", target=trial)
    return render(request, "trials/trial_detail.html", context)


@login_required
def plan_edit(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, design=True)
    trial = access.trial
    initial = {name: getattr(trial, name) for name, _ in SAP_FIELDS}
    form = PlanForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_plan(
                trial=trial, by=request.user, plan=form.plan(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The analysis plan was saved.")
            return _detail(access)
    return render(request, "trials/plan_form.html", {"form": form, "trial": trial})


@dataclass(frozen=True)
class Step:
    """A step of the trial's life that cannot be undone: asked first, then done by its service."""

    title: str
    consequences: tuple[str, ...]
    yes: str
    act: Callable[..., object]
    done: str


def confirmed_step(step: Step) -> Callable[[AuthedRequest, UUID], HttpResponse]:
    @login_required
    def view(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
        access = get_trial_for_user(request.user, trial_id, design=True)
        if not is_confirmed(request):
            confirmation = Confirmation(
                title=step.title.format(title=access.trial.title),
                consequences=step.consequences,
                yes=step.yes,
                back_url=reverse("trials:trial_detail", args=[access.trial.uuid]),
            )
            return confirm_page(request, confirmation)
        try:
            step.act(trial=access.trial, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, step.done)
        return _detail(access)

    return view


plan_lock = confirmed_step(
    Step(
        title="Lock the analysis plan of “{title}”?",
        consequences=(
            "The plan and the design are fingerprinted (SHA-256) with today's date and time.",
            "The arms' names are then shown in analyses instead of A and B.",
            "Any later change to the plan needs a reason and is listed in the report as a deviation.",
        ),
        yes="Yes, lock the plan",
        act=services.lock_plan,
        done="The plan is locked.",
    )
)
open_live = confirmed_step(
    Step(
        title="Open the live allocation list of “{title}”?",
        consequences=(
            "From now on screening and allocation count: every allocation is kept for good.",
            "The design can no longer be changed.",
            "Test allocations stay apart and never count in the analysis.",
        ),
        yes="Yes, open the live list",
        act=services.open_live_list,
        done="The live list is open.",
    )
)
close_recruitment = confirmed_step(
    Step(
        title="Close recruitment to “{title}”?",
        consequences=("Nobody more can be screened or allocated. Follow-up and the report go on.",),
        yes="Yes, close recruitment",
        act=services.close_recruitment,
        done="Recruitment is closed.",
    )
)
clear_test_list = confirmed_step(
    Step(
        title="Clear the test list of “{title}”?",
        consequences=("Every test screening and test allocation is deleted. The live list is untouched.",),
        yes="Yes, clear the test list",
        act=services.clear_test_list,
        done="The test list was cleared.",
    )
)


@login_required
def participant_list(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id)
    list_name = request.GET.get("list", access.trial.current_list)
    if list_name not in ("test", "live"):
        list_name = access.trial.current_list
    context = {
        "access": access,
        "trial": access.trial,
        "list_name": list_name,
        "rows": participant_rows(access, list_name),
        "cohorts": cohorts_to_allocate(access) if access.convenor else [],
    }
    record_event(actor=request.user, action="trial.people_viewed", target=access.trial)
    return render(request, "trials/participant_list.html", context)


@login_required
def screen(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, enrol=True)
    trial = access.trial
    form = ScreeningForm(post_data(request), trial=trial)
    if request.method == "POST" and form.is_valid():
        enrolment = form.chosen()
        try:
            participant = services.screen_person(
                trial=trial,
                by=request.user,
                person=enrolment.person,
                cohort=enrolment.cohort,
                answers=form.answers(),
                levels=form.levels(),
                declined=form.cleaned_data["declined"],
                other=form.cleaned_data["other"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(
                request, f"{enrolment.person} was screened: {participant.get_screening_display()}."
            )
            return redirect("trials:participant_detail", trial_id=trial.uuid, participant_id=participant.uuid)
    record_event(actor=request.user, action="trial.screening_form_viewed", target=trial)
    return render(request, "trials/screen_form.html", {"form": form, "trial": trial})


@login_required
def participant_detail(request: AuthedRequest, trial_id: UUID, participant_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, enrol=True)
    participant = get_participant(access, participant_id)
    allocation = getattr(participant, "allocation", None)
    context = {
        "access": access,
        "trial": access.trial,
        "participant": participant,
        "allocation": allocation,
        "blockers": services.allocation_blockers(participant) if allocation is None else [],
        "cluster": access.trial.unit == AllocationUnit.COHORT,
    }
    record_event(actor=request.user, action="trial.participant_viewed", target=participant)
    return render(request, "trials/participant_detail.html", context)


@login_required
def allocate(request: AuthedRequest, trial_id: UUID, participant_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, enrol=True)
    participant = get_participant(access, participant_id)
    back = reverse("trials:participant_detail", args=[access.trial.uuid, participant.uuid])
    if not is_confirmed(request):
        confirmation = Confirmation(
            title=f"Allocate {participant.person} now?",
            consequences=[
                "The next place in their stratum's sequence is taken and shown to you once it is theirs.",
                "An allocation can never be changed or taken back.",
            ],
            yes="Yes, allocate",
            back_url=back,
        )
        return confirm_page(request, confirmation)
    try:
        allocation = services.allocate(participant=participant, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{participant.person} is allocated to: {allocation.arm.name}.")
    return redirect(back)


@login_required
def discontinue(request: AuthedRequest, trial_id: UUID, participant_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, enrol=True)
    participant = get_participant(access, participant_id)
    form = DiscontinueForm(post_data(request), initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.discontinue(
                participant=participant,
                by=request.user,
                on=form.cleaned_data["on"],
                because=form.cleaned_data["because"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(
                request, "Recorded. They stay in the analysis of the arm they were allocated to."
            )
            return redirect(
                "trials:participant_detail", trial_id=access.trial.uuid, participant_id=participant.uuid
            )
    context = {"form": form, "trial": access.trial, "participant": participant}
    return render(request, "trials/discontinue_form.html", context)


@login_required
def cohort_allocate(request: AuthedRequest, trial_id: UUID, cohort_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, enrol=True)
    cohort = next((c for c in cohorts_to_allocate(access) if c.cohort.uuid == cohort_id), None)
    if cohort is None:
        raise Http404
    form = CohortAllocationForm(post_data(request), trial=access.trial)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocate_cohort(
                trial=access.trial, cohort=cohort.cohort, levels=form.levels(), by=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"{cohort.cohort.name} is allocated to: {allocation.arm.name}.")
            return redirect("trials:participant_list", trial_id=access.trial.uuid)
    context = {"form": form, "trial": access.trial, "cohort": cohort.cohort}
    return render(request, "trials/cohort_allocate.html", context)


@login_required
def sequence(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, statistician=True)
    context = {
        "trial": access.trial,
        "secret": access.trial.secret,
        "method": described(access.trial),
        "rows": verification(access.trial),
    }
    record_event(actor=request.user, action="trial.secret_viewed", target=access.trial)
    return render(request, "trials/sequence.html", context)


@login_required
def report_request(request: AuthedRequest, trial_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id, design=True)
    if request.method != "POST":
        return _detail(access)
    report = services.request_report(trial=access.trial, by=request.user)
    return redirect("trials:report_detail", trial_id=access.trial.uuid, report_id=report.uuid)


@login_required
def report_detail(request: AuthedRequest, trial_id: UUID, report_id: UUID) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id)
    report = get_report(access, report_id)
    waiting = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    context = {"access": access, "trial": access.trial, "report": report, "waiting": waiting}
    template = (
        "trials/report_progress.html" if request.headers.get("HX-Request") else "trials/report_detail.html"
    )
    return render(request, template, context)


def _report_file(request: AuthedRequest, trial_id: UUID, report_id: UUID, kind: str) -> HttpResponse:
    access = get_trial_for_user(request.user, trial_id)
    report = get_report(access, report_id)
    if report.status != ReportStatus.READY:
        raise Http404
    full = access.full_report
    record_event(
        actor=request.user, action="trial.report_read", target=report, detail={"kind": kind, "full": full}
    )
    name = f"evaluation-report-{report.created_at:%Y-%m-%d}{'' if full else '-shared'}"
    if kind == "pdf":
        body = bytes(report.pdf if full else report.pdf_shared)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return HttpResponse(report.html if full else report.html_shared, content_type="text/html; charset=utf-8")


@login_required
def report_html(request: AuthedRequest, trial_id: UUID, report_id: UUID) -> HttpResponse:
    return _report_file(request, trial_id, report_id, "html")


@login_required
def report_pdf(request: AuthedRequest, trial_id: UUID, report_id: UUID) -> HttpResponse:
    return _report_file(request, trial_id, report_id, "pdf")
