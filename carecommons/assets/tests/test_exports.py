"""The exports read back as their formats and leave out what must not leave: people's places,
suggestions not accepted, other labs' assets."""

import csv
import io
import json
import uuid
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.assets.exports import (
    AssetRow,
    OrganisationRow,
    feature_collection,
    hsds_records,
    write_assets_csv,
)
from carecommons.assets.tests.factories import make_asset, make_lab, make_suggestion
from carecommons.audit.models import AuditEvent
from carecommons.listening.tests.factories import make_person
from carecommons.people.services import create_organisation
from carecommons.programmes.models import Programme
from carecommons.programmes.tests.factories import enrol

pytestmark = pytest.mark.django_db


def stocked_lab(organiser) -> Programme:  # type: ignore[no-untyped-def]
    lab = make_lab(organiser=organiser)
    larder = create_organisation(by=None, name="Harehills Larder", kind="grassroots", area="Harehills")
    council = create_organisation(
        by=None,
        name="Leeds City Council",
        kind="statutory",
        description="The council.",
        website="https://leeds.gov.uk",
    )
    baker = make_person("Bea", "Baker")
    enrol(lab.cohorts.get(), baker)
    make_asset(
        lab, "Community Fridge", category="association", postcode="LS8 5AB", latitude=53.81234567,
        longitude=-1.51, organisations=[larder], description="Free food, Fridays.",
    )  # fmt: skip
    make_asset(lab, "Old Library", category="institution", latitude=53.8, longitude=-1.5)
    make_asset(lab, '=HYPERLINK("http://x")', category="natural", latitude=53.7, longitude=-1.4)
    make_asset(lab, "Closed Youth Club", category="institution", status="lost", organisations=[council])
    make_asset(
        lab, "Bea's bread", category="individual", postcode="LS8",
        people=[baker], organisations=[larder],
    )  # fmt: skip
    make_suggestion(lab, organiser, "Waiting garden", latitude=53.9, longitude=-1.6)
    make_asset(make_lab("Other lab"), "Not ours", category="natural", latitude=51.5, longitude=-0.1)
    return lab


def test_an_individuals_row_carries_no_more_than_its_postcode_district_in_any_export() -> None:
    """Rows older than the rule could hold a whole postcode and coordinates: every format still cuts
    them down (the migration that added the rule also cut the stored rows)."""
    row = AssetRow(
        id=uuid.uuid4(), name="Bea's bread", category="individual", status="exists",
        postcode="LS8 1AB", latitude=Decimal("53.82"), longitude=Decimal("-1.52"),
    )  # fmt: skip
    out = io.StringIO()
    write_assets_csv([row], out)
    [written] = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")))
    assert (written["postcode"], written["latitude"], written["longitude"]) == ("LS8", "", "")
    assert feature_collection([row])["features"] == []
    assert "1AB" not in json.dumps(hsds_records([row]))


def test_geojson_has_accepted_assets_with_coordinates_longitude_first_and_never_individuals(
    organiser, client_for
) -> None:
    lab = stocked_lab(organiser)
    response = client_for(organiser).get(reverse("assets:export_geojson", args=[lab.uuid]))
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].startswith('attachment; filename="assets-')
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["name"]: f for f in data["features"]}
    assert sorted(features) == ['=HYPERLINK("http://x")', "Community Fridge", "Old Library"]
    fridge = features["Community Fridge"]
    assert fridge["geometry"] == {"type": "Point", "coordinates": [-1.51, 53.81235]}
    assert set(fridge["properties"]) == {"id", "name", "category", "status", "postcode"}
    assert fridge["properties"]["postcode"] == "LS8 5AB"
    event = AuditEvent.objects.get(action="export.assets_geojson")
    assert (event.actor, event.detail) == (organiser, {"rows": 3})


def test_the_csv_has_accepted_assets_guarded_with_no_people_and_individuals_blurred(
    organiser, client_for
) -> None:
    lab = stocked_lab(organiser)
    response = client_for(organiser).get(reverse("assets:export_csv", args=[lab.uuid]))
    text = response.content.decode("utf-8-sig")
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(text))}
    assert sorted(rows) == [
        '\'=HYPERLINK("http://x")',
        "Bea's bread",
        "Closed Youth Club",
        "Community Fridge",
        "Old Library",
    ]
    assert rows["Community Fridge"]["longitude"] == "-1.51"
    assert rows["Community Fridge"]["organisations"] == "Harehills Larder"
    assert (rows["Bea's bread"]["postcode"], rows["Bea's bread"]["latitude"]) == ("LS8", "")
    assert "Baker" not in text
    assert AuditEvent.objects.get(action="export.assets_csv").detail == {"rows": 5}


