"""The exports: a CSV that opens safely and reads back exactly, GraphML that networkx reads back,
and a Kumu blueprint whose connections join its elements."""

import csv
import io
import json
from datetime import date

import networkx as nx

from carecommons.lib.spreadsheets import unguard
from carecommons.ripples.capitals import Intent, Valence
from carecommons.ripples.exports import CSV_HEADER, ripples_csv, ripples_graphml, ripples_kumu
from carecommons.ripples.tree import RippleNode, build

MARKUP = "<script>alert(1)</script> & co"
CAPITALS = {"social": "Social", "political": "Political", "human": "Human"}
POSITIVE, NEGATIVE, MIXED = Valence
RIPPLES = build(
    [
        RippleNode(
            1, None, '=HYPERLINK("http://x","click")', date(2025, 3, 1), POSITIVE, frozenset({"social"})
        ),
        RippleNode(
            2, 1, MARKUP, date(2025, 4, 2), POSITIVE, frozenset({"social", "political"}), Intent.INTENDED
        ),
        RippleNode(3, 2, "Council funded\x0b a garden", None, MIXED, frozenset({"political"})),
        RippleNode(
            4,
            None,
            "-Volunteers burned out",
            date(2025, 5, 1),
            NEGATIVE,
            frozenset({"human"}),
            Intent.UNINTENDED,
        ),
    ]
)
LINKS = {2: ["@Estate Tenants"]}


def records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_csv_has_one_row_per_ripple_with_its_path_from_the_programme() -> None:
    header, *rows = records(ripples_csv(RIPPLES, links=LINKS, capital_names=CAPITALS))
    assert tuple(header) == CSV_HEADER
    by_id = {row[0]: [unguard(cell) for cell in row] for row in rows}
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    tenants = by_id["2"]
    assert tenants[1] == f'=HYPERLINK("http://x","click") › {MARKUP}'
    assert tenants[2:] == [
        "2",
        MARKUP,
        "2025-04-02",
        "Positive",
        "Intended",
        "Social; Political",
        "@Estate Tenants",
        "1",
    ]
    assert by_id["3"][2] == "3" and by_id["3"][4] == "" and by_id["4"][6] == "Unintended"
    assert by_id["3"][6] == "" and by_id["3"][8] == ""


def test_no_csv_cell_starts_a_formula() -> None:
    _, *rows = records(ripples_csv(RIPPLES, links=LINKS, capital_names=CAPITALS))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://x","click")' in cells and "'@Estate Tenants" in cells
    assert "'-Volunteers burned out" in cells


def test_the_graphml_reads_back_through_networkx_with_every_word_exact() -> None:
    text = ripples_graphml(RIPPLES, links=LINKS, capital_names=CAPITALS)
    graph = nx.parse_graphml(text)
    assert graph.is_directed()
    assert set(graph.nodes) == {"ripple:1", "ripple:2", "ripple:3", "ripple:4"}
    assert set(graph.edges) == {("ripple:1", "ripple:2"), ("ripple:2", "ripple:3")}
    tenants = graph.nodes["ripple:2"]
    assert tenants["label"] == MARKUP and tenants["date"] == "2025-04-02" and tenants["valence"] == "Positive"
    assert tenants["capitals"] == "Social; Political" and tenants["depth"] == 2
    assert (
        graph.nodes["ripple:3"]["label"] == "Council funded a garden"
    )  # the control character XML forbids is dropped
    assert "date" not in graph.nodes["ripple:3"]


def test_the_programme_is_the_root_of_the_graph_when_named() -> None:
    graph = nx.parse_graphml(
        ripples_graphml(RIPPLES, capital_names=CAPITALS, centre_label="Radical <Caring>")
    )
    assert graph.nodes["programme"]["label"] == "Radical <Caring>"
    assert set(graph.successors("programme")) == {"ripple:1", "ripple:4"}
    assert nx.is_arborescence(graph)


def test_the_kumu_blueprint_has_ripples_tagged_by_their_codes_and_connections_between_them() -> None:
    blueprint = ripples_kumu(RIPPLES, links=LINKS, capital_names=CAPITALS, centre_label="Radical Caring")
    assert set(blueprint) == {"elements", "connections"}
    elements = blueprint["elements"]
    connections = blueprint["connections"]
    assert isinstance(elements, list) and isinstance(connections, list)
    ids = [element["id"] for element in elements]
    assert len(ids) == len(set(ids)) == 5
    tenants = next(element for element in elements if element["id"] == "ripple:2")
    assert tenants["label"] == MARKUP and tenants["type"] == "Ripple"
    assert tenants["tags"] == ["Positive", "Intended", "Social", "Political"]
    assert tenants["Affected"] == ["@Estate Tenants"]
    assert {(c["from"], c["to"]) for c in connections} == {
        ("programme", "ripple:1"),
        ("programme", "ripple:4"),
        ("ripple:1", "ripple:2"),
        ("ripple:2", "ripple:3"),
    }
    assert all(c["from"] in ids and c["to"] in ids and c["direction"] == "directed" for c in connections)
    assert json.loads(json.dumps(blueprint)) == blueprint
