import csv
import io
import json
import re
from collections.abc import Callable
from datetime import timedelta

import networkx as nx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.listening.tests.factories import make_person
from carecommons.networks.models import Snapshot
from carecommons.networks.tests.factories import Network, key, make_network, snapshot_of
from carecommons.people.services import add_relationship
from carecommons.programmes.tests.factories import enrol
from conftest import make_user

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]


@pytest.fixture
def net(organiser: User) -> Network:
    return make_network(organiser)


def page_url(net: Network) -> str:
    return reverse("networks:network_page", args=[net.lab.uuid])


def test_the_organiser_sees_the_map_and_the_same_network_as_lists(
    net: Network, organiser: User, client_for: Clients
) -> None:
    snapshot_of(net.lab)
    response = client_for(organiser).get(page_url(net))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="network-map-section"' in html and " hidden>" in html  # shown by the script only
    assert 'role="img"' in html
    assert 'id="__________cytoscape_stylesheet"' in html
    assert "js/vendor/cytoscape.min.js" in html and "js/network-map.js" in html
    found = re.search(r'id="network-data" type="application/json">(.*?)</script>', html)
    assert found is not None
    data = json.loads(found.group(1))
    assert {node["id"] for node in data["nodes"]} == {
        key(p) for p in (net.organiser, net.amira, net.bea, net.cal, net.dev, net.library)
    }
    assert len(data["edges"]) == 5
    lists = response.context["bridges"], response.context["isolated"], response.context["rows"]
    assert [row.node.label for row in lists[0]] == ["Amira Khan"]
    assert [row.node.label for row in lists[1]] == ["Dev Patel"]
    assert len(lists[2]) == 6
    assert "The only link between" in html
    assert reverse("people:person_detail", args=[net.amira.uuid]) in html
    assert reverse("listening:conversation_list", args=[net.lab.uuid]) in html
    assert reverse("assets:asset_list", args=[net.lab.uuid]) in html


def test_the_page_has_no_inline_script_or_style(net: Network, organiser: User, client_for: Clients) -> None:
    snapshot_of(net.lab)
    html = client_for(organiser).get(page_url(net)).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    for attributes in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes
    assert " style=" not in html and "<style" not in html


def test_before_any_snapshot_the_page_says_how_to_take_one(
    net: Network, organiser: User, client_for: Clients
) -> None:
    response = client_for(organiser).get(page_url(net))
    assert response.status_code == 200
    assert "No snapshot yet" in response.content.decode()
    assert "cytoscape" not in response.content.decode()


def test_only_the_labs_organisers_and_convenors_see_its_network(
    net: Network, convenor: User, participant: User, client_for: Clients
) -> None:
    snapshot = snapshot_of(net.lab)
    enrol(net.lab.cohorts.get(), participant)
    urls = [page_url(net), reverse("networks:snapshot_detail", args=[snapshot.uuid])]
    for url in urls:
        assert client_for(convenor).get(url).status_code == 200
        assert client_for(participant).get(url).status_code == 404


