"""A fiscal host's view across its groups: totals only, never a ledger line, payee or receipt."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from carecommons.expenses.queries import awaiting_approval_counts
from carecommons.finances import figures
from carecommons.finances.access import get_host_for_user
from carecommons.lib.http import AuthedRequest
from carecommons.statements.queries import unmatched_counts

PAGE_SIZE = 50


@login_required
def host_detail(request: AuthedRequest, host_id: UUID) -> HttpResponse:
    host = get_host_for_user(request.user, host_id)
    groups = host.groups.only("uuid", "name", "slug", "public_page", "host")
    groups = groups.order_by("name", "id")
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
    return render(request, "finances/host_detail.html", context)
