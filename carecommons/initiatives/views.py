"""Pages of a group's initiatives: access → form → service → render or redirect. Whoever reaches
the group reads them; every page that writes loads with `write=True`, members only."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.decisions.models import Decision
from carecommons.finances.figures import budgets_with_actuals
from carecommons.finances.models import Budget
from carecommons.initiatives import services
from carecommons.initiatives.access import (
    InitiativeAccess,
    books_of,
    decision_shown,
    decision_to_start_from,
    get_action_for_user,
    get_group_initiatives_for_user,
    get_initiative_for_user,
    get_need_for_user,
    may_write,
    sees_books,
)
from carecommons.initiatives.forms import (
    ActionForm,
    FollowUpForm,
    InitiativeForm,
    NeedForm,
    StatusForm,
    UpdateForm,
)
from carecommons.initiatives.models import (
    Initiative,
    InitiativeAction,
    InitiativeNeed,
    InitiativeUpdate,
    InitiativeVolunteer,
    NeedKind,
)
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form


def _detail(reach: InitiativeAccess) -> HttpResponse:
    return redirect(
        "initiatives:initiative_detail",
        group_id=reach.standing.group.uuid,
        initiative_id=reach.initiative.uuid,
    )


@login_required
def initiative_list(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    standing = get_group_initiatives_for_user(request.user, group_id)
    open_actions = Q(actions__status=ActionStatus.OPEN)
    initiatives = standing.group.initiatives.annotate(
        member_count=Count("members", distinct=True),
        open_actions=Count("actions", filter=open_actions, distinct=True),
        next_due=Min("actions__due_on", filter=open_actions),
    ).order_by("title", "id")
    record_event(actor=request.user, action="initiatives.list_viewed", target=standing.group)
    context = {"group": standing.group, "initiatives": initiatives, "may_write": may_write(standing)}
    return render(request, "initiatives/initiative_list.html", context)


@login_required
def initiative_create(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    standing = get_group_initiatives_for_user(request.user, group_id, write=True)
    group, today = standing.group, timezone.localdate()
    decision = decision_to_start_from(standing, request.GET.get("decision"))
    initial = starting_from(decision) if decision is not None else None
    form = InitiativeForm(
        post_data(request), group=group, today=today, starter=standing.person, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative = create_from_form(
                form,
                request.user,
                Initiative,
                lambda data: services.start_initiative(
                    group=group,
                    by=request.user,
                    starter=standing.person,
                    today=today,
                    decision=decision,
                    **data,
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"The initiative “{initiative.title}” was started.")
            return redirect(
                "initiatives:initiative_detail", group_id=group.uuid, initiative_id=initiative.uuid
            )
    context = {"group": group, "form": form, "decision": decision}
    return render(request, "initiatives/initiative_form.html", context)


def starting_from(decision: Decision) -> dict[str, str]:
    """The decision's title, and its outcome statement (or its title) as a first purpose."""
    outcome = getattr(decision, "outcome", None)
    statement = outcome.statement if outcome is not None else ""
    return {"title": decision.title, "purpose": statement or decision.title}


@dataclass(frozen=True)
class BudgetLine:
    """A need's budget line beside what was spent on its category in its period."""

    budget: Budget
    spent: int

    @property
    def left(self) -> int:
        return self.budget.amount_pence - self.spent


def budget_lines(
    request: AuthedRequest, reach: InitiativeAccess, needs: list[InitiativeNeed]
) -> dict[int, BudgetLine]:
    """The linked budget lines with their figures, by need, for a viewer who may see the group's
    money (empty otherwise): three queries at most, whatever the number of needs."""
    if not any(need.budget_id for need in needs):
        return {}
    books = books_of(reach.standing.group)
    if books is None or not sees_books(request.user, reach.standing, books):
        return {}
    spent = {budget.pk: actual for budget, actual in budgets_with_actuals(books)}
    return {
        need.pk: BudgetLine(need.budget, spent.get(need.budget.pk, 0))
        for need in needs
        if need.budget is not None
    }


@login_required
def initiative_detail(request: AuthedRequest, group_id: UUID, initiative_id: UUID) -> HttpResponse:
    reach = get_initiative_for_user(request.user, group_id, initiative_id)
    initiative = reach.initiative
    needs = list(
        initiative.needs.select_related("budget__category").prefetch_related(
            Prefetch("volunteers", queryset=InitiativeVolunteer.objects.select_related("person"))
        )
    )
    volunteered = {
        need.pk
        for need in needs
        for answer in need.volunteers.all()
        if answer.person_id == reach.standing.person.pk
    }
    lines = budget_lines(request, reach, needs)
    context = {
        "group": reach.standing.group,
        "initiative": initiative,
        "members": initiative.members.order_by("sort_key", "id"),
        "is_member": initiative.members.filter(pk=reach.standing.person.pk).exists(),
        "themes": initiative.themes.all(),
        "issues": initiative.issues.order_by("title", "id"),
        "assets": initiative.assets.all(),
        "actions": initiative.actions.select_related("owner"),
        "updates": initiative.updates.select_related("author"),
        "needs": [(need, lines.get(need.pk)) for need in needs],
        "may_write": may_write(reach.standing),
        "volunteered": volunteered,
        "people_kind": NeedKind.PEOPLE,
        "open": ActionStatus.OPEN,
        "decision": decision_shown(reach.standing, initiative),
    }
    record_event(actor=request.user, action="initiatives.viewed", target=initiative)
    return render(request, "initiatives/initiative_detail.html", context)