def test_an_organiser_of_another_lab_gets_a_404(net: Network, client_for: Clients) -> None:
    elsewhere = make_user("elsewhere", [Role.ORGANISER])
    make_network(elsewhere, name="Hilltop Care Lab")
    snapshot = snapshot_of(net.lab)
    client = client_for(elsewhere)
    for name, args in (
        ("networks:network_page", [net.lab.uuid]),
        ("networks:compare", [net.lab.uuid]),
        ("networks:snapshot_detail", [snapshot.uuid]),
        ("networks:export_graphml", [snapshot.uuid]),
        ("networks:export_nodes_csv", [snapshot.uuid]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("networks:take_snapshot", args=[net.lab.uuid])).status_code == 404
    assert not AuditEvent.objects.filter(action="network.exported").exists()


def test_taking_a_snapshot_twice_by_double_click_makes_one(
    net: Network, organiser: User, client_for: Clients
) -> None:
    client = client_for(organiser)
    form_key = client.get(page_url(net)).context["snapshot_form"]["submission"].initial
    url = reverse("networks:take_snapshot", args=[net.lab.uuid])
    first = client.post(url, {"submission": form_key})
    second = client.post(url, {"submission": form_key}, follow=True)
    assert first.status_code == 302 and first["Location"] == page_url(net)
    assert Snapshot.objects.filter(lab=net.lab).count() == 1
    assert "less than a minute ago" in second.content.decode()
    assert client.get(url).status_code == 405


def test_the_page_takes_the_same_number_of_queries_at_any_size(
    net: Network, organiser: User, client_for: Clients
) -> None:
    client = client_for(organiser)
    snapshot_of(net.lab, days_ago=30)
    snapshot_of(net.lab)
    client.get(page_url(net))
    with CaptureQueriesContext(connection) as small:
        client.get(page_url(net))
    cohort = net.lab.cohorts.get()
    for i in range(60):
        person = make_person(f"Extra{i}", "Member")
        enrol(cohort, person)
        add_relationship(from_person=person, to_person=net.bea, kind="neighbour", by=None)
    Snapshot.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    snapshot_of(net.lab, days_ago=1)
    snapshot_of(net.lab)
    with CaptureQueriesContext(connection) as large:
        response = client.get(page_url(net))
    assert response.context["page"].paginator.num_pages == 2
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_older_snapshot_has_its_own_page(net: Network, organiser: User, client_for: Clients) -> None:
    old = snapshot_of(net.lab, days_ago=90)
    snapshot_of(net.lab)
    response = client_for(organiser).get(reverse("networks:snapshot_detail", args=[old.uuid]))
    html = response.content.decode()
    assert "This is an older snapshot" in html
    assert response.context["snapshot"] == old
    assert len(response.context["map_data"]["edges"]) == 1


def compare_url(net: Network, a: Snapshot, b: Snapshot | str) -> str:
    b_id = b if isinstance(b, str) else b.uuid
    return f"{reverse('networks:compare', args=[net.lab.uuid])}?a={a.uuid}&b={b_id}"


def test_comparing_two_snapshots_shows_who_became_connected_and_who_became_a_bridge(
    net: Network, organiser: User, client_for: Clients
) -> None:
    old = snapshot_of(net.lab, days_ago=90)
    newcomer = make_person("Nia", "Newcomer")
    enrol(net.lab.cohorts.get(), newcomer)
    add_relationship(from_person=newcomer, to_person=net.bea, kind="neighbour", by=None)
    new = snapshot_of(net.lab)
    response = client_for(organiser).get(compare_url(net, old, new))
    assert response.status_code == 200
    changes = response.context["changes"]
    # 90 days ago only Amira and the library were tied (the largest group, of two).
    connected = {n.label for n in changes.became_connected}
    assert connected == {"Bea Osei", "Cal Reyes", net.organiser.display_name}
    assert [n.label for n in changes.became_bridge] == ["Amira Khan", "Bea Osei"]
    assert [n.label for n in changes.new] == ["Nia Newcomer"]
    assert "Dev Patel" not in {n.label for n in changes.became_connected}
    html = response.content.decode()
    assert "Became connected (3)" in html and "Became a bridge (2)" in html


def test_the_compare_page_takes_the_same_number_of_queries_at_any_size(
    net: Network, organiser: User, client_for: Clients
) -> None:
    client = client_for(organiser)
    small_url = compare_url(net, snapshot_of(net.lab, days_ago=90), snapshot_of(net.lab))
    client.get(small_url)
    with CaptureQueriesContext(connection) as small:
        client.get(small_url)
    cohort = net.lab.cohorts.get()
    for i in range(60):
        person = make_person(f"Extra{i}", "Member")
        enrol(cohort, person)
        add_relationship(from_person=person, to_person=net.bea, kind="neighbour", by=None)
    Snapshot.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    large_url = compare_url(net, snapshot_of(net.lab, days_ago=1), snapshot_of(net.lab))
    with CaptureQueriesContext(connection) as large:
        response = client.get(large_url)
    assert len(response.context["changes"].degree_changes) > 60
    assert len(large.captured_queries) == len(small.captured_queries)


def test_comparing_a_snapshot_with_itself_or_an_unknown_one_says_so_beside_the_field(
    net: Network, organiser: User, client_for: Clients
) -> None:
    old = snapshot_of(net.lab, days_ago=90)
    snapshot_of(net.lab)
    client = client_for(organiser)
    same = client.get(compare_url(net, old, old))
    assert same.context["form"].errors == {
        "b": ["Choose a different snapshot from the first one to see what changed."]
    }
    assert "changes" not in same.context
    unknown = client.get(compare_url(net, old, "not-a-snapshot"))
    assert unknown.context["form"].errors == {"b": ["Choose one of this lab's snapshots."]}
    assert 'value="' + str(old.uuid) + '" selected' in unknown.content.decode()


def test_the_compare_page_without_a_choice_shows_the_form_with_the_two_latest(
    net: Network, organiser: User, client_for: Clients
) -> None:
    old = snapshot_of(net.lab, days_ago=90)
    new = snapshot_of(net.lab)
    response = client_for(organiser).get(reverse("networks:compare", args=[net.lab.uuid]))
    assert response.context["form"].initial == {"a": str(old.uuid), "b": str(new.uuid)}
    assert "changes" not in response.context


def export(client: Client, name: str, snapshot: Snapshot) -> bytes:
    response = client.get(reverse(f"networks:{name}", args=[snapshot.uuid]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content


def test_graphml_reads_back_in_networkx_with_every_measure(
    net: Network, organiser: User, client_for: Clients
) -> None:
    snapshot = snapshot_of(net.lab)
    body = export(client_for(organiser), "export_graphml", snapshot)
    graph = nx.read_graphml(io.BytesIO(body))
    assert set(graph.nodes) == set(snapshot.nodes.values_list("key", flat=True))
    assert graph.number_of_edges() == 5
    amira = graph.nodes[key(net.amira)]
    assert amira["label"] == "Amira Khan" and amira["kind"] == "person"
    assert amira["degree"] == 4 and amira["is_bridge"] is True
    assert amira["betweenness"] == pytest.approx(0.5)
    assert "community" not in graph.nodes[key(net.dev)]
    tie = graph.edges[key(net.amira), key(net.cal)]
    assert tie["kind"] == "attended together, friend, suggested" and tie["weight"] == pytest.approx(2.5)
    event = AuditEvent.objects.get(action="network.exported")
    assert event.detail["format"] == "graphml" and event.target_id == str(snapshot.uuid)


def test_the_kumu_blueprint_carries_measures_from_each_snapshot_as_dated_fields(
    net: Network, organiser: User, client_for: Clients
) -> None:
    old = snapshot_of(net.lab, days_ago=90)
    new = snapshot_of(net.lab)
    blueprint = json.loads(export(client_for(organiser), "export_kumu", new))
    elements = {e["id"]: e for e in blueprint["elements"]}
    amira = elements[key(net.amira)]
    old_day = f"{timezone.localdate(old.taken_at):%Y-%m-%d}"
    new_day = f"{timezone.localdate(new.taken_at):%Y-%m-%d}"
    assert amira["type"] == "Person" and amira["label"] == "Amira Khan"
    assert amira[f"Degree {old_day}"] == 1 and amira[f"Degree {new_day}"] == 4
    assert amira[f"Bridge {old_day}"] == "no" and amira[f"Bridge {new_day}"] == "yes"
    assert elements[key(net.library)]["type"] == "Organisation"
    assert len(blueprint["connections"]) == 5
    connection_ids = {c["id"] for c in blueprint["connections"]}
    assert len(connection_ids) == 5
    for c in blueprint["connections"]:
        assert c["from"] in elements and c["to"] in elements and c["direction"] == "undirected"
    assert AuditEvent.objects.get(action="network.exported").detail["format"] == "kumu"


def test_the_csv_files_are_guarded_against_spreadsheet_formulas(organiser: User, client_for: Clients) -> None:
    net = make_network(organiser)
    sly = make_person("=HYPERLINK(1)", "-2")
    enrol(net.lab.cohorts.get(), sly)
    add_relationship(from_person=sly, to_person=net.dev, kind="friend", by=None)
    snapshot = snapshot_of(net.lab)
    client = client_for(organiser)
    nodes = list(csv.DictReader(io.StringIO(export(client, "export_nodes_csv", snapshot).decode())))
    assert {row["Id"] for row in nodes} == set(snapshot.nodes.values_list("key", flat=True))
    assert next(row for row in nodes if row["Id"] == key(sly))["Label"] == "'=HYPERLINK(1) -2"
    edges = list(csv.DictReader(io.StringIO(export(client, "export_edges_csv", snapshot).decode())))
    assert len(edges) == 6
    assert {row["Type"] for row in edges} == {"Undirected"}
    sly_edge = next(row for row in edges if key(sly) in (row["Source"], row["Target"]))
    assert "'=HYPERLINK(1) -2" in (sly_edge["Source label"], sly_edge["Target label"])
    formats = sorted(
        AuditEvent.objects.filter(action="network.exported").values_list("detail__format", flat=True)
    )
    assert formats == ["edges.csv", "nodes.csv"]


def test_the_json_view_gives_the_whole_snapshot(net: Network, organiser: User, client_for: Clients) -> None:
    snapshot = snapshot_of(net.lab)
    body = json.loads(export(client_for(organiser), "snapshot_json", snapshot))
    assert body["snapshot"]["id"] == str(snapshot.uuid)
    assert len(body["nodes"]) == 6 and len(body["edges"]) == 5
    assert AuditEvent.objects.get(action="network.exported").detail["format"] == "json"
