"""A group's expenses: the list, claiming one with its receipts, the page of one expense with the
actions the viewer may take, and receipts served only after an access check."""

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.expenses import kept as kept_receipts
from carecommons.expenses import rules, services
from carecommons.expenses.access import ExpenseAccess, get_expense_access, get_receipt_for_user
from carecommons.expenses.forms import ExpenseForm, PayForm, ReceiptForm, RejectForm, StateFilterForm
from carecommons.expenses.models import Expense, ExpenseState, KeptReceipt, Receipt
from carecommons.finances.access import Need, get_group_for_user
from carecommons.lib import kept_files
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once

PAGE_SIZE = 25
LIST_FIELDS = ("uuid", "description", "amount_pence", "spent_on", "state", "group_id")
PERSON_NAME = ("submitted_by__given_name", "submitted_by__family_name", "submitted_by__preferred_name")


@login_required
@require_GET
def expense_list(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    filters = StateFilterForm(request.GET if "state" in request.GET else None)
    state = filters.chosen()
    counts = dict(group.expenses.values_list("state").annotate(n=Count("id")).order_by())
    expenses = (
        group.expenses.filter(**({"state": state} if state else {}))
        .select_related("category", "submitted_by")
        .only(*LIST_FIELDS, *PERSON_NAME, "category__name")
        .annotate(
            approval_count=Count("approvals", distinct=True), receipt_count=Count("receipts", distinct=True)
        )
        .order_by("-spent_on", "-id")
    )
    page = Paginator(expenses, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "group": group,
        "state": state,
        "state_label": ExpenseState(state).label if state else "",
        "page": page,
        "states": [(value, label, counts.get(value, 0)) for value, label in ExpenseState.choices],
        "total": sum(counts.values()),
    }
    record_event(actor=request.user, action="expenses.list_viewed", target=group)
    return render(request, "expenses/expense_list.html", context)


@login_required
def expense_create(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    form = ExpenseForm(post_data(request), request.FILES or None, group=group)
    if request.method != "POST":
        return render(request, "expenses/expense_form.html", {"group": group, "form": form})
    valid = form.is_valid()
    key = form.cleaned_data.get("submission")
    chosen = form.cleaned_data.get("receipts") or []
    kept = kept_files.kept_for(KeptReceipt, request.user, key)
    if valid:
        values = dict(form.cleaned_data)
        values.pop("submission", None)
        values["receipts"] = chosen or [kept_files.as_upload(row) for row in kept]
        submit = request.POST.get("save") != "draft"

        def create() -> Expense:
            made = services.create_expense(group=group, by=request.user, submit=submit, **values)
            kept_files.discard(KeptReceipt, kept)
            return made

        try:
            expense = create_once(key=key, user=request.user, model=Expense, create=create)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            said = "sent for approval" if expense.state == ExpenseState.SUBMITTED else "saved as a draft"
            messages.success(request, f"Expense {said}.")
            return redirect("expenses:expense_detail", expense_id=expense.uuid)
    if key is not None and chosen and not form.has_error("receipts"):
        kept = keep_chosen(request.user, key, chosen, form) or kept
    form.show_kept([row.name for row in kept])
    return render(request, "expenses/expense_form.html", {"group": group, "form": form})


def keep_chosen(user: User, key: UUID, chosen: list[UploadedFile], form: ExpenseForm) -> list[KeptReceipt]:
    """Keep receipts that pass their checks while the rest of the form is put right."""
    try:
        return kept_receipts.keep(user=user, key=key, uploads=chosen)
    except ValidationError as error:
        apply_form_errors(form, error)
        return []


def render_detail(request: AuthedRequest, access: ExpenseAccess, **bound: forms.Form) -> HttpResponse:
    """The expense page, with any of its forms given already bound (and showing their errors)."""
    expense = access.expense
    actor = access.actor()
    actions = rules.actions_for(expense.state, actor)
    has_payee = any(getattr(expense, name) for name in services.PAYEE_FIELDS)
    if access.is_treasurer and has_payee:
        record_event(actor=request.user, action="expenses.payee_viewed", target=expense)
    context = {
        "expense": expense,
        "access": access,
        "group": expense.group,
        "actions": {action.value for action in actions},
        "may_add_receipts": rules.receipts_refusal(expense.state, actor) is None,
        "has_payee": has_payee,
        "approvals": expense.approvals.select_related("approver"),
        "approvals_needed": expense.group.approvals_needed(expense.amount_pence),
        "receipts": expense.receipts.all(),
        "reject_form": bound.get("reject_form") or RejectForm(),
        "pay_form": bound.get("pay_form")
        or PayForm(group=expense.group, initial={"public_label": expense.public_label}),
        "receipt_form": bound.get("receipt_form") or ReceiptForm(),
    }
    return render(request, "expenses/expense_detail.html", context)


@login_required
@require_GET
def expense_detail(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    access = get_expense_access(request.user, expense_id)
    record_event(actor=request.user, action="expenses.expense_viewed", target=access.expense)
    return render_detail(request, access)


def field_problem(form: forms.Form, error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and all(name in form.fields for name in error.error_dict)


def act(
    request: AuthedRequest,
    access: ExpenseAccess,
    change: Callable[[], Any],
    done: str,
    form: forms.Form | None = None,
    form_name: str = "",
) -> HttpResponse:
    """Run a change from a POST form. A problem with a field shows beside the field; any other
    (the expense moved on, a second click) is said at the top of the expense's page."""
    if form is not None and not form.is_valid():
        return render_detail(request, access, **{form_name: form})
    try:
        said = change()
    except ValidationError as error:
        if form is not None and field_problem(form, error):
            apply_form_errors(form, error)
            return render_detail(request, access, **{form_name: form})
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, said if isinstance(said, str) else done)
    return redirect("expenses:expense_detail", expense_id=access.expense.uuid)


@login_required
@require_POST
def expense_submit(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    access = get_expense_access(request.user, expense_id)
    change = partial(services.submit_expense, expense=access.expense, by=request.user)
    return act(request, access, change, "Expense sent for approval.")


@login_required
@require_POST
def expense_approve(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    access = get_expense_access(request.user, expense_id, need=Need.APPROVER)

    def change() -> str | None:
        approved = services.approve_expense(expense=access.expense, by=request.user)
        if approved.state == ExpenseState.APPROVED:
            return "Your approval is recorded. That was the last one needed: it is ready to be paid."
        return None

    return act(request, access, change, "Your approval is recorded.")


@login_required
@require_POST
def expense_reject(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    access = get_expense_access(request.user, expense_id, need=Need.APPROVER)
    form = RejectForm(request.POST)

    def change() -> None:
        services.reject_expense(expense=access.expense, by=request.user, reason=form.cleaned_data["reason"])

    return act(request, access, change, "Expense rejected.", form, "reject_form")


@login_required
@require_POST
def expense_pay(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    access = get_expense_access(request.user, expense_id, need=Need.TREASURER)
    form = PayForm(request.POST, group=access.expense.group)

    def change() -> None:
        services.pay_expense(expense=access.expense, by=request.user, **form.cleaned_data)

    return act(request, access, change, "Paid, and posted to the ledger.", form, "pay_form")


@login_required
@require_http_methods(["GET", "POST"])
def expense_cancel(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    """Asks first (see lib/confirm.py); only the confirmation page's "Yes" cancels."""
    access = get_expense_access(request.user, expense_id)
    expense = access.expense
    if not is_confirmed(request):
        problem = rules.refusal(rules.Action.CANCEL, expense.state, access.actor())
        if problem:
            messages.error(request, problem)
            return redirect("expenses:expense_detail", expense_id=expense.uuid)
        return confirm_page(request, cancel_confirmation(expense))
    change = partial(services.cancel_expense, expense=expense, by=request.user)
    return act(request, access, change, "Expense cancelled.")


def cancel_confirmation(expense: Expense) -> Confirmation:
    return Confirmation(
        title=f"Cancel the expense “{expense.description}”?",
        consequences=[
            f"It stays on the list of {expense.group.name}'s expenses, marked cancelled, with its receipts.",
            "Nobody can approve or pay it any more.",
            "This cannot be undone: to be paid after all, claim it again.",
        ],
        yes="Yes, cancel this expense",
        back_url=reverse("expenses:expense_detail", args=[expense.uuid]),
    )


@login_required
@require_POST
def receipt_add(request: AuthedRequest, expense_id: UUID) -> HttpResponse:
    access = get_expense_access(request.user, expense_id)
    expense = access.expense
    problem = rules.receipts_refusal(expense.state, access.actor())
    if problem:
        messages.error(request, problem)
        return redirect("expenses:expense_detail", expense_id=expense.uuid)
    form = ReceiptForm(request.POST, request.FILES)

    def change() -> None:
        # Saved once per form, files and all: a second click finds the first receipt and adds none.
        uploads = form.cleaned_data["receipts"]
        create_once(
            key=form.cleaned_data.get("submission"),
            user=request.user,
            model=Receipt,
            create=lambda: services.add_receipts(expense=expense, uploads=uploads, by=request.user)[0],
        )

    return act(request, access, change, "Receipts added.", form, "receipt_form")


@login_required
@require_GET
def receipt_download(request: AuthedRequest, receipt_id: UUID) -> FileResponse:
    receipt = get_receipt_for_user(request.user, receipt_id)
    record_event(
        actor=request.user,
        action="expenses.receipt_downloaded",
        target=receipt.expense,
        detail={"receipt": str(receipt.uuid)},
    )
    response = FileResponse(receipt.file.open("rb"), as_attachment=True, filename=receipt.name)
    response["Content-Type"] = receipt.content_type
    response["Cache-Control"] = "private, no-store"
    return response