@login_required
def initiative_status(request: AuthedRequest, group_id: UUID, initiative_id: UUID) -> HttpResponse:
    reach = get_initiative_for_user(request.user, group_id, initiative_id, write=True)
    form = StatusForm(post_data(request), initial={"status": reach.initiative.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(
                initiative=reach.initiative, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The status was changed.")
            return _detail(reach)
    return render(
        request,
        "initiatives/status_form.html",
        {"group": reach.standing.group, "initiative": reach.initiative, "form": form},
    )


@login_required
def initiative_join(request: AuthedRequest, group_id: UUID, initiative_id: UUID) -> HttpResponse:
    reach = get_initiative_for_user(request.user, group_id, initiative_id, write=True)
    if not is_confirmed(request):
        back = reverse("initiatives:initiative_detail", args=[group_id, initiative_id])
        return confirm_page(
            request,
            Confirmation(
                title=f"Join “{reach.initiative.title}”",
                consequences=["You will be listed among its members, and can be given its actions."],
                yes="Yes, join it",
                back_url=back,
            ),
        )
    try:
        services.join_initiative(initiative=reach.initiative, person=reach.standing.person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You joined the initiative.")
    return _detail(reach)


@login_required
def action_create(request: AuthedRequest, group_id: UUID, initiative_id: UUID) -> HttpResponse:
    reach = get_initiative_for_user(request.user, group_id, initiative_id, write=True)
    today = timezone.localdate()
    form = ActionForm(post_data(request), group=reach.standing.group, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            create_from_form(
                form,
                request.user,
                InitiativeAction,
                lambda data: services.add_action(
                    initiative=reach.initiative, by=request.user, today=today, **data
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The action was added.")
            return _detail(reach)
    context = {"group": reach.standing.group, "initiative": reach.initiative, "form": form}
    return render(request, "initiatives/action_form.html", context)


@login_required
def action_follow_up(
    request: AuthedRequest, group_id: UUID, initiative_id: UUID, action_id: UUID
) -> HttpResponse:
    reach, action = get_action_for_user(request.user, group_id, initiative_id, action_id, write=True)
    form = FollowUpForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_action(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The action was followed up.")
            return _detail(reach)
    context = {"group": reach.standing.group, "initiative": reach.initiative, "action": action, "form": form}
    return render(request, "initiatives/follow_up_form.html", context)


@login_required
def update_create(request: AuthedRequest, group_id: UUID, initiative_id: UUID) -> HttpResponse:
    reach = get_initiative_for_user(request.user, group_id, initiative_id, write=True)
    form = UpdateForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            create_from_form(
                form,
                request.user,
                InitiativeUpdate,
                lambda data: services.post_update(
                    initiative=reach.initiative, author=reach.standing.person, by=request.user, **data
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The update was posted.")
            return _detail(reach)
    context = {"group": reach.standing.group, "initiative": reach.initiative, "form": form}
    return render(request, "initiatives/update_form.html", context)


@login_required
def need_create(request: AuthedRequest, group_id: UUID, initiative_id: UUID) -> HttpResponse:
    reach = get_initiative_for_user(request.user, group_id, initiative_id, write=True)
    books = books_of(reach.standing.group)
    form = NeedForm(post_data(request), books=books)
    if request.method == "POST" and form.is_valid():
        try:
            create_from_form(
                form,
                request.user,
                InitiativeNeed,
                lambda data: services.add_need(initiative=reach.initiative, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The need was added.")
            return _detail(reach)
    context = {"group": reach.standing.group, "initiative": reach.initiative, "form": form, "books": books}
    return render(request, "initiatives/need_form.html", context)


@login_required
def need_volunteer(
    request: AuthedRequest, group_id: UUID, initiative_id: UUID, need_id: UUID
) -> HttpResponse:
    reach, need = get_need_for_user(request.user, group_id, initiative_id, need_id, write=True)
    if not is_confirmed(request):
        back = reverse("initiatives:initiative_detail", args=[group_id, initiative_id])
        return confirm_page(
            request,
            Confirmation(
                title="Answer this call for help",
                consequences=[
                    f"For “{reach.initiative.title}”: {need.text}",
                    "The group's members will see your name among those who volunteered.",
                ],
                yes="Yes, I will help",
                back_url=back,
            ),
        )
    try:
        services.volunteer(need=need, person=reach.standing.person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you: you volunteered.")
    return _detail(reach)
