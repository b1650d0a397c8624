"""A treasurer's bank statements: upload and check, import, then match lines to the books."""

import uuid
from collections.abc import Mapping as MappingType
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.finances.models import MONEY_KINDS, Account
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.statements import queries, services
from carecommons.statements.access import get_line_for_user, get_statement_for_user, get_treasurers_group
from carecommons.statements.forms import ImportForm, MappingForm, PickEntryForm, UploadForm
from carecommons.statements.models import ImportStatus, StatementImport, StatementLine

LIST_SIZE = 30
PAGE_SIZE = 50
ENTRIES_SHOWN = 50
SHOWS = {
    "suggested": "Suggested matches to check",
    "unmatched": "Not matched",
    "confirmed": "Matched",
}


@login_required
def statement_list(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_treasurers_group(request.user, group_id)
    statements = (
        group.statement_imports.exclude(status=ImportStatus.DISCARDED)
        .select_related("account")
        .order_by("-created_at", "-id")
    )
    page = Paginator(statements, LIST_SIZE).get_page(request.GET.get("page"))
    unmatched = queries.unmatched_by_statement(statement.pk for statement in page)
    context = {
        "group": group,
        "page": page,
        "rows": [(statement, unmatched.get(statement.pk, 0)) for statement in page],
        "accounts": group.accounts.filter(kind__in=MONEY_KINDS).order_by("kind", "name"),
    }
    return render(request, "statements/statement_list.html", context)


def chosen_account(accounts: QuerySet[Account], value: str | None) -> Account | None:
    try:
        return accounts.filter(uuid=uuid.UUID(value or "")).first()
    except ValueError:
        return None


@login_required
def statement_upload(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = get_treasurers_group(request.user, group_id)
    account = chosen_account(group.accounts.filter(kind__in=MONEY_KINDS), request.GET.get("account"))
    initial = {**services.latest_mapping(group, account).as_dict(), "account": account}
    form = UploadForm(post_data(request), request.FILES or None, group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = create_once(
                key=form.cleaned_data["submission"],
                user=request.user,
                model=StatementImport,
                create=lambda: services.check_statement(
                    group=group,
                    account=form.cleaned_data["account"],
                    filename=upload.name or "",
                    raw_bytes=upload.read(),
                    mapping=form.mapping(),
                    by=request.user,
                ),
            )
        except ValidationError as error:
            apply_form_errors(form, error, "file")
        else:
            if statement.status == ImportStatus.IMPORTED:
                messages.info(request, "This file was imported before, so there is nothing new to add.")
                return redirect("statements:statement_detail", group.uuid, statement.uuid)
            return redirect("statements:statement_review", group.uuid, statement.uuid)
    return render(request, "statements/statement_upload.html", {"group": group, "form": form})


@login_required
def statement_review(request: AuthedRequest, group_id: UUID, statement_id: UUID) -> HttpResponse:
    statement = get_statement_for_user(request.user, group_id, statement_id)
    group = statement.group
    if statement.status == ImportStatus.IMPORTED:
        return redirect("statements:statement_detail", group.uuid, statement.uuid)
    action = request.POST.get("action") if request.method == "POST" else None
    import_form = ImportForm(post_data(request) if action == "import" else None, statement=statement)
    mapping_form = MappingForm(post_data(request) if action == "recheck" else None, initial=statement.mapping)
    if action and statement.status != ImportStatus.DRY_RUN:
        return redirect("statements:statement_review", group.uuid, statement.uuid)
    if action == "discard" and not is_confirmed(request):
        return confirm_page(request, discard_confirmation(statement))
    if action == "discard":
        services.discard_statement(statement=statement, by=request.user)
        messages.success(request, "The upload was discarded. Nothing from it was imported.")
        return redirect("statements:statement_list", group.uuid)
    if action == "recheck" and mapping_form.is_valid():
        services.recheck_statement(statement=statement, mapping=mapping_form.mapping(), by=request.user)
        return redirect("statements:statement_review", group.uuid, statement.uuid)
    if action == "import" and import_form.is_valid():
        try:
            services.request_import(
                statement=statement,
                skip_bad_rows=import_form.cleaned_data.get("skip_bad_rows", False),
                by=request.user,
            )
        except ValidationError as error:
            apply_form_errors(import_form, error, "skip_bad_rows")
        else:
            return redirect("statements:statement_review", group.uuid, statement.uuid)
    if request.headers.get("HX-Request"):
        # The queued page polls; it reloads itself once the worker has finished.
        response = HttpResponse(status=204)
        if statement.status != ImportStatus.QUEUED:
            response["HX-Refresh"] = "true"
        return response
    context = {
        "group": group,
        "statement": statement,
        "import_form": import_form,
        "mapping_form": mapping_form,
        "show_mapping": action == "recheck" or not statement.readable or bool(statement.bad_row_count),
    }
    record_event(actor=request.user, action="statements.lines_viewed", target=statement)
    return render(request, "statements/statement_review.html", context)


def discard_confirmation(statement: StatementImport) -> Confirmation:
    return Confirmation(
        title=f"Discard the upload {statement.filename or '(no name)'}?",
        consequences=[
            "Nothing from this file is imported, and its check is set aside.",
            "This cannot be undone: to import it after all, upload the file again.",
        ],
        yes="Yes, discard this upload",
        back_url=reverse("statements:statement_review", args=[statement.group.uuid, statement.uuid]),
        hidden={"action": "discard"},
    )


def lines_to_show(statement: StatementImport, show: str) -> QuerySet[StatementLine]:
    lines = statement.lines.all()
    if show == "confirmed":
        lines = lines.filter(reconciled=True)
    elif show == "suggested":
        lines = lines.filter(reconciled=False, match__isnull=False)
    else:
        lines = lines.filter(match__isnull=True)
    return lines.select_related("match__entry__transaction").order_by("occurred_on", "line_number")


@login_required
def statement_detail(request: AuthedRequest, group_id: UUID, statement_id: UUID) -> HttpResponse:
    statement = get_statement_for_user(request.user, group_id, statement_id)
    if statement.status != ImportStatus.IMPORTED:
        return redirect("statements:statement_review", statement.group.uuid, statement.uuid)
    counts = queries.line_counts(statement)
    show = request.GET.get("show", "")
    if show not in SHOWS:
        show = "suggested" if counts.suggested else "unmatched"
    page = Paginator(lines_to_show(statement, show), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "group": statement.group,
        "statement": statement,
        "counts": counts,
        "show": show,
        "shows": SHOWS,
        "page": page,
        "page_query": urlencode({"show": show}),
    }
    if statement.starts_on and statement.ends_on:
        entries = queries.unmatched_entries(statement.account, statement.starts_on, statement.ends_on)
        shown = list(entries[:ENTRIES_SHOWN])
        context["entries"], context["entry_count"] = shown, entries.count()
    if statement.closing_balance_pence is not None and statement.ends_on:
        ledger = queries.ledger_balance(statement.account, statement.ends_on)
        context["ledger_balance"] = ledger
        context["difference"] = statement.closing_balance_pence - ledger
    record_event(actor=request.user, action="statements.lines_viewed", target=statement)
    return render(request, "statements/statement_detail.html", context)


def back_to_lines(statement: StatementImport, data: MappingType[str, str]) -> HttpResponseRedirect:
    """Back where the person was on the reconciliation page, from values checked here."""
    url = reverse("statements:statement_detail", args=[statement.group.uuid, statement.uuid])
    query = {}
    if data.get("show") in SHOWS:
        query["show"] = data["show"]
    if (data.get("page") or "").isdigit():
        query["page"] = data["page"]
    return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)


@login_required
@require_POST
def suggest_again(request: AuthedRequest, group_id: UUID, statement_id: UUID) -> HttpResponse:
    statement = get_statement_for_user(request.user, group_id, statement_id)
    if statement.status == ImportStatus.IMPORTED:
        found = services.suggest_again(statement=statement, by=request.user)
        messages.success(request, f"{found} new suggestion{'' if found == 1 else 's'}.")
    return back_to_lines(statement, request.POST)


@login_required
@require_POST
def match_confirm(request: AuthedRequest, group_id: UUID, statement_id: UUID, line_id: int) -> HttpResponse:
    line = get_line_for_user(request.user, group_id, statement_id, line_id)
    if services.confirm_match(line=line, by=request.user):
        messages.success(request, "Matched.")
    return back_to_lines(line.statement, request.POST)


@login_required
@require_POST
def match_reject(request: AuthedRequest, group_id: UUID, statement_id: UUID, line_id: int) -> HttpResponse:
    line = get_line_for_user(request.user, group_id, statement_id, line_id)
    if services.reject_match(line=line, by=request.user):
        messages.success(request, "That entry will not be suggested for this line again.")
    return back_to_lines(line.statement, request.POST)


@login_required
def line_match(request: AuthedRequest, group_id: UUID, statement_id: UUID, line_id: int) -> HttpResponse:
    line = get_line_for_user(request.user, group_id, statement_id, line_id)
    statement = line.statement
    if line.reconciled:
        messages.info(request, "This line is already matched.")
        return back_to_lines(statement, request.GET)
    form = PickEntryForm(post_data(request), candidates=queries.candidates(line), line_id=line.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_line(line=line, entry=form.chosen(), by=request.user)
        except ValidationError as error:
            apply_form_errors(form, error, "entry")
        else:
            messages.success(request, "Matched.")
            return back_to_lines(statement, request.POST)
    context = {"group": statement.group, "statement": statement, "line": line, "form": form}
    record_event(actor=request.user, action="statements.line_viewed", target=line)
    return render(request, "statements/line_match.html", context, status=400 if form.errors else 200)
