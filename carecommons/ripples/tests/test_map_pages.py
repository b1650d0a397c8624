import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.programmes.tests.factories import make_programme
from carecommons.ripples import services
from carecommons.ripples.models import EvidenceShare, MappingRound, Ripple
from carecommons.ripples.tests.factories import Clients, give, make_round, ripple
from conftest import make_user

pytestmark = pytest.mark.django_db
PAGES = ("map_detail", "map_timeline", "map_capitals", "map_agreement", "map_changes")
EXPORTS = ("export_csv", "export_graphml", "export_kumu")
MARKUP = "<script>alert(1)</script> & co"


def url(name: str, mapping_round: MappingRound, **query: str) -> str:
    address = reverse(f"ripples:{name}", args=[mapping_round.programme.uuid])
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def spring_and_summer(facilitator: User) -> tuple[MappingRound, MappingRound]:
    programme = make_programme("Radical Caring", workshops=1)
    spring = make_round(facilitator, programme=programme, held_on=date(2025, 3, 1), title="Spring map")
    summer = make_round(facilitator, programme=programme, held_on=date(2025, 6, 1), title="Summer map")
    return spring, summer


def test_only_convenors_and_facilitators_of_the_programmes_rounds_reach_its_map(
    facilitator: User, participant: User, convenor: User, outsider: User, client_for: Clients
) -> None:
    mapping_round = make_round(facilitator, participant)
    ripple(mapping_round, facilitator)
    elsewhere = make_user("elsewhere", [Role.FACILITATOR])
    make_round(elsewhere)
    expected = {facilitator: 200, convenor: 200, participant: 404, outsider: 404, elsewhere: 404}
    for user, status in expected.items():
        client = client_for(user)
        for name in PAGES + EXPORTS:
            assert client.get(url(name, mapping_round)).status_code == status, (user.email, name)


def test_each_map_page_records_who_looked(facilitator: User, client_for: Clients) -> None:
    mapping_round = make_round(facilitator)
    client = client_for(facilitator)
    for name in PAGES:
        client.get(url(name, mapping_round))
    actions = set(
        AuditEvent.objects.filter(target_id=str(mapping_round.programme.uuid)).values_list(
            "action", flat=True
        )
    )
    assert {
        f"ripples.{page}_viewed" for page in ("map", "timeline", "capitals", "agreement", "changes")
    } <= actions


def test_the_map_shows_the_ripples_as_a_drawing_and_as_a_nested_list_of_links(
    facilitator: User, client_for: Clients
) -> None:
    mapping_round = make_round(facilitator)
    top = ripple(mapping_round, facilitator, "Kept meeting", happened_on=date(2025, 3, 4))
    middle = ripple(
        mapping_round, facilitator, "Started a lunch club", parent=top, capitals=("social", "human")
    )
    ripple(mapping_round, facilitator, "Council lent the hall", parent=middle, valence="mixed")
    ripple(mapping_round, facilitator, "Volunteer burned out", valence="negative")
    response = client_for(facilitator).get(url("map_detail", mapping_round))
    html = response.content.decode()
    assert 'role="img"' in html and 'width="100%"' in html
    start = html.index('class="ripple-list"')
    listed = html[start : html.index("</details>", start)]
    assert listed.index("Kept meeting") < listed.index("Started a lunch club") < listed.index("Volunteer")
    assert listed.count("<ul>") == 2 and listed.count("</ul>") == 3
    assert "positive; 4 March 2025" in listed and "capitals: Human, Social" in listed and "(mixed" in listed
    for made in Ripple.objects.all():
        assert reverse("ripples:ripple_detail", args=[made.uuid]) in listed
    assert "4 ripples, 3 levels deep, from 1 round." in html
    assert reverse("ripples:export_csv", args=[mapping_round.programme.uuid]) in html
    assert " style=" not in html and "<style" not in html


def test_typed_markup_is_escaped_in_the_map_and_its_list(facilitator: User, client_for: Clients) -> None:
    mapping_round = make_round(facilitator)
    ripple(mapping_round, facilitator, MARKUP)
    html = client_for(facilitator).get(url("map_detail", mapping_round)).content.decode()
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert escaped in svg
    assert escaped in html[html.index('class="ripple-list"') :]


