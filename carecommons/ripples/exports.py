"""A map's ripples in the formats evaluators use: CSV (one row per ripple with its path from the
programme, for coding in a spreadsheet), GraphML (Gephi, yEd, Cytoscape, networkx) and a Kumu JSON
blueprint. Pure: text and dicts out, no ORM; views load the ripples and pass them in.

Node ids are "ripple:<id>", the same in every export, so files from different rounds can be
joined; the programme, when named, is the node "programme". Every CSV cell is guarded against
spreadsheet formulas by lib/spreadsheets.py, and words go into XML without the control characters
XML forbids (participants type them in), so every file opens.
"""

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence

from carecommons.lib.spreadsheets import guard
from carecommons.lib.svg import NOT_XML
from carecommons.ripples.charts import Family, Ripple, capital_words, family, intent_words, valence_words

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


def node_key(ripple_id: str | None) -> str:
    return PROGRAMME if ripple_id is None else f"ripple:{ripple_id}"


def paths(tree: Family) -> dict[str, tuple[str, ...]]:
    """Each ripple's texts from the one hanging from the programme down to itself."""
    found: dict[str, tuple[str, ...]] = {}
    for ripple, _ in tree.order:
        parent = tree.parent[ripple.id]
        found[ripple.id] = (*(found[parent] if parent is not None else ()), ripple.text)
    return found


def csv_text(header: Sequence[str], records: Iterable[Sequence[object]]) -> str:
    """CSV with every cell guarded against spreadsheet formula injection (as networks/exports.py)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        writer.writerow([guard(str(cell)) for cell in record])
    return out.getvalue()


def ripples_csv(ripples: Iterable[Ripple], capital_names: Mapping[str, str]) -> str:
    """One row per ripple, parents before their children, with its path from the programme."""
    tree = family(ripples)
    found = paths(tree)
    return csv_text(
        CSV_HEADER,
        (
            (
                ripple.id,
                PATH_JOINER.join(found[ripple.id]),
                depth,
                ripple.text,
                "" if ripple.happened_on is None else ripple.happened_on.isoformat(),
                ripple.valence,
                intent_words(ripple.intended),
                LIST_JOINER.join(capital_words(ripple, capital_names)),
                LIST_JOINER.join(ripple.links),
                tree.parent[ripple.id] or "",
            )
            for ripple, depth in tree.order
        ),
    )


def xml_text(words: str) -> str:
    return NOT_XML.sub("", words)


def ripples_graphml(
    ripples: Iterable[Ripple],
    capital_names: Mapping[str, str] | None = None,
    *,
    centre_label: str | None = None,
) -> str:
    """A directed graph, an edge from each ripple to each it led to; with `centre_label`, the
    programme is a node too, with an edge to each ripple hanging from it."""
    tree = family(ripples)
    names = capital_names or {}
    root = ET.Element("graphml", xmlns=GRAPHML_NS)
    for key_id, target, name, kind in GRAPHML_KEYS:
        ET.SubElement(root, "key", {"id": key_id, "for": target, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="G", edgedefault="directed")

    def data(parent: ET.Element, key: str, value: str) -> None:
        ET.SubElement(parent, "data", key=key).text = xml_text(value)

    if centre_label is not None:
        data(ET.SubElement(graph, "node", id=PROGRAMME), "n_label", centre_label)
    for ripple, depth in tree.order:
        node = ET.SubElement(graph, "node", id=xml_text(node_key(ripple.id)))
        data(node, "n_label", ripple.text)
        if ripple.happened_on is not None:
            data(node, "n_date", ripple.happened_on.isoformat())
        data(node, "n_valence", ripple.valence)
        data(node, "n_intended", intent_words(ripple.intended))
        data(node, "n_capitals", LIST_JOINER.join(capital_words(ripple, names)))
        data(node, "n_affected", LIST_JOINER.join(ripple.links))
        data(node, "n_depth", str(depth))
    for number, (source, target) in enumerate(edges(tree, programme=centre_label is not None)):
        ET.SubElement(graph, "edge", id=f"e{number}", source=xml_text(source), target=xml_text(target))
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + ET.tostring(root, encoding="unicode")


def edges(tree: Family, *, programme: bool) -> list[tuple[str, str]]:
    """(from, to) node keys, parent to child, in the map's order."""
    return [
        (node_key(parent), node_key(ripple.id))
        for ripple, _ in tree.order
        if (parent := tree.parent[ripple.id]) is not None or programme
    ]


def ripples_kumu(
    ripples: Iterable[Ripple],
    capital_names: Mapping[str, str] | None = None,
    *,
    centre_label: str | None = None,
) -> dict[str, object]:
    """A Kumu blueprint: a "Ripple" element per ripple, tagged with its valence, intent and
    capitals (so Kumu can colour and filter by them), and a "led to" connection per parent."""
    tree = family(ripples)
    names = capital_names or {}
    elements: list[dict[str, object]] = []
    if centre_label is not None:
        elements.append({"id": PROGRAMME, "label": centre_label, "type": "Programme", "tags": []})
    for ripple, depth in tree.order:
        capitals = list(capital_words(ripple, names))
        tags = [word for word in (ripple.valence, intent_words(ripple.intended)) if word] + capitals
        elements.append(
            {
                "id": node_key(ripple.id),
                "label": ripple.text,
                "type": "Ripple",
                "tags": tags,
                "Date": "" if ripple.happened_on is None else ripple.happened_on.isoformat(),
                "Valence": valence_words(ripple.valence),
                "Intended": intent_words(ripple.intended),
                "Capitals": capitals,
                "Affected": list(ripple.links),
                "Depth": depth,
            }
        )
    connections = [
        {"id": f"{source}|{target}", "from": source, "to": target, "type": "led to", "direction": "directed"}
        for source, target in edges(tree, programme=centre_label is not None)
    ]
    return {"elements": elements, "connections": connections}
