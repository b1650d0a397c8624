from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.people.access import require_directory
from carecommons.transfers import services
from carecommons.transfers.access import get_batch_for_user, recent_batches_for_user
from carecommons.transfers.forms import ImportForm, RunImportForm
from carecommons.transfers.models import ImportBatch, ImportStatus


@login_required
def import_start(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    form = ImportForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = create_once(
                key=form.cleaned_data.get("submission"),
                user=request.user,
                model=ImportBatch,
                create=lambda: services.check_upload(
                    kind=form.cleaned_data["kind"],
                    filename=upload.name or "",
                    raw_bytes=upload.read(),
                    by=request.user,
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            return redirect("transfers:import_review", batch_id=batch.uuid)
    context = {"form": form, "recent": recent_batches_for_user(request.user)}
    return render(request, "transfers/import_start.html", context)


@login_required
def import_review(request: AuthedRequest, batch_id: UUID) -> HttpResponse:
    batch = get_batch_for_user(request.user, batch_id)
    form = RunImportForm(post_data(request), batch=batch)
    if request.method == "POST" and batch.status != ImportStatus.CHECKED:
        return redirect("transfers:import_review", batch_id=batch.uuid)
    if request.method == "POST" and "discard" in request.POST:
        services.discard_batch(batch=batch, by=request.user)
        messages.success(request, "The upload was discarded. Nothing was imported.")
        return redirect("transfers:import_start")
    if request.method == "POST" and form.is_valid():
        try:
            services.request_import(
                batch=batch, skip_bad_rows=form.cleaned_data.get("skip_bad_rows", False), by=request.user
            )
        except ValidationError as error:
            apply_form_errors(form, error, field="skip_bad_rows")
        else:
            return redirect("transfers:import_review", batch_id=batch.uuid)
    context = {"batch": batch, "form": form}
    if request.headers.get("HX-Request"):
        # The queued page polls; it reloads itself once the worker has finished.
        response = HttpResponse(status=204)
        if batch.status != ImportStatus.QUEUED:
            response["HX-Refresh"] = "true"
        return response
    record_event(actor=request.user, action="import.review_viewed", target=batch)
    return render(request, "transfers/import_review.html", context)


def csv_response(name: str) -> HttpResponse:
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    return HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@login_required
@require_GET
def export_people(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    response = csv_response("people")
    services.export_people_csv(user=request.user, out=response)
    return response


@login_required
@require_GET
def export_organisations(request: AuthedRequest) -> HttpResponse:
    require_directory(request.user)
    response = csv_response("organisations")
    services.export_organisations_csv(user=request.user, out=response)
    return response