def test_the_map_page_reads_as_many_queries_for_60_ripples_as_for_5(
    facilitator: User, client_for: Clients
) -> None:
    small, large = make_round(facilitator), make_round(facilitator)
    for _ in range(5):
        ripple(small, facilitator)
    for branch in range(6):
        parent = None
        for level in range(10):
            parent = ripple(large, facilitator, f"Branch {branch} level {level}", parent=parent)
    client = client_for(facilitator)
    counts = []
    for mapping_round in (small, large):
        client.get(url("map_detail", mapping_round))  # sessions and second factor settle first
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("map_detail", mapping_round))
        assert response.status_code == 200
        counts.append(len(queries))
    assert Ripple.objects.filter(round=large).count() == 60
    assert counts[0] == counts[1]


def test_the_map_as_of_a_round_leaves_out_the_ripples_of_later_rounds(
    facilitator: User, client_for: Clients
) -> None:
    spring, summer = spring_and_summer(facilitator)
    first = ripple(spring, facilitator, "Named in spring")
    ripple(summer, facilitator, "Named in summer", parent=first)
    client = client_for(facilitator)
    then = client.get(url("map_detail", spring, round=str(spring.uuid))).content.decode()
    assert "Named in spring" in then and "Named in summer" not in then
    assert "As it was after Spring map" in then
    now = client.get(url("map_detail", spring)).content.decode()
    assert "Named in spring" in now and "Named in summer" in now
    capitals = client.get(url("map_capitals", spring, round=str(spring.uuid)))
    assert capitals.context["count"] == 1


