from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.learningsets import services
from carecommons.learningsets.access import get_meeting_for_user, get_set_for_user, sets_visible_to
from carecommons.learningsets.forms import (
    AddMemberForm,
    LearningSetForm,
    MeetingForms,
    RemoveMemberForm,
    people_without_a_set,
)
from carecommons.learningsets.models import (
    MAX_MEMBERS,
    ActionCommitment,
    LearningSet,
    Presentation,
    SetMeeting,
    SetMembership,
)
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form, create_once, made_before
from carecommons.programmes.access import can_run, get_cohort_for_user


def presentations_with_actions() -> Prefetch:
    return Prefetch(
        "presentations",
        queryset=Presentation.objects.select_related("presenter").prefetch_related(
            Prefetch("actions", queryset=ActionCommitment.objects.select_related("reviewed_at_meeting"))
        ),
    )


@login_required
def set_list(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    sets = (
        sets_visible_to(request.user)
        .filter(cohort=cohort)
        .select_related("facilitator")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=SetMembership.objects.select_related("person").order_by(
                    "person__sort_key", "person_id"
                ),
            )
        )
        .annotate(meeting_count=Count("meetings"), last_met=Max("meetings__held_at"))
    )
    context = {"cohort": cohort, "sets": sets, "can_run": can_run(request.user, cohort)}
    record_event(actor=request.user, action="learningset.list_viewed", target=cohort)
    return render(request, "learningsets/set_list.html", context)


@login_required
def set_create(request: AuthedRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id, run=True)
    if (formed := made_before(post_data(request), request.user, LearningSet)) is not None:
        return redirect("learningsets:set_detail", set_id=formed.uuid)
    form = LearningSetForm(post_data(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            learning_set = create_from_form(
                form,
                request.user,
                LearningSet,
                lambda data: services.create_learning_set(cohort=cohort, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"The set “{learning_set.name}” was formed.")
            return redirect("learningsets:set_detail", set_id=learning_set.uuid)
    context = {"form": form, "cohort": cohort, "anyone_free": people_without_a_set(cohort).exists()}
    return render(request, "learningsets/set_form.html", context)


@login_required
def set_detail(request: AuthedRequest, set_id: UUID) -> HttpResponse:
    learning_set = get_set_for_user(request.user, set_id)
    meetings = list(learning_set.meetings.prefetch_related(presentations_with_actions()))
    open_actions = [
        (presentation, action)
        for meeting in meetings
        for presentation in meeting.presentations.all()
        for action in presentation.actions.all()
        if action.status == ActionStatus.OPEN
    ]
    context = {
        "learning_set": learning_set,
        "members": learning_set.members(),
        "meetings": meetings,
        "open_actions": open_actions,
        "can_run": can_run(request.user, learning_set.cohort),
    }
    record_event(actor=request.user, action="learningset.viewed", target=learning_set)
    return render(request, "learningsets/set_detail.html", context)


@login_required
def set_members(request: AuthedRequest, set_id: UUID) -> HttpResponse:
    learning_set = get_set_for_user(request.user, set_id, run=True)
    members = learning_set.members()
    posted = post_data(request)
    add_form = AddMemberForm(posted if posted and "add" in posted else None, cohort=learning_set.cohort)
    remove_form = RemoveMemberForm(posted if posted and "remove" in posted else None, members=members)
    for form, change, done in (
        (add_form, services.add_member, "{} joined the set."),
        (remove_form, services.remove_member, "{} left the set."),
    ):
        if form.is_bound and form.is_valid():
            person = form.cleaned_data["person"]
            try:
                change(learning_set=learning_set, person=person, by=request.user)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, done.format(person.display_name))
                return redirect("learningsets:set_members", set_id=learning_set.uuid)
    context = {
        "learning_set": learning_set,
        "members": members,
        "add_form": add_form,
        "remove_form": remove_form,
        "max_members": MAX_MEMBERS,
        "anyone_free": people_without_a_set(learning_set.cohort).exists(),
    }
    record_event(actor=request.user, action="learningset.members_viewed", target=learning_set)
    return render(request, "learningsets/set_members.html", context)


@login_required
def meeting_create(request: AuthedRequest, set_id: UUID) -> HttpResponse:
    learning_set = get_set_for_user(request.user, set_id, run=True)
    members = learning_set.members()
    open_actions = list(
        learning_set.action_commitments()
        .still_open()
        .select_related("presentation__meeting", "presentation__presenter")
        .order_by("presentation__meeting__held_at", "presentation__position", "id")
    )
    data = post_data(request)
    if data is not None and "add_presenter" in data:
        forms = MeetingForms.with_another_row(data, members=members, open_actions=open_actions)
    else:
        forms = MeetingForms.build(data, members=members, open_actions=open_actions)
        if data is not None and forms.is_valid():
            try:
                meeting = create_once(
                    key=forms.meeting.cleaned_data["submission_key"],
                    user=request.user,
                    model=SetMeeting,
                    create=lambda: services.record_meeting(
                        learning_set=learning_set,
                        held_at=forms.meeting.cleaned_data["held_at"],
                        notes=forms.meeting.cleaned_data["notes"],
                        presentations=forms.presentation_inputs(),
                        reviews=forms.action_reviews(),
                        by=request.user,
                    ),
                )
                if meeting.learning_set_id != learning_set.pk:
                    raise ValidationError("This form was already used for another set. Start a new form.")
            except ValidationError as error:
                apply_form_errors(forms.meeting, error)
            else:
                messages.success(request, "The meeting was saved.")
                return redirect("learningsets:meeting_detail", meeting_id=meeting.uuid)
    context = {
        "learning_set": learning_set,
        "forms": forms,
        "can_add_row": len(forms.presentations.forms) < min(MAX_MEMBERS, members.count()),
    }
    return render(request, "learningsets/meeting_form.html", context)


@login_required
def meeting_detail(request: AuthedRequest, meeting_id: UUID) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    presentations = meeting.presentations.select_related("presenter").prefetch_related("actions")
    followed_up = meeting.reviewed_actions.select_related(
        "presentation__presenter", "presentation__meeting"
    ).order_by("presentation__meeting__held_at", "presentation__position", "id")
    context = {
        "meeting": meeting,
        "learning_set": meeting.learning_set,
        "presentations": presentations,
        "followed_up": followed_up,
        "can_run": can_run(request.user, meeting.learning_set.cohort),
    }
    record_event(actor=request.user, action="learningset.meeting_viewed", target=meeting)
    return render(request, "learningsets/meeting_detail.html", context)
