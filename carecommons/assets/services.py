"""Adding, suggesting, changing, moderating and exporting a Care Lab's community assets.

Every write and every export leaves an audit event with ids only. Callers pass what a person chose;
the links are checked against the lab here too, so no caller can tie an asset to another lab's people
or issues.
"""

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets import exports
from carecommons.assets.access import lab_issues, lab_people
from carecommons.assets.models import Asset, AssetCategory, AssetStatus, Moderation
from carecommons.assets.postcodes import PostcodeError, clean_postcode, private_place_problems
from carecommons.audit.services import record_event
from carecommons.lib.search_terms import fold
from carecommons.listening.models import Issue
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Programme

PLAIN_FIELDS = ("name", "category", "status", "description", "postcode", "latitude", "longitude")
SIX_PLACES = Decimal("0.000001")


@transaction.atomic
def create_asset(
    *,
    lab: Programme,
    by: User | None,
    name: str,
    category: str,
    status: str = AssetStatus.EXISTS,
    description: str = "",
    postcode: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    people: Iterable[Person] = (),
    organisations: Iterable[Organisation] = (),
    issues: Iterable[Issue] = (),
) -> Asset:
    """An asset an organiser adds: accepted at once."""
    asset = Asset(lab=lab, category=category, status=status, moderation=Moderation.ACCEPTED)
    _fill(
        asset, name=name, description=description, postcode=postcode, latitude=latitude, longitude=longitude
    )
    asset.save()
    _link(asset, people=people, organisations=organisations, issues=issues)
    record_event(actor=by, action="asset.created", target=asset, detail={"lab": str(lab.uuid)})
    return asset


@transaction.atomic
def suggest_asset(
    *,
    lab: Programme,
    by: User,
    name: str,
    category: str,
    description: str = "",
    postcode: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    organisations: Iterable[Organisation] = (),
) -> Asset:
    """A member's suggestion: shown only to organisers until one of them accepts it."""
    asset = Asset(
        lab=lab,
        category=category,
        status=AssetStatus.SUGGESTED,
        moderation=Moderation.PENDING,
        suggested_by=by,
    )
    _fill(
        asset, name=name, description=description, postcode=postcode, latitude=latitude, longitude=longitude
    )
    asset.save()
    _link(asset, organisations=organisations)
    record_event(actor=by, action="asset.suggested", target=asset, detail={"lab": str(lab.uuid)})
    return asset


@transaction.atomic
def update_asset(
    *,
    asset: Asset,
    by: User | None,
    people: Iterable[Person] | None = None,
    organisations: Iterable[Organisation] | None = None,
    issues: Iterable[Issue] | None = None,
    **values: Any,
) -> Asset:
    """Change what was given; links given as None stay as they are."""
    before = {field: getattr(asset, field) for field in PLAIN_FIELDS}
    asset.category = values.get("category", asset.category)
    asset.status = values.get("status", asset.status)
    _fill(
        asset,
        name=values.get("name", asset.name),
        description=values.get("description", asset.description),
        postcode=values.get("postcode", asset.postcode),
        latitude=values.get("latitude", asset.latitude),
        longitude=values.get("longitude", asset.longitude),
    )
    changed = [field for field in PLAIN_FIELDS if getattr(asset, field) != before[field]]
    asset.save()
    changed += _link(asset, people=people, organisations=organisations, issues=issues)
    record_event(actor=by, action="asset.updated", target=asset, detail={"fields": changed})
    return asset


@transaction.atomic
def moderate_asset(*, asset: Asset, by: User, accept: bool, note: str = "") -> bool:
    """Accept or decline a waiting suggestion. False if it was already decided (a second click)."""
    now = timezone.now()
    decided = Moderation.ACCEPTED if accept else Moderation.REJECTED
    updated = Asset.objects.filter(pk=asset.pk, moderation=Moderation.PENDING).update(
        moderation=decided, moderated_by=by, moderated_at=now, moderation_note=note.strip(), updated_at=now
    )
    if not updated:
        return False
    asset.refresh_from_db()
    action = "asset.accepted" if accept else "asset.rejected"
    record_event(actor=by, action=action, target=asset, detail={"with_note": bool(note.strip())})
    return True


