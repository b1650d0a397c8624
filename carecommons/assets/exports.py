"""The assets export formats: GeoJSON, a CSV for spreadsheets and Open Referral HSDS. No database.

Nothing here may locate a person: assets in the `individual` category (someone's gifts and skills)
never appear on the map or in HSDS, and in the CSV they keep only the first half of their postcode
and no coordinates. Text cells of every CSV are guarded against formula injection; numbers we format
ourselves are written as they are, so a negative longitude stays a number.
"""

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from carecommons.assets.postcodes import outward_code
from carecommons.lib.spreadsheets import guard

INDIVIDUAL = "individual"
SERVICE_CATEGORIES = frozenset({"association", "institution"})
HSDS_STATUS = {"exists": "active", "suggested": "inactive", "lost": "inactive"}
ASSET_COLUMNS = (
    "id",
    "name",
    "category",
    "status",
    "description",
    "postcode",
    "latitude",
    "longitude",
    "organisations",
)


@dataclass(frozen=True)
class OrganisationRow:
    id: uuid.UUID
    name: str
    kind: str
    area: str = ""
    description: str = ""
    email: str = ""
    website: str = ""

    @property
    def summary(self) -> str:
        """HSDS requires a description: the organisation's own, or its kind and area."""
        if self.description.strip():
            return self.description.strip()
        return f"{self.kind} in {self.area}." if self.area else f"{self.kind}."


@dataclass(frozen=True)
class AssetRow:
    id: uuid.UUID
    name: str
    category: str
    status: str
    description: str = ""
    postcode: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    organisations: tuple[OrganisationRow, ...] = ()

    @property
    def locates_a_person(self) -> bool:
        return self.category == INDIVIDUAL

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


# --- GeoJSON (RFC 7946) -----------------------------------------------------------------------