def test_a_round_that_is_not_the_programmes_is_refused_beside_the_field(
    facilitator: User, client_for: Clients
) -> None:
    mapping_round = make_round(facilitator)
    other = make_round(facilitator)
    ripple(mapping_round, facilitator, "Still shown")
    response = client_for(facilitator).get(url("map_detail", mapping_round, round=str(other.uuid)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of this programme&#x27;s rounds." in html
    assert "Still shown" in html


def test_the_changes_page_lists_what_is_new_and_what_grew(facilitator: User, client_for: Clients) -> None:
    spring, summer = spring_and_summer(facilitator)
    garden = ripple(spring, facilitator, "Planted a garden")
    ripple(spring, facilitator, "Shared seeds", parent=garden)
    quiet = ripple(spring, facilitator, "Wrote a newsletter")
    market = ripple(summer, facilitator, "Sold veg at the market", parent=garden)
    ripple(summer, facilitator, "Met the council", parent=market)
    response = client_for(facilitator).get(url("map_changes", spring))  # the last two rounds by default
    assert response.context["earlier"] == spring and response.context["later"] == summer
    new = [row.path for row in response.context["new"]]
    assert new == [
        "Planted a garden › Sold veg at the market",
        "Planted a garden › Sold veg at the market › Met the council",
    ]
    grew = [(row.text, row.before, row.after) for row in response.context["grew"]]
    assert grew == [("Planted a garden", 1, 3)]  # the market is new, the newsletter did not grow
    assert quiet.text not in new
    html = response.content.decode()
    assert "3 → 5 ripples" in html
    backwards = client_for(facilitator).get(
        url("map_changes", spring, **{"from": str(summer.uuid), "to": str(spring.uuid)})
    )
    assert backwards.context["earlier"] == spring and backwards.context["swapped"]


def test_the_changes_page_with_one_round_says_two_are_needed(facilitator: User, client_for: Clients) -> None:
    mapping_round = make_round(facilitator)
    html = client_for(facilitator).get(url("map_changes", mapping_round)).content.decode()
    assert "needs two rounds" in html


def test_the_agreement_page_shows_kappa_per_capital_from_the_two_codings(
    facilitator: User, convenor: User, client_for: Clients
) -> None:
    mapping_round = make_round(facilitator)
    # First coder, second coder: social yes/yes twice, yes/no once, no/yes once, no/no twice.
    codings = [
        ({"social"}, {"social"}),
        ({"social"}, {"social"}),
        ({"social"}, {"human"}),
        ({"human"}, {"social"}),
        ({"human"}, {"human"}),
        ({"human"}, {"human"}),
    ]
    made = []
    for number, (first, second) in enumerate(codings):
        coded = ripple(mapping_round, facilitator, f"Ripple {number}", capitals=tuple(first))
        services.second_code(ripple=coded, capitals=second, by=convenor)
        made.append(coded)
    ripple(mapping_round, facilitator, "Coded once only")
    both_yes, first_only, second_only, both_no = 2, 1, 1, 2
    n = both_yes + first_only + second_only + both_no
    observed = (both_yes + both_no) / n
    first_yes, second_yes = (both_yes + first_only) / n, (both_yes + second_only) / n
    chance = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    kappa = (observed - chance) / (1 - chance)
    response = client_for(facilitator).get(url("map_agreement", mapping_round))
    rows = {row.name: row for row in response.context["capitals"]}
    social = rows["Social"]
    assert (social.found.table.both_yes, social.found.table.first_only) == (both_yes, first_only)
    assert (social.found.table.second_only, social.found.table.both_no) == (second_only, both_no)
    assert social.kappa == f"{kappa:.2f}" == "0.33"
    assert rows["Natural"].kappa == "not defined" and "neither coder" in rows["Natural"].why_not
    html = response.content.decode()
    assert "6 ripples coded by both coders, of 7 on the map" in html
    assert "0.33" in html and social.interval in html
    disagreeing = [row.text for row in response.context["disagreements"]]
    assert disagreeing == ["Ripple 2", "Ripple 3"]
    assert reverse("ripples:ripple_detail", args=[made[2].uuid]) in html


def test_the_agreement_page_reads_the_same_queries_however_many_ripples_are_coded(
    facilitator: User, convenor: User, client_for: Clients
) -> None:
    small, large = make_round(facilitator), make_round(facilitator)
    for mapping_round, count in ((small, 2), (large, 12)):
        for _ in range(count):
            services.second_code(ripple=ripple(mapping_round, facilitator), capitals=["human"], by=convenor)
    client = client_for(facilitator)
    counts = []
    for mapping_round in (small, large):
        client.get(url("map_agreement", mapping_round))
        with CaptureQueriesContext(connection) as queries:
            client.get(url("map_agreement", mapping_round))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_timeline_and_capitals_give_their_figures_as_tables(
    facilitator: User, client_for: Clients
) -> None:
    mapping_round = make_round(facilitator)
    ripple(mapping_round, facilitator, "A", happened_on=date(2025, 1, 5), capitals=("social", "human"))
    ripple(mapping_round, facilitator, "B", happened_on=date(2025, 3, 9), valence="negative")
    ripple(mapping_round, facilitator, "C", capitals=())
    client = client_for(facilitator)
    timeline = client.get(url("map_timeline", mapping_round))
    assert timeline.context["rows"] == [
        ("January 2025", "1", "0", "0"),
        ("February 2025", "0", "0", "0"),
        ("March 2025", "0", "1", "0"),
    ]
    html = timeline.content.decode()
    assert "1 ripple with no date is not in the chart" in html
    assert reverse("ripples:round_detail", args=[mapping_round.uuid]) in html
    capitals = client.get(url("map_capitals", mapping_round))
    assert capitals.context["rows"] == [("Human", "1", "0", "0"), ("Social", "1", "1", "0")]
    assert capitals.context["uncoded"] == 1


def test_each_export_is_audited_parses_and_holds_no_evidence(facilitator: User, client_for: Clients) -> None:
    mapping_round = make_round(facilitator)
    top = ripple(mapping_round, facilitator, MARKUP)
    ripple(mapping_round, facilitator, "Then a garden", parent=top)
    give(top, facilitator, facilitator, "My secret words", EvidenceShare.BEYOND)
    client = client_for(facilitator)
    today = timezone.localdate().isoformat()
    bodies = {}
    for name, extension, content_type in (
        ("export_csv", "csv", "text/csv"),
        ("export_graphml", "graphml", "application/graphml+xml"),
        ("export_kumu", "kumu.json", "application/json"),
    ):
        response = client.get(url(name, mapping_round))
        assert response["Content-Type"].startswith(content_type)
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="ripples-radical-caring-{today}.{extension}"'
        )
        bodies[name] = response.content.decode()
        assert "My secret words" not in bodies[name]
    header, *rows = list(csv.reader(io.StringIO(bodies["export_csv"], newline="")))
    assert header[:2] == ["Id", "Path"] and len(rows) == 2
    assert rows[1][1] == f"{MARKUP} › Then a garden"
    graph = ET.fromstring(bodies["export_graphml"].encode())  # noqa: S314 - our own output
    nodes = graph.findall(".//{http://graphml.graphdrawing.org/xmlns}node")
    assert len(nodes) == 3  # the programme and its two ripples
    kumu = json.loads(bodies["export_kumu"])
    assert {element["label"] for element in kumu["elements"]} == {"Radical Caring", MARKUP, "Then a garden"}
    formats = [
        event.detail["format"]
        for event in AuditEvent.objects.filter(action="ripples.exported").order_by("id")
    ]
    assert formats == ["csv", "graphml", "kumu"]