def _fill(
    asset: Asset,
    *,
    name: str,
    description: str,
    postcode: str,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
) -> None:
    asset.name = name.strip()
    asset.name_key = fold(asset.name)
    asset.description = description.strip()
    asset.latitude = _coordinate(latitude)
    asset.longitude = _coordinate(longitude)
    try:
        asset.postcode = clean_postcode(postcode)
    except PostcodeError as error:
        raise ValidationError({"postcode": str(error)}) from None
    if asset.category == AssetCategory.INDIVIDUAL:
        has_coordinates = asset.latitude is not None or asset.longitude is not None
        if problems := private_place_problems(asset.postcode, has_coordinates=has_coordinates):
            raise ValidationError(problems)
    asset.full_clean(exclude={"name_key"})  # empty for a name with no Latin letters or digits


def _coordinate(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(SIX_PLACES)


def _link(
    asset: Asset,
    *,
    people: Iterable[Person] | None = None,
    organisations: Iterable[Organisation] | None = None,
    issues: Iterable[Issue] | None = None,
) -> list[str]:
    """Set the links given; returns the names of those that changed."""
    changed = []
    if people is not None:
        chosen, linked = {person.pk for person in people}, set(asset.people.values_list("pk", flat=True))
        if chosen - linked - set(lab_people(asset.lab).filter(pk__in=chosen).values_list("pk", flat=True)):
            raise ValidationError({"people": "Link only people who belong to this Care Lab."})
        if chosen != linked:
            asset.people.set(chosen)
            changed.append("people")
    if issues is not None:
        chosen = {issue.pk for issue in issues}
        if chosen - set(lab_issues(asset.lab).filter(pk__in=chosen).values_list("pk", flat=True)):
            raise ValidationError({"issues": "Link only issues raised in this Care Lab's conversations."})
        if chosen != set(asset.issues.values_list("pk", flat=True)):
            asset.issues.set(chosen)
            changed.append("issues")
    if organisations is not None:
        chosen = {organisation.pk for organisation in organisations}
        if chosen != set(asset.organisations.values_list("pk", flat=True)):
            asset.organisations.set(chosen)
            changed.append("organisations")
    return changed


def exportable_assets(lab: Programme) -> list[exports.AssetRow]:
    """The lab's accepted assets with their organisations, as plain rows for the export formats."""
    organisations = Prefetch("organisations", queryset=Organisation.objects.order_by("name", "id"))
    assets = (
        Asset.objects.accepted().filter(lab=lab).order_by("name_key", "id").prefetch_related(organisations)
    )
    return [_row(asset) for asset in assets.iterator(chunk_size=2000)]


def _row(asset: Asset) -> exports.AssetRow:
    return exports.AssetRow(
        id=asset.uuid,
        name=asset.name,
        category=asset.category,
        status=asset.status,
        description=asset.description,
        postcode=asset.postcode,
        latitude=asset.latitude,
        longitude=asset.longitude,
        organisations=tuple(
            exports.OrganisationRow(
                id=org.uuid,
                name=org.name,
                kind=org.get_kind_display(),
                area=org.area,
                description=org.description,
                email=org.email,
                website=org.website,
            )
            for org in asset.organisations.all()
        ),
    )


@transaction.atomic
def export_geojson(*, lab: Programme, by: User) -> bytes:
    collection = exports.feature_collection(exportable_assets(lab))
    _audit_export(by, lab, "export.assets_geojson", len(collection["features"]))
    return exports.dump_json(collection)


@transaction.atomic
def export_assets_csv(*, lab: Programme, by: User) -> str:
    out = io.StringIO()
    count = exports.write_assets_csv(exportable_assets(lab), out)
    _audit_export(by, lab, "export.assets_csv", count)
    return out.getvalue()


@transaction.atomic
def export_hsds(*, lab: Programme, by: User) -> bytes:
    region = exports.Region(
        city=getattr(settings, "ASSETS_HSDS_CITY", "").strip(),
        state_province=getattr(settings, "ASSETS_HSDS_STATE_PROVINCE", "").strip(),
    )
    package = exports.hsds_package(
        exportable_assets(lab), title=f"Community assets: {lab.name}", region=region
    )
    _audit_export(by, lab, "export.assets_hsds", package.counts)
    return package.content


def _audit_export(by: User, lab: Programme, action: str, rows: int | dict[str, int]) -> None:
    record_event(actor=by, action=action, target=lab, detail={"rows": rows})
