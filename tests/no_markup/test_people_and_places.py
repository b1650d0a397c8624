"""Names and words typed about people, organisations and community assets are shown as text in the
directory, on a person's pages, the network page (its table and its map's data island), the asset
pages, the audit pages and the erasure pages."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.assets.models import Asset
from carecommons.assets.services import suggest_asset
from carecommons.assets.tests.factories import make_asset
from carecommons.listening.tests.factories import make_person
from carecommons.networks.tests.factories import make_network, snapshot_of
from carecommons.people.erasure import request_erasure
from carecommons.people.services import add_affiliation, create_organisation, update_person
from carecommons.programmes.tests.factories import person_of
from tests.no_markup.typed import IN_DATA_ISLAND, TYPED, assert_nowhere_raw, shows, typed

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
PERSON, ORGANISATION, ROLE, NEEDS = typed("Ann"), typed("Org"), typed("Role"), typed("Needs")
STAFF, LAB = typed("Staffer"), typed("Lab")


def test_person_and_organisation_names_in_markup_are_text_in_the_directory_audit_and_erasure_pages(
    convenor: User, participant: User, client_for: Clients
) -> None:
    User.objects.filter(pk=convenor.pk).update(display_name=STAFF)  # as an account's name is typed
    person = update_person(
        person=person_of(participant), by=convenor, given_name=PERSON, accessibility_needs=NEEDS
    )
    organisation = create_organisation(
        by=None, name=ORGANISATION, kind="grassroots", description=ORGANISATION
    )
    add_affiliation(person=person, organisation=organisation, role=ROLE, by=None)
    erasure = request_erasure(person=person, by=participant)
    staff = client_for(convenor)

    shows(staff, reverse("people:person_list"), PERSON)
    shows(staff, reverse("people:person_list") + "?q=Ann", PERSON)
    shows(staff, reverse("people:person_detail", args=[person.uuid]), PERSON, NEEDS, ORGANISATION, ROLE)
    shows(staff, reverse("people:person_edit", args=[person.uuid]), PERSON, NEEDS)
    shows(staff, reverse("people:organisation_list"), ORGANISATION)
    shows(staff, reverse("people:organisation_detail", args=[organisation.uuid]), ORGANISATION, PERSON)
    shows(staff, reverse("people:erasure_list"), PERSON)
    shows(staff, reverse("people:erasure_detail", args=[erasure.uuid]), PERSON)
    shows(staff, reverse("audit:event_list") + f"?action={TYPED}", TYPED)

    own = client_for(participant)
    shows(own, reverse("people:person_audit", args=[person.uuid]), PERSON, STAFF)
    shows(own, reverse("people:own_data", args=[person.uuid]), PERSON, NEEDS, ORGANISATION)
    shows(own, reverse("people:erasure_ask", args=[person.uuid]))
    assert_nowhere_raw(own.get(reverse("people:erasure_ask", args=[person.uuid])).content.decode())


def test_names_in_markup_are_text_in_the_network_table_and_escaped_in_its_data_island(
    organiser: User, client_for: Clients
) -> None:
    net = make_network(organiser, name=LAB)
    update_person(person=net.amira, by=None, given_name=PERSON)
    snapshot_of(net.lab)
    page = shows(client_for(organiser), reverse("networks:network_page", args=[net.lab.uuid]), PERSON, LAB)
    island = page[page.index('<script id="network-data"') :]
    island = island[: island.index("</script>") + len("</script>")]
    assert IN_DATA_ISLAND in island
    assert "<" not in island[island.index(">") + 1 : island.rindex("</script>")]


def test_asset_names_and_descriptions_in_markup_are_text_on_every_asset_page(
    organiser: User, participant: User, client_for: Clients
) -> None:
    helper = make_person(PERSON)
    place = create_organisation(by=None, name=ORGANISATION, kind="grassroots")
    net = make_network(organiser, name=LAB)
    asset = make_asset(net.lab, typed("Hall"), description=typed("Warm"), postcode="LS6 1AA")
    asset.people.add(helper)
    asset.organisations.add(place)
    suggest_asset(lab=net.lab, by=organiser, name=typed("Suggested"), category="association")
    client = client_for(organiser)
    list_url = reverse("assets:asset_list", args=[net.lab.uuid])
    shows(client, list_url, typed("Hall"))
    shows(client, list_url + "?moderation=pending", typed("Suggested"))
    shows(client, reverse("assets:asset_detail", args=[asset.uuid]), typed("Hall"), typed("Warm"), PERSON)
    shows(client, reverse("assets:asset_edit", args=[asset.uuid]), typed("Hall"), typed("Warm"))
    shows(client, reverse("assets:moderation_queue", args=[net.lab.uuid]), typed("Suggested"))
    geojson = client.get(reverse("assets:export_geojson", args=[net.lab.uuid]))
    assert not geojson["Content-Type"].startswith("text/html")
    assert Asset.objects.filter(name=typed("Hall")).exists()
