"""Treasurers' pages: income in, accounts and funds, who holds which role, the group's rules."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.finances import roles, services
from carecommons.finances.access import Need, get_group_for_user, role_candidates, roles_in
from carecommons.finances.forms import AccountForm, FundForm, IncomeForm, MemberForm, PolicyForm
from carecommons.finances.models import Account, Fund, Group, GroupRole, Transaction
from carecommons.groups.models import RoleTerm
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.models import fresh_copy
from carecommons.lib.once import create_once


def post_income(group: Group, data: dict[str, Any], by: Any) -> Transaction:
    kind, pence, day = data["kind"], data["amount"], data["occurred_on"]
    if kind == "grant":
        return services.record_grant(
            group=group, fund=data["fund"], amount_pence=pence, occurred_on=day, funder=data["name"], by=by,
            into=data["into"],
        )  # fmt: skip
    if kind == "cash":
        return services.record_cash(
            group=group, amount_pence=pence, occurred_on=day, collected_by=data["collected_by"], by=by,
            into=data["into"],
        )  # fmt: skip
    return services.record_donation(
        group=group, amount_pence=pence, occurred_on=day, by=by, donor=(data["name"] or "").strip(),
        donor_public=data["name_public"], into=data["into"],
    )  # fmt: skip


@login_required
def income_new(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id, need=Need.TREASURER)
    form = IncomeForm(post_data(request), group=group, initial={"kind": "donation"})
    if request.method == "POST" and form.is_valid():
        try:
            txn = create_once(
                key=form.cleaned_data["submission"],
                user=request.user,
                model=Transaction,
                create=lambda: post_income(group, form.cleaned_data, request.user),
            )
        except ValidationError as error:
            apply_form_errors(form, error, "amount")
        else:
            messages.success(request, "Recorded in the ledger.")
            return redirect("finances:transaction_detail", group.uuid, txn.uuid)
    return render(request, "finances/income_form.html", {"group": group, "form": form})


@login_required
def accounts(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    treasurer = GroupRole.TREASURER in roles_in(request.user, group)
    account_form = fund_form = None
    if treasurer:
        which = request.POST.get("form") if request.method == "POST" else None
        account_form = AccountForm(post_data(request) if which == "account" else None)
        fund_form = FundForm(post_data(request) if which == "fund" else None, group=group)
        if which == "account" and account_form.is_valid() and save_account(request, group, account_form):
            return redirect("finances:accounts", group.uuid)
        if which == "fund" and fund_form.is_valid() and save_fund(request, group, fund_form):
            return redirect("finances:accounts", group.uuid)
    context = {
        "group": group,
        "accounts": group.accounts.select_related("balance").order_by("kind", "name"),
        "funds": group.funds.prefetch_related("allowed_categories"),
        "account_form": account_form,
        "fund_form": fund_form,
        "treasurer": treasurer,
    }
    return render(request, "finances/accounts.html", context)


def save_account(request: AuthedRequest, group: Group, form: AccountForm) -> bool:
    try:
        create_once(
            key=form.cleaned_data["submission"],
            user=request.user,
            model=Account,
            create=lambda: services.add_account(
                group=group,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                by=request.user,
                purpose=form.cleaned_data["purpose"],
            ),
        )
    except ValidationError as error:
        apply_form_errors(form, error, "name")
        return False
    messages.success(request, "Account added.")
    return True


def save_fund(request: AuthedRequest, group: Group, form: FundForm) -> bool:
    data = form.cleaned_data
    try:
        create_once(
            key=data["submission"],
            user=request.user,
            model=Fund,
            create=lambda: services.create_fund(
                group=group, name=data["name"], conditions=data["conditions"],
                categories=data["allowed_categories"], by=request.user,
            ),
        )  # fmt: skip
    except ValidationError as error:
        apply_form_errors(form, error, "name")
        return False
    messages.success(request, "Fund added.")
    return True


@login_required
def members(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    treasurer = GroupRole.TREASURER in roles_in(request.user, group)
    form = MemberForm(post_data(request), people=role_candidates(group, request.user)) if treasurer else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.add_member(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error, "person")
        else:
            messages.success(request, "Role given.")
            return redirect("finances:members", group.uuid)
    context = {
        "group": group,
        "memberships": roles.people_and_roles(group),
        "treasurer_term_months": roles.treasurer_term_months(group),
        "form": form,
        "treasurer": treasurer,
    }
    record_event(actor=request.user, action="finances.members_viewed", target=group)
    return render(
        request, "finances/members.html", context, status=400 if form is not None and form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_end(request: AuthedRequest, group_id: UUID, membership_id: UUID) -> HttpResponse:
    """Asks first (see lib/confirm.py); only the confirmation page's "Yes" ends the role."""
    group = get_group_for_user(request.user, group_id, need=Need.TREASURER)
    membership = roles.row_of(group, membership_id)
    if membership is None:
        raise Http404
    role = role_name(membership)
    if not is_confirmed(request):
        record_event(actor=request.user, action="finances.member_end_asked", target=membership)
        return confirm_page(request, member_end_confirmation(group, membership))
    services.end_membership(membership=membership, by=request.user)
    messages.success(request, f"{membership.person.display_name} is no longer a {role}.")
    return redirect("finances:members", group.uuid)


def role_name(row: roles.MoneyRow) -> str:
    return row.role.name.lower() if isinstance(row, RoleTerm) else GroupRole.MEMBER.label.lower()


def member_end_confirmation(group: Group, membership: roles.MoneyRow) -> Confirmation:
    name, role = membership.person.display_name, role_name(membership)
    also = [] if isinstance(membership, RoleTerm) else [f"Any role {name} holds in the group ends with it."]
    return Confirmation(
        title=f"End {name}'s role as {role}?",
        consequences=[
            f"{name} stops being a {role} of {group.name} today.",
            *also,
            "What they did in the role stays in the books and the audit log.",
            "This cannot be undone: to give the role back, give it again as a new role.",
        ],
        yes=f"Yes, end the role of {role}",
        back_url=reverse("finances:members", args=[group.uuid]),
    )


@login_required
def policy(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id, need=Need.TREASURER)
    form = PolicyForm(post_data(request), instance=fresh_copy(group))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in (*PolicyForm.Meta.fields, services.ROLE_POLICY)}
        values["approval_threshold_pence"] = form.cleaned_data["approval_threshold"] or 0
        try:
            services.update_policy(group=group, by=request.user, **values)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "The group's rules are saved.")
            return redirect("finances:group_detail", group.uuid)
    return render(request, "finances/policy.html", {"group": group, "form": form})
