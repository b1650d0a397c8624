"""A map's ripples in the formats evaluators use: CSV (one row per ripple with its path from the
programme, for coding in a spreadsheet), GraphML (Gephi, yEd, Cytoscape, networkx) and a Kumu JSON
blueprint. Pure: text and dicts out, no ORM; views build the ripples' `Tree` (tree.build) and pass
it in, with the names each ripple is linked to as `links`; capital names come from capitals.BY_ID
unless given.

Node ids are "ripple:<id>", the same in every export, so files from different rounds can be
joined; the programme, when named, is the node "programme". Every CSV cell is guarded against
spreadsheet formulas by lib/spreadsheets.py, and words go into XML without the control characters
XML forbids (participants type them in), so every file opens.
"""

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from carecommons.lib.spreadsheets import csv_text
from carecommons.lib.svg import NOT_XML
from carecommons.ripples.charts import Links, capital_words, intent_words
from carecommons.ripples.tree import Tree, path, walk

PATH_JOINER = " › "
LIST_JOINER = "; "
CSV_HEADER = (
    "Id",
    "Path",
    "Depth",
    "Ripple",
    "Date",
    "Valence",
    "Intended",
    "Capitals",
    "Affected",
    "Parent id",
)
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# (key id, applies to, attribute name, GraphML type)
GRAPHML_KEYS = (
    ("n_label", "node", "label", "string"),
    ("n_date", "node", "date", "string"),
    ("n_valence", "node", "valence", "string"),
    ("n_intended", "node", "intended", "string"),
    ("n_capitals", "node", "capitals", "string"),
    ("n_affected", "node", "affected", "string"),
    ("n_depth", "node", "depth", "int"),
)
PROGRAMME = "programme"


def node_key(ripple_id: int | None) -> str:
    return PROGRAMME if ripple_id is None else f"ripple:{ripple_id}"


def ripples_csv(
    tree: Tree, *, links: Links | None = None, capital_names: Mapping[str, str] | None = None
) -> str:
    """One row per ripple, parents before their children, with its path from the programme."""
    return csv_text(
        CSV_HEADER,
        (
            (
                ripple.id,
                PATH_JOINER.join(step.text for step in path(tree, ripple.id)),
                tree.depths[ripple.id],
                ripple.text,
                "" if ripple.happened_on is None else ripple.happened_on.isoformat(),
                ripple.valence.label,
                intent_words(ripple.intent),
                LIST_JOINER.join(capital_words(ripple, capital_names)),
                LIST_JOINER.join((links or {}).get(ripple.id, ())),
                "" if ripple.parent is None else ripple.parent,
            )
            for ripple in walk(tree)
        ),
    )


def xml_text(words: str) -> str:
    return NOT_XML.sub("", words)


def ripples_graphml(
    tree: Tree,
    *,
    links: Links | None = None,
    capital_names: Mapping[str, str] | None = None,
    centre_label: str | None = None,
) -> str:
    """A directed graph, an edge from each ripple to each it led to; with `centre_label`, the
    programme is a node too, with an edge to each ripple hanging from it."""
    root = ET.Element("graphml", xmlns=GRAPHML_NS)
    for key_id, target, name, kind in GRAPHML_KEYS:
        ET.SubElement(root, "key", {"id": key_id, "for": target, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="G", edgedefault="directed")

    def data(parent: ET.Element, key: str, value: str) -> None:
        ET.SubElement(parent, "data", key=key).text = xml_text(value)

    if centre_label is not None:
        data(ET.SubElement(graph, "node", id=PROGRAMME), "n_label", centre_label)
    for ripple in walk(tree):
        node = ET.SubElement(graph, "node", id=xml_text(node_key(ripple.id)))
        data(node, "n_label", ripple.text)
        if ripple.happened_on is not None:
            data(node, "n_date", ripple.happened_on.isoformat())
        data(node, "n_valence", ripple.valence.label)
        data(node, "n_intended", intent_words(ripple.intent))
        data(node, "n_capitals", LIST_JOINER.join(capital_words(ripple, capital_names)))
        data(node, "n_affected", LIST_JOINER.join((links or {}).get(ripple.id, ())))
        data(node, "n_depth", str(tree.depths[ripple.id]))
    for number, (source, target) in enumerate(edges(tree, programme=centre_label is not None)):
        ET.SubElement(graph, "edge", id=f"e{number}", source=xml_text(source), target=xml_text(target))
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + ET.tostring(root, encoding="unicode")


def edges(tree: Tree, *, programme: bool) -> list[tuple[str, str]]:
    """(from, to) node keys, parent to child, in the map's order."""
    return [
        (node_key(ripple.parent), node_key(ripple.id))
        for ripple in walk(tree)
        if ripple.parent is not None or programme
    ]


def ripples_kumu(
    tree: Tree,
    *,
    links: Links | None = None,
    capital_names: Mapping[str, str] | None = None,
    centre_label: str | None = None,
) -> dict[str, object]:
    """A Kumu blueprint: a "Ripple" element per ripple, tagged with its valence, intent and
    capitals (so Kumu can colour and filter by them), and a "led to" connection per parent."""
    elements: list[dict[str, object]] = []
    if centre_label is not None:
        elements.append({"id": PROGRAMME, "label": centre_label, "type": "Programme", "tags": []})
    for ripple in walk(tree):
        capitals = list(capital_words(ripple, capital_names))
        tags = [word for word in (ripple.valence.label, intent_words(ripple.intent)) if word] + capitals
        elements.append(
            {
                "id": node_key(ripple.id),
                "label": ripple.text,
                "type": "Ripple",
                "tags": tags,
                "Date": "" if ripple.happened_on is None else ripple.happened_on.isoformat(),
                "Valence": ripple.valence.label,
                "Intended": intent_words(ripple.intent),
                "Capitals": capitals,
                "Affected": list((links or {}).get(ripple.id, ())),
                "Depth": tree.depths[ripple.id],
            }
        )
    connections = [
        {"id": f"{source}|{target}", "from": source, "to": target, "type": "led to", "direction": "directed"}
        for source, target in edges(tree, programme=centre_label is not None)
    ]
    return {"elements": elements, "connections": connections}
