"""Money pages that combine the books with the apps built on them (decision 0023): the host view
(totals, claims waiting, unmatched bank lines) and the reversal of a transaction, which reopens the
expense it paid. They live here so that `finances` imports neither `expenses` nor `statements`."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.expenses.queries import awaiting_approval_counts
from carecommons.expenses.services import reverse_payment
from carecommons.finances import figures
from carecommons.finances.access import Need, get_group_for_user, get_host_for_user
from carecommons.finances.forms import ReverseForm
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.statements.queries import unmatched_counts

PAGE_SIZE = 50


@login_required
def host_detail(request: AuthedRequest, host_id: UUID) -> HttpResponse:
    """A fiscal host's view across its groups: totals only, never a ledger line, payee or receipt."""
    host = get_host_for_user(request.user, host_id)
    groups = host.groups.only("uuid", "group__name", "slug", "public_page", "host")
    groups = groups.order_by("group__name", "id")
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [g.pk for g in page.object_list]
    held = figures.held_by_group(ids)
    waiting, unmatched = awaiting_approval_counts(ids), unmatched_counts(ids)
    rows = [
        (group, int(held.get(group.pk) or 0), waiting.get(group.pk, 0), unmatched.get(group.pk, 0))
        for group in page.object_list
    ]
    total = figures.held_by_host(host)
    context = {"host": host, "page": page, "rows": rows, "total": total}
    return render(request, "money/host_detail.html", context)


@login_required
@require_POST
def transaction_reverse(request: AuthedRequest, group_id: UUID, transaction_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id, need=Need.TREASURER)
    txn = figures.with_entries(group.transactions.filter(posted=True, uuid=transaction_id)).first()
    if txn is None:
        raise Http404
    form = ReverseForm(post_data(request))
    if form.is_valid():
        try:
            # A payment of an expense is reversed through expenses, which reopens the claim too.
            reversal = reverse_payment(txn=txn, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_form_errors(form, error, "reason")
        else:
            messages.success(request, "Reversed. Both transactions stay in the ledger.")
            return redirect("finances:transaction_detail", group.uuid, reversal.uuid)
    context = {"group": group, "txn": txn, "form": form, "treasurer": True}
    return render(request, "finances/transaction_detail.html", context, status=400)
