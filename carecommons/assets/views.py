"""A Care Lab's community assets: the list, adding and suggesting, moderation and exports."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from carecommons.accounts.http import AuthedRequest
from carecommons.assets import services
from carecommons.assets.access import LabAccess, get_asset_for_user, get_lab_access, organisations_for
from carecommons.assets.exports import INDIVIDUAL
from carecommons.assets.forms import AssetForm, FilterForm, ModerationForm, SuggestionForm
from carecommons.assets.models import Asset, AssetCategory, Moderation
from carecommons.assets.postcodes import outward_code
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form
from carecommons.lib.search_terms import fold, prefix_upper_bound
from carecommons.people.access import can_see_organisations, own_person
from carecommons.people.models import Organisation
from carecommons.programmes.models import Programme

PAGE_SIZE = 25
FILTERS = ("q", "category", "status", "moderation")


class CountedPaginator(Paginator):
    """Told its total up front: the page has it already from the counts per category."""

    def __init__(self, object_list: QuerySet[Asset], per_page: int, *, total: int) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


@dataclass(frozen=True)
class Listed:
    asset: Asset
    postcode: str


def shown_postcode(asset: Asset, organiser: bool) -> str:
    """An individual's gift shows only the first half of its postcode to members."""
    if asset.category == INDIVIDUAL and not organiser:
        return outward_code(asset.postcode)
    return asset.postcode


def query_string(filters: dict[str, str], **changes: str) -> str:
    return urlencode({name: value for name, value in {**filters, **changes}.items() if value})


