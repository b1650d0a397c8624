"""A host's staff start groups: one from a form, or many from a CSV file (upload, dry-run report,
confirm). The checked file travels back with the confirmation, signed, so nothing is kept between
the two steps; it is checked again before anything is written."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from carecommons.accounts.http import AuthedRequest
from carecommons.finances import starting
from carecommons.finances.access import get_host_for_user
from carecommons.finances.forms import GroupsFileForm, StartGroupForm
from carecommons.finances.groupcsv import COLUMNS, NewGroup
from carecommons.finances.models import Group
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.lib.spreadsheets import UploadError, decode_upload

SIGNING_SALT = "carecommons.finances.groups-file"


@login_required
def group_new(request: AuthedRequest, host_id: UUID) -> HttpResponse:
    host = get_host_for_user(request.user, host_id)
    form = StartGroupForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = NewGroup(
            name=data["name"].strip(),
            slug=data["slug"] or slugify(data["name"])[:80],
            treasurer_email=data["treasurer_email"].lower(),
            treasurer_name=data["treasurer_name"].strip(),
            approval_threshold_pence=data["approval_threshold"] or 0,
            approvals_over_threshold=data["approvals_over_threshold"],
            treasurer_term_months=data["treasurer_term_months"],
        )
        try:
            group = create_once(
                key=data["submission"], user=request.user, model=Group,
                create=lambda: starting.start_group(host=host, new=new, by=request.user),
            )  # fmt: skip
        except ValidationError as error:
            apply_form_errors(form, error, "name")
        else:
            messages.success(
                request, f"{group.name} is started; its treasurer gives everyone else their roles."
            )
            return redirect("finances:host_detail", host.uuid)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "finances/group_new.html", {"host": host, "form": form}, status=status)


@login_required
def groups_import(request: AuthedRequest, host_id: UUID) -> HttpResponse:
    host = get_host_for_user(request.user, host_id)
    context: dict[str, object] = {"host": host, "columns": COLUMNS}
    if request.method == "POST" and "checked" in request.POST:
        try:
            text = signing.loads(request.POST["checked"], salt=SIGNING_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, "That check has expired: upload the file again.")
            return redirect("finances:groups_import", host.uuid)
        try:
            plan = starting.import_groups(host=host, text=text, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("finances:groups_import", host.uuid)
        messages.success(
            request, f"{len(plan.create)} group(s) started; {len(plan.already)} were there already."
        )
        return redirect("finances:host_detail", host.uuid)
    form = GroupsFileForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = decode_upload(form.cleaned_data["file"].read())
        except UploadError as error:
            form.add_error("file", str(error))
        else:
            plan = starting.plan_import(host=host, text=text)
            context |= {"plan": plan, "checked": signing.dumps(text, salt=SIGNING_SALT, compress=True)}
            return render(request, "finances/groups_import_review.html", context)
    context["form"] = form
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "finances/groups_import.html", context, status=status)