def feature_collection(rows: Iterable[AssetRow]) -> dict[str, Any]:
    """Assets with coordinates, longitude first, 5 decimal places (about a metre), WGS 84."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(row.longitude), 5), round(float(row.latitude), 5)],  # type: ignore[arg-type]
            },
            "properties": {
                "id": str(row.id),
                "name": row.name,
                "category": row.category,
                "status": row.status,
                "postcode": row.postcode,
            },
        }
        for row in rows
        if row.has_coordinates and not row.locates_a_person
    ]
    return {"type": "FeatureCollection", "features": features}


# --- CSV for spreadsheets ---------------------------------------------------------------------


def write_assets_csv(rows: Iterable[AssetRow], out: TextIO) -> int:
    out.write("\ufeff")  # so spreadsheet programs recognise UTF-8
    writer = csv.writer(out)
    writer.writerow(ASSET_COLUMNS)
    count = 0
    for row in rows:
        private = row.locates_a_person
        writer.writerow(
            [
                str(row.id),
                guard(row.name),
                row.category,
                row.status,
                guard(row.description),
                guard(outward_code(row.postcode) if private else row.postcode),
                "" if private else number(row.latitude),
                "" if private else number(row.longitude),
                guard("; ".join(org.name for org in row.organisations)),
            ]
        )
        count += 1
    return count


# --- Open Referral HSDS 3, as a tabular data package --------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    columns: tuple[str, ...]
    numbers: frozenset[str] = frozenset()
    references: tuple[tuple[str, str], ...] = ()  # (column, resource whose id it names)


ORGANIZATION = Table("organization", "organizations.csv", ("id", "name", "description", "email", "website"))
SERVICE = Table(
    "service",
    "services.csv",
    ("id", "name", "status", "organization_id", "description"),
    references=(("organization_id", "organization"),),
)
LOCATION = Table(
    "location",
    "locations.csv",
    ("id", "location_type", "organization_id", "name", "latitude", "longitude"),
    numbers=frozenset({"latitude", "longitude"}),
    references=(("organization_id", "organization"),),
)
ADDRESS = Table(
    "address",
    "addresses.csv",
    ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    references=(("location_id", "location"),),
)
SERVICE_AT_LOCATION = Table(
    "service_at_location",
    "service_at_locations.csv",
    ("id", "service_id", "location_id"),
    references=(("service_id", "service"), ("location_id", "location")),
)
HSDS_TABLES = (ORGANIZATION, SERVICE, LOCATION, ADDRESS, SERVICE_AT_LOCATION)
REQUIRED = {
    "organization": {"id", "name", "description"},
    "service": {"id", "name", "status", "organization_id"},
    "location": {"id", "location_type"},
    "address": {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
    "service_at_location": {"id", "service_id", "location_id"},
}


@dataclass(frozen=True)
class Region:
    """What Care Commons does not record per asset but HSDS requires on every address: the town or
    city (used when no linked organisation gives its area) and the state or province (county)."""

    city: str = ""
    state_province: str = ""


@dataclass(frozen=True)
class Package:
    content: bytes
    counts: dict[str, int]


def derived_id(asset_id: uuid.UUID, what: str) -> str:
    """A stable id for the location, address or link made from one asset, the same every export."""
    return str(uuid.uuid5(asset_id, what))


def complete(table: str, record: dict[str, str]) -> bool:
    return all(record[column].strip() for column in REQUIRED[table])


def hsds_records(rows: Sequence[AssetRow], region: Region = Region()) -> dict[str, list[dict[str, str]]]:
    """Organisation -> organization; an association or institution asset linked to an organisation
    -> service (of its first organisation by name); an asset with a postcode or coordinates ->
    location, plus an address when it has a postcode and every field HSDS requires on an address
    can be filled (city and state_province come from `region` when we know no better); a service
    with a location -> service_at_location."""
    records: dict[str, list[dict[str, str]]] = {table.name: [] for table in HSDS_TABLES}
    organisations: dict[uuid.UUID, OrganisationRow] = {}
    for row in rows:
        for org in row.organisations:
            organisations.setdefault(org.id, org)
        if row.locates_a_person:
            continue
        provider = row.organisations[0] if row.organisations else None
        is_service = row.category in SERVICE_CATEGORIES and provider is not None
        if is_service:
            records["service"].append(
                {
                    "id": str(row.id),
                    "name": row.name,
                    "status": HSDS_STATUS[row.status],
                    "organization_id": str(provider.id) if provider else "",
                    "description": row.description,
                }
            )
        if not (row.postcode or row.has_coordinates):
            continue
        location_id = derived_id(row.id, "location")
        records["location"].append(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": str(provider.id) if provider else "",
                "name": row.name,
                "latitude": number(row.latitude),
                "longitude": number(row.longitude),
            }
        )
        address = {
            "id": derived_id(row.id, "address"),
            "location_id": location_id,
            "address_1": row.name,
            "city": (provider.area.strip() if provider else "") or region.city,
            "state_province": region.state_province,
            "postal_code": row.postcode,
            "country": "GB",
            "address_type": "physical",
        }
        if complete("address", address):
            records["address"].append(address)
        if is_service:
            records["service_at_location"].append(
                {
                    "id": derived_id(row.id, "service_at_location"),
                    "service_id": str(row.id),
                    "location_id": location_id,
                }
            )
    records["organization"] = [
        {
            "id": str(org.id),
            "name": org.name,
            "description": org.summary,
            "email": org.email,
            "website": org.website,
        }
        for org in sorted(organisations.values(), key=lambda org: (org.name.lower(), str(org.id)))
    ]
    return records


def csv_text(table: Table, records: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for record in records:
        writer.writerow(
            [record[column] if column in table.numbers else guard(record[column]) for column in table.columns]
        )
    return out.getvalue()


def datapackage(title: str) -> dict[str, Any]:
    """The Frictionless descriptor listing each CSV, its fields and how they refer to each other."""
    return {
        "name": "care-commons-community-assets",
        "title": title,
        "profile": "tabular-data-package",
        "description": "Open Referral HSDS 3.0 tables exported from Care Commons.",
        "resources": [
            {
                "name": table.name,
                "path": table.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": [
                        {
                            "name": column,
                            "type": "number" if column in table.numbers else "string",
                            "constraints": {"required": column in REQUIRED[table.name]},
                        }
                        for column in table.columns
                    ],
                    "primaryKey": "id",
                    "foreignKeys": [
                        {"fields": column, "reference": {"resource": resource, "fields": "id"}}
                        for column, resource in table.references
                    ],
                },
            }
            for table in HSDS_TABLES
        ],
    }


def hsds_package(rows: Sequence[AssetRow], *, title: str, region: Region = Region()) -> Package:
    records = hsds_records(rows, region)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", dump_json(datapackage(title)))
        for table in HSDS_TABLES:
            archive.writestr(table.path, csv_text(table, records[table.name]).encode())
    return Package(buffer.getvalue(), {table.name: len(records[table.name]) for table in HSDS_TABLES})