@login_required
@require_GET
def asset_list(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    access = get_lab_access(request.user, lab_id)
    form = FilterForm(request.GET if any(name in request.GET for name in FILTERS) else None)
    if not access.organiser:
        del form.fields["moderation"]
    chosen = form.chosen() if form.is_bound else {name: "" for name in form.fields}
    moderation = chosen.get("moderation") or Moderation.ACCEPTED
    assets, counts = filtered_assets(access.lab, moderation, chosen)
    total = counts.get(chosen["category"], 0) if chosen["category"] else sum(counts.values())
    rows = assets.only("uuid", "name", "category", "status", "postcode", "moderation", "lab")
    page = CountedPaginator(rows, PAGE_SIZE, total=total).get_page(request.GET.get("page"))
    filters = {name: chosen.get(name, "") for name in FILTERS}
    context = {
        **lab_context(access),
        "form": form,
        "page": page,
        "listed": [Listed(asset, shown_postcode(asset, access.organiser)) for asset in page.object_list],
        "filters": filters,
        "filtered": any(filters.values()),
        "page_query": query_string(filters),
        "categories": [
            (
                label,
                counts.get(value, 0),
                f"?{query_string(filters, category=value)}",
                value == chosen["category"],
            )
            for value, label in AssetCategory.choices
        ],
        "all_categories_url": f"?{query_string(filters, category='')}",
        "all_count": sum(counts.values()),
        "moderation": moderation,
        "waiting": (
            access.lab.assets.filter(moderation=Moderation.PENDING).count() if access.organiser else 0
        ),
    }
    return render(request, "assets/asset_list.html", context)


def filtered_assets(
    lab: Programme, moderation: str, chosen: dict[str, str]
) -> tuple[QuerySet[Asset], dict[str, int]]:
    """The lab's assets matching the filters, in name order, and how many match in each category
    (before the category filter, so the page can offer the others). Every filter keeps to one of
    Asset's indexes; the name search is a prefix range on the folded name (decision 0003)."""
    assets = lab.assets.filter(moderation=moderation)
    if chosen["status"]:
        assets = assets.filter(status=chosen["status"])
    key = fold(chosen["q"])
    if key:
        assets = assets.filter(name_key__gte=key)
        upper = prefix_upper_bound(key)
        if upper is not None:
            assets = assets.filter(name_key__lt=upper)
    counts = dict(assets.order_by().values_list("category").annotate(n=Count("*")))
    if chosen["category"]:
        assets = assets.filter(category=chosen["category"])
    return assets.order_by("name_key", "id"), counts


def lab_context(access: LabAccess) -> dict[str, Any]:
    return {"lab": access.lab, "organiser": access.organiser}


@login_required
def asset_create(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    access = get_lab_access(request.user, lab_id)
    lab, user = access.lab, request.user
    form: SuggestionForm
    service: Callable[..., Asset]
    organisations = organisations_for(user, lab)
    if access.organiser:
        form = AssetForm(post_data(request), lab=lab, organisations=organisations)
        service = services.create_asset
    else:
        form, service = (
            SuggestionForm(post_data(request), organisations=organisations),
            services.suggest_asset,
        )
    if request.method == "POST" and form.is_valid():
        try:
            asset = create_from_form(form, user, Asset, lambda data: service(lab=lab, by=user, **data))
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            if access.organiser:
                messages.success(request, f"“{asset.name}” was added.")
                return redirect("assets:asset_detail", asset_id=asset.uuid)
            messages.success(
                request, "Thank you. An organiser will look at your suggestion before it appears on the list."
            )
            return redirect("assets:asset_list", lab_id=lab.uuid)
    heading = "Add an asset" if access.organiser else "Suggest an asset"
    context = {**lab_context(access), "form": form, "heading": heading, "asset": None}
    return render(request, "assets/asset_form.html", context)


@login_required
def asset_edit(request: AuthedRequest, asset_id: UUID) -> HttpResponse:
    asset, _ = get_asset_for_user(request.user, asset_id, organise=True)
    organisations = organisations_for(request.user, asset.lab)
    form = AssetForm(post_data(request), lab=asset.lab, asset=asset, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("submission", None)
        try:
            services.update_asset(asset=asset, by=request.user, **data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("assets:asset_detail", asset_id=asset.uuid)
    context = {
        "lab": asset.lab,
        "organiser": True,
        "form": form,
        "heading": f"Change “{asset.name}”",
        "asset": asset,
    }
    return render(request, "assets/asset_form.html", context)


@login_required
@require_GET
def asset_detail(request: AuthedRequest, asset_id: UUID) -> HttpResponse:
    asset, organiser = get_asset_for_user(request.user, asset_id)
    people = list(asset.people.order_by("sort_key", "id")) if organiser else []
    if people:
        record_event(actor=request.user, action="asset.viewed", target=asset, detail={"people": len(people)})
    context = {
        "lab": asset.lab,
        "organiser": organiser,
        "asset": asset,
        "postcode": shown_postcode(asset, organiser),
        "organisations": asset.organisations.order_by("name", "id"),
        "people": people,
        "issues": asset.issues.order_by("title", "id") if organiser else [],
        "suggested_by": suggester_name(asset) if organiser else "",
        "link_organisations": can_see_organisations(request.user),
    }
    return render(request, "assets/asset_detail.html", context)


def suggester_name(asset: Asset) -> str:
    user = asset.suggested_by
    if user is None:
        return ""
    person = own_person(user)
    return person.display_name if person is not None else user.email


@login_required
@require_GET
def moderation_queue(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    access = get_lab_access(request.user, lab_id, organise=True)
    waiting = (
        access.lab.assets.filter(moderation=Moderation.PENDING)
        .select_related("suggested_by__person")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name", "id")))
        .order_by("created_at", "id")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {**lab_context(access), "page": page}
    return render(request, "assets/moderation_queue.html", context)


@login_required
def asset_moderate(request: AuthedRequest, asset_id: UUID) -> HttpResponse:
    asset, _ = get_asset_for_user(request.user, asset_id, organise=True)
    form = ModerationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        if services.moderate_asset(
            asset=asset, by=request.user, accept=accept, note=form.cleaned_data["note"]
        ):
            outcome = "accepted: members can see it now" if accept else "not accepted"
            messages.success(request, f"“{asset.name}” {outcome}.")
        else:
            messages.info(request, f"“{asset.name}” had already been decided; nothing was changed.")
        return redirect("assets:moderation_queue", lab_id=asset.lab.uuid)
    context = {"lab": asset.lab, "organiser": True, "asset": asset, "form": form}
    return render(request, "assets/moderate.html", context)


def download(body: bytes | str, content_type: str, name: str, extension: str) -> HttpResponse:
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{extension}"
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@login_required
@require_GET
def export_geojson(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_access(request.user, lab_id, organise=True).lab
    body = services.export_geojson(lab=lab, by=request.user)
    return download(body, "application/geo+json", "assets", "geojson")


@login_required
@require_GET
def export_csv(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_access(request.user, lab_id, organise=True).lab
    body = services.export_assets_csv(lab=lab, by=request.user)
    return download(body, "text/csv; charset=utf-8", "assets", "csv")


@login_required
@require_GET
def export_hsds(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_access(request.user, lab_id, organise=True).lab
    body = services.export_hsds(lab=lab, by=request.user)
    return download(body, "application/zip", "assets-hsds", "zip")