def test_hsds_package_maps_organisations_services_and_locations(organiser, client_for, settings) -> None:
    settings.ASSETS_HSDS_STATE_PROVINCE = "West Yorkshire"
    lab = stocked_lab(organiser)
    response = client_for(organiser).get(reverse("assets:export_hsds", args=[lab.uuid]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    package = json.loads(archive.read("datapackage.json"))
    paths = [resource["path"] for resource in package["resources"]]
    assert sorted(paths) == sorted(archive.namelist()[1:])
    assert paths == [
        "organizations.csv", "services.csv", "locations.csv", "addresses.csv", "service_at_locations.csv"
    ]  # fmt: skip

    def table(path: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(archive.read(path).decode())))

    organisations = {row["name"]: row for row in table("organizations.csv")}
    assert organisations["Harehills Larder"]["description"] == "Grassroots group in Harehills."
    assert organisations["Leeds City Council"]["website"] == "https://leeds.gov.uk"
    services = {row["name"]: row for row in table("services.csv")}
    assert sorted(services) == ["Closed Youth Club", "Community Fridge"]
    assert services["Community Fridge"]["status"] == "active"
    assert services["Closed Youth Club"]["status"] == "inactive"
    assert services["Community Fridge"]["organization_id"] == organisations["Harehills Larder"]["id"]
    locations = {row["name"]: row for row in table("locations.csv")}
    assert sorted(locations) == ['\'=HYPERLINK("http://x")', "Community Fridge", "Old Library"]
    assert locations["Community Fridge"]["location_type"] == "physical"
    assert locations["Old Library"]["organization_id"] == ""
    (address,) = table("addresses.csv")
    assert (address["location_id"], address["postal_code"], address["country"], address["city"]) == (
        locations["Community Fridge"]["id"], "LS8 5AB", "GB", "Harehills"
    )  # fmt: skip
    assert address["state_province"] == "West Yorkshire"
    (link,) = table("service_at_locations.csv")
    assert (link["service_id"], link["location_id"]) == (
        services["Community Fridge"]["id"], locations["Community Fridge"]["id"]
    )  # fmt: skip
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Bea" not in everything and b"Waiting garden" not in everything and b"Not ours" not in everything
    assert AuditEvent.objects.get(action="export.assets_hsds").detail["rows"]["service"] == 2


def hsds_tables(client: Client, lab: Programme) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("assets:export_hsds", args=[lab.uuid])).content))
    package = json.loads(archive.read("datapackage.json"))
    tables = {
        resource["name"]: list(csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())))
        for resource in package["resources"]
    }
    return package, tables


@pytest.mark.parametrize(
    ("city", "state_province", "addresses"),
    [(None, None, 0), ("", "West Yorkshire", 1), ("Leeds", "West Yorkshire", 2)],
)
def test_every_field_the_hsds_descriptor_requires_is_filled_in_every_row(
    city, state_province, addresses, organiser, client_for, settings
) -> None:
    if city is not None:
        settings.ASSETS_HSDS_CITY, settings.ASSETS_HSDS_STATE_PROVINCE = city, state_province
    lab = stocked_lab(organiser)
    make_asset(lab, "Hyde Park Source", category="natural", postcode="LS6 1AB")  # no organisation, no area
    package, tables = hsds_tables(client_for(organiser), lab)
    for resource in package["resources"]:
        required = [f["name"] for f in resource["schema"]["fields"] if f["constraints"]["required"]]
        for row in tables[resource["name"]]:
            assert all(row[name].strip() for name in required), (resource["name"], row)
    assert len(tables["address"]) == addresses
    assert len(tables["location"]) == 4  # an address left out keeps its location
    assert {"city", "state_province"} <= {
        f["name"] for f in package["resources"][3]["schema"]["fields"] if f["constraints"]["required"]
    }


def test_an_address_without_an_organisations_area_takes_the_configured_city(
    organiser, client_for, settings
) -> None:
    settings.ASSETS_HSDS_CITY, settings.ASSETS_HSDS_STATE_PROVINCE = "Leeds", "West Yorkshire"
    lab = make_lab(organiser=organiser)
    source = make_asset(lab, "Hyde Park Source", category="natural", postcode="LS6 1AB")
    _, tables = hsds_tables(client_for(organiser), lab)
    [address] = tables["address"]
    assert (address["city"], address["state_province"], address["postal_code"]) == (
        "Leeds", "West Yorkshire", "LS6 1AB"
    )  # fmt: skip
    assert address["address_1"] == source.name


def test_hsds_ids_stay_the_same_from_one_export_to_the_next(organiser, client_for) -> None:
    lab = stocked_lab(organiser)
    client = client_for(organiser)
    url = reverse("assets:export_hsds", args=[lab.uuid])
    first, second = (zipfile.ZipFile(io.BytesIO(client.get(url).content)) for _ in range(2))
    assert first.read("locations.csv") == second.read("locations.csv")


def test_geojson_rounds_to_five_places_and_skips_rows_without_both_coordinates() -> None:
    from decimal import Decimal
    from uuid import uuid4

    org = OrganisationRow(id=uuid4(), name="X", kind="Charity")
    rows = [
        AssetRow(
            uuid4(),
            "Edge",
            "natural",
            "exists",
            latitude=Decimal("-89.999999"),
            longitude=Decimal("179.999996"),
        ),
        AssetRow(uuid4(), "Nowhere", "natural", "exists", postcode="LS6", organisations=(org,)),
    ]
    (feature,) = feature_collection(rows)["features"]
    assert feature["geometry"]["coordinates"] == [180.0, -90.0]
