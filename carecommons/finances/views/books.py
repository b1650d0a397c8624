"""A group's books as its members see them: what it holds, what came in and went out, the ledger."""

from datetime import date
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.finances import figures
from carecommons.finances.access import get_group_for_user, groups_of, hosts_of, roles_in
from carecommons.finances.forms import ReverseForm
from carecommons.finances.models import GroupRole

PAGE_SIZE = 30


@login_required
def my_groups(request: AuthedRequest) -> HttpResponse:
    groups, hosts = list(groups_of(request.user)), list(hosts_of(request.user))
    if not groups and not hosts:
        raise Http404
    return render(request, "finances/my_groups.html", {"groups": groups, "hosts": hosts})


def year_start(today: date) -> date:
    return date(today.year, 1, 1)


@login_required
def group_detail(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    today = timezone.localdate()
    income, spending = figures.by_category(group, year_start(today), today)
    recent = figures.with_entries(group.transactions.filter(posted=True))[:8]
    context = {
        "group": group,
        "roles": roles_in(request.user, group),
        "held": figures.money_held(group),
        "funds": figures.fund_balances(group),
        "income": income,
        "spending": spending,
        "income_total": sum(t.pence for t in income),
        "spending_total": sum(t.pence for t in spending),
        "since": year_start(today),
        "recent": recent,
        "GroupRole": GroupRole,
    }
    return render(request, "finances/group_detail.html", context)


@login_required
def ledger(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    posted = group.transactions.filter(posted=True).order_by("-occurred_on", "-id")
    transactions = figures.with_entries(posted)
    page = Paginator(transactions, PAGE_SIZE).get_page(request.GET.get("page"))
    record_event(actor=request.user, action="finances.ledger_viewed", target=group)
    return render(request, "finances/ledger.html", {"group": group, "page": page})


@login_required
def transaction_detail(request: AuthedRequest, group_id: UUID, transaction_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id)
    txn = figures.with_entries(group.transactions.filter(posted=True, uuid=transaction_id)).first()
    if txn is None:
        raise Http404
    treasurer = GroupRole.TREASURER in roles_in(request.user, group)
    form = ReverseForm() if treasurer else None
    context = {"group": group, "txn": txn, "form": form, "treasurer": treasurer}
    record_event(actor=request.user, action="finances.transaction_viewed", target=txn)
    return render(request, "finances/transaction_detail.html", context)
