"""A treasurer downloads the group's whole ledger, to keep or to move to another host."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from carecommons.accounts.http import AuthedRequest
from carecommons.finances import portable
from carecommons.finances.access import Need, get_group_for_user


def download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_json(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id, need=Need.TREASURER)
    body = portable.dumps(portable.export_json(group=group, by=request.user))
    return download(body, "application/json", f"{group.slug}-ledger.json")


@login_required
def export_csv(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_group_for_user(request.user, group_id, need=Need.TREASURER)
    return download(portable.export_csv(group=group, by=request.user), "text/csv", f"{group.slug}-ledger.csv")
