from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form, create_once
from carecommons.people.models import Person
from carecommons.programmes import services, session_report
from carecommons.programmes.access import (
    can_run,
    cohorts_run_by,
    cohorts_visible_to,
    get_cohort_for_user,
    get_facilitator,
    get_material_for_user,
    get_programme_for_user,
    get_register_person,
    get_session_for_user,
    is_convenor,
    programmes_visible_to,
)
from carecommons.programmes.forms import (
    REGISTER_CHOICES,
    AttendanceForm,
    ClosingReportForm,
    CohortForm,
    EnrolForm,
    FacilitatorForm,
    MaterialForm,
    ProgrammeForm,
    SessionForm,
    SessionTemplateForm,
)
from carecommons.programmes.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Material,
    Programme,
    Session,
    SessionTemplate,
)

COHORTS_PER_PAGE = 50


@login_required
def programme_list(request: AuthedRequest) -> HttpResponse:
    programmes = programmes_visible_to(request.user).annotate(cohort_count=Count("cohorts")).order_by("name")
    context = {"programmes": programmes, "can_create": is_convenor(request.user)}
    return render(request, "programmes/programme_list.html", context)


@login_required
def programme_create(request: AuthedRequest) -> HttpResponse:
    if not is_convenor(request.user):
        raise Http404
    form = ProgrammeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        programme = create_from_form(
            form, request.user, Programme, lambda data: services.create_programme(by=request.user, **data)
        )
        messages.success(request, "Programme created. Add its curriculum and a first cohort.")
        return redirect("programmes:programme_detail", programme_id=programme.uuid)
    return render(request, "programmes/form.html", {"form": form, "heading": "New programme"})


@login_required
def programme_edit(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id, write=True)
    form = ProgrammeForm(post_data(request), instance=programme)
    if request.method == "POST" and form.is_valid():
        services.update_programme(programme=programme, by=request.user, **form.cleaned_data)
        messages.success(request, "Changes saved.")
        return redirect("programmes:programme_detail", programme_id=programme.uuid)
    return render(request, "programmes/form.html", {"form": form, "heading": f"Edit {programme.name}"})


@login_required
def programme_detail(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id)
    cohorts = (
        cohorts_visible_to(request.user).filter(programme=programme).order_by("-starts_on", "name", "id")
    )
    # A national programme runs hundreds of cohorts: a page of them at a time, newest first, with
    # the places taken counted for that page's cohorts alone.
    page = Paginator(cohorts, COHORTS_PER_PAGE).get_page(request.GET.get("page"))
    taken = dict(
        cohorts.filter(pk__in=[c.pk for c in page.object_list])
        .order_by()
        .annotate(n=Count("enrolments", filter=Q(enrolments__status__in=["accepted", "offered"])))
        .values_list("pk", "n")
    )
    for cohort in page.object_list:
        cohort.places_taken = taken.get(cohort.pk, 0)
    template_form = SessionTemplateForm()
    context = {
        "programme": programme,
        "partners": programme.partners.all(),
        "curriculum": programme.curriculum.all(),
        "cohorts": page.object_list,
        "page": page,
        "is_convenor": is_convenor(request.user),
        "can_see_dashboard": is_convenor(request.user)
        or cohorts_run_by(request.user).filter(programme=programme).exists(),
        "template_form": template_form,
    }
    return render(request, "programmes/programme_detail.html", context)


@login_required
@require_POST
def curriculum_add(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id, write=True)
    form = SessionTemplateForm(request.POST)
    if form.is_valid():
        create_from_form(
            form,
            request.user,
            SessionTemplate,
            lambda data: services.add_session_template(programme=programme, by=request.user, **data),
        )
        messages.success(request, "Added to the curriculum.")
        return redirect("programmes:programme_detail", programme_id=programme.uuid)
    return render(
        request, "programmes/form.html", {"form": form, "heading": f"Add to {programme.name}'s curriculum"}
    )


@login_required
def cohort_create(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id, write=True)
    form = CohortForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        cohort = create_from_form(
            form,
            request.user,
            Cohort,
            lambda data: services.create_cohort(programme=programme, by=request.user, **data),
        )
        messages.success(request, "Cohort created.")
        return redirect("programmes:cohort_detail", cohort_id=cohort.uuid)
    return render(
        request, "programmes/form.html", {"form": form, "heading": f"New cohort of {programme.name}"}
    )


@login_required
def cohort_edit(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    form = CohortForm(post_data(request), instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cohort(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("programmes:cohort_detail", cohort_id=cohort.uuid)
    return render(request, "programmes/form.html", {"form": form, "heading": f"Edit {cohort.name}"})


@login_required
def cohort_detail(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    runs = can_run(request.user, cohort)
    if runs:
        record_event(actor=request.user, action="cohort.members_viewed", target=cohort)
    members = (
        cohort.enrolments.filter(status=EnrolmentStatus.ACCEPTED)
        .select_related("person", "organisation")
        .order_by("person__sort_key")
        if runs
        else cohort.enrolments.none()
    )
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "sessions": cohort.sessions.all(),
        "facilitators": cohort.facilitator_links.select_related("person"),
        "members": members,
        "places_taken": cohort.enrolments.holding_places().count(),
        "runs": runs,
        "is_convenor": is_convenor(request.user),
        "facilitator_form": FacilitatorForm(),
        "enrol_form": EnrolForm(),
    }
    return render(request, "programmes/cohort_detail.html", context)


@login_required
def facilitator_add(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    form = FacilitatorForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        services.add_facilitator(
            cohort=cohort,
            person=form.cleaned_data["email"],
            lived_experience_leader=form.cleaned_data["lived_experience_leader"],
            by=request.user,
        )
        messages.success(request, "Facilitator added.")
        return redirect("programmes:cohort_detail", cohort_id=cohort.uuid)
    return render(
        request, "programmes/form.html", {"form": form, "heading": f"Add a facilitator to {cohort.name}"}
    )


@login_required
@require_POST
def facilitator_remove(request: AuthedRequest, cohort_id: UUID, person_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    person = get_facilitator(cohort, person_id)
    services.remove_facilitator(cohort=cohort, person=person, by=request.user)
    messages.success(request, "Facilitator removed.")
    return redirect("programmes:cohort_detail", cohort_id=cohort.uuid)


@login_required
def enrol_add(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    form = EnrolForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_to_cohort(cohort=cohort, person=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Added to the cohort.")
            return redirect("programmes:cohort_detail", cohort_id=cohort.uuid)
    return render(request, "programmes/form.html", {"form": form, "heading": f"Add someone to {cohort.name}"})


@login_required
def session_create(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, write=True)
    form = SessionForm(post_data(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        session = create_from_form(
            form,
            request.user,
            Session,
            lambda data: services.schedule_session(cohort=cohort, by=request.user, **data),
        )
        messages.success(request, "Session scheduled.")
        return redirect("programmes:session_detail", session_id=session.uuid)
    return render(
        request, "programmes/form.html", {"form": form, "heading": f"Schedule a session for {cohort.name}"}
    )


@login_required
def session_edit(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, write=True)
    initial = {field: getattr(session, field) for field in services.SESSION_FIELDS}
    initial["template"] = session.template
    form = SessionForm(post_data(request), cohort=session.cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("template")
        data.pop("submission")
        services.update_session(session=session, by=request.user, **data)
        messages.success(request, "Changes saved. If the time changed, the cohort has been told.")
        return redirect("programmes:session_detail", session_id=session.uuid)
    return render(request, "programmes/form.html", {"form": form, "heading": f"Edit {session.title}"})


@login_required
@require_POST
def session_cancel(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, write=True)
    services.cancel_session(session=session, by=request.user)
    messages.success(request, "Session cancelled. The cohort has been told.")
    return redirect("programmes:session_detail", session_id=session.uuid)


@login_required
def session_detail(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    context = {
        "session": session,
        "cohort": session.cohort,
        "materials": session.materials.all(),
        "facilitators": session.facilitators.all(),
        "runs": can_run(request.user, session.cohort),
        "is_convenor": is_convenor(request.user),
        "plugged_in": session_report.page_links(request.user, session),
    }
    return render(request, "programmes/session_detail.html", context)


def register_rows(session: Session) -> list[tuple[Person, Attendance | None]]:
    marks = {a.person_id: a for a in session.attendances.all()}
    return [(person, marks.get(person.pk)) for person in services.register_people(session)]


def register_counts(rows: list[tuple[Person, Attendance | None]]) -> dict[str, int]:
    return {status: sum(1 for _, m in rows if m and m.status == status) for status in AttendanceStatus.values}


@login_required
def register(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, run=True)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            person = get_register_person(session, form.cleaned_data["person"])
            choice = form.cleaned_data["status"]
            try:
                attendance = services.record_attendance(
                    session=session,
                    person=person,
                    status=AttendanceStatus.ATTENDED if choice == "late" else choice,
                    late=choice == "late",
                    by=request.user,
                )
            except ValidationError:
                raise Http404 from None
            if request.htmx:
                # The tapped row, and the totals swapped in out of band so they change too.
                context = {
                    "session": session,
                    "person": person,
                    "mark": attendance,
                    "statuses": REGISTER_CHOICES,
                    "counts": register_counts(register_rows(session)),
                }
                return render(request, "programmes/register_tap.html", context)
            return redirect(f"{request.path}#person-{person.uuid}")
    rows = register_rows(session)
    counts = register_counts(rows)
    context = {"session": session, "rows": rows, "statuses": REGISTER_CHOICES, "counts": counts}
    record_event(actor=request.user, action="session.register_viewed", target=session)
    return render(request, "programmes/register.html", context)


@login_required
def closing_report(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, run=True)
    initial = {
        "notes": session.notes,
        "reflections": session.reflections,
        "follow_ups": session.follow_ups,
        "complete": session.report_completed_at is not None,
    }
    form = ClosingReportForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_closing_report(session=session, by=request.user, **form.cleaned_data)
        messages.success(request, "Closing report saved.")
        return redirect("programmes:session_detail", session_id=session.uuid)
    came = (
        session.attendances.filter(status=AttendanceStatus.ATTENDED)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__enrolments",
                queryset=Enrolment.objects.filter(cohort_id=session.cohort_id).select_related("organisation"),
            )
        )
        .order_by("person__sort_key")
    )
    organisations = sorted(
        {e.organisation.name for a in came for e in a.person.enrolments.all() if e.organisation is not None}  # type: ignore[attr-defined]
    )
    context = {
        "session": session,
        "form": form,
        "came": came,
        "organisations": organisations,
        "plugged_in": session_report.report_lines(session),
    }
    record_event(actor=request.user, action="session.report_viewed", target=session)
    return render(request, "programmes/closing_report.html", context)


@login_required
def material_add(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, run=True)
    form = MaterialForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_once(
                key=form.cleaned_data["submission"],
                user=request.user,
                model=Material,
                create=lambda: services.add_material(
                    session=session,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Material added.")
            return redirect("programmes:session_detail", session_id=session.uuid)
    context = {"form": form, "heading": f"Add material to {session.title}", "multipart": True}
    return render(request, "programmes/form.html", context)


@login_required
def material_download(request: AuthedRequest, material_id: UUID) -> FileResponse:
    material = get_material_for_user(request.user, material_id)
    response = FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1]
    )
    response["Content-Type"] = material.content_type
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def material_remove(request: AuthedRequest, material_id: UUID) -> HttpResponse:
    material = get_material_for_user(request.user, material_id, run=True)
    services.remove_material(material=material, by=request.user)
    messages.success(request, "Material removed.")
    return redirect("programmes:session_detail", session_id=material.session.uuid)
