"""A stored snapshot in the formats people use: GraphML (Gephi, yEd, Cytoscape desktop, networkx),
a Kumu JSON blueprint, and two CSV files laid out for Gephi's spreadsheet import. No database access:
views load the rows and pass them in.

Node ids are the snapshot keys ("person:<uuid>", "organisation:<uuid>"), the same in every snapshot
and every format, so files from different dates can be joined.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from carecommons.lib.spreadsheets import csv_text
from carecommons.networks.models import SnapshotEdge, SnapshotNode

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# (key id, applies to, attribute name, GraphML type)
GRAPHML_KEYS = (
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_community", "node", "community", "int"),
    ("n_community_name", "node", "community_name", "string"),
    ("n_degree", "node", "degree", "int"),
    ("n_betweenness", "node", "betweenness", "double"),
    ("n_is_bridge", "node", "is_bridge", "boolean"),
    ("n_bridge_reason", "node", "bridge_reason", "string"),
    ("n_is_isolated", "node", "is_isolated", "boolean"),
    ("e_kind", "edge", "kind", "string"),
    ("e_weight", "edge", "weight", "double"),
    ("e_is_bridge", "edge", "is_bridge", "boolean"),
)
NODE_HEADER = (
    "Id",
    "Label",
    "Kind",
    "Community",
    "Community name",
    "Degree",
    "Betweenness",
    "Bridge",
    "Bridge reason",
    "Isolated",
    "In largest group",
    "X",
    "Y",
)
EDGE_HEADER = ("Source", "Target", "Type", "Weight", "Kind", "Bridge tie", "Source label", "Target label")
KUMU_TYPES = {"person": "Person", "organisation": "Organisation"}


def flag(value: bool) -> str:
    return "true" if value else "false"


def community_name(communities: Mapping[str, str], number: int | None) -> str:
    return communities.get(str(number), "") if number is not None else ""


def graphml(
    nodes: Iterable[SnapshotNode], edges: Iterable[SnapshotEdge], communities: Mapping[str, str]
) -> bytes:
    root = ET.Element("graphml", xmlns=GRAPHML_NS)
    for key_id, target, name, kind in GRAPHML_KEYS:
        ET.SubElement(root, "key", {"id": key_id, "for": target, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="G", edgedefault="undirected")

    def data(parent: ET.Element, key: str, value: str) -> None:
        ET.SubElement(parent, "data", key=key).text = value

    for node in nodes:
        element = ET.SubElement(graph, "node", id=node.key)
        data(element, "n_label", node.label)
        data(element, "n_kind", node.kind)
        if node.community is not None:
            data(element, "n_community", str(node.community))
            data(element, "n_community_name", community_name(communities, node.community))
        data(element, "n_degree", str(node.degree))
        data(element, "n_betweenness", repr(node.betweenness))
        data(element, "n_is_bridge", flag(node.is_bridge))
        if node.bridge_reason:
            data(element, "n_bridge_reason", node.bridge_reason)
        data(element, "n_is_isolated", flag(node.is_isolated))
    for i, edge in enumerate(edges):
        element = ET.SubElement(graph, "edge", id=f"e{i}", source=edge.source, target=edge.target)
        data(element, "e_kind", edge.kind)
        data(element, "e_weight", repr(edge.weight))
        data(element, "e_is_bridge", flag(edge.is_bridge))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class Figures:
    """One node's measures in one snapshot, for Kumu's dated fields."""

    degree: int
    betweenness: float
    community: str
    is_bridge: bool


def kumu(
    nodes: Iterable[SnapshotNode],
    edges: Iterable[SnapshotEdge],
    history: Sequence[tuple[str, Mapping[str, Figures]]],
) -> dict[str, object]:
    """A Kumu blueprint. `history` is (date label, figures by key) for this snapshot and earlier
    ones, oldest first: each becomes its own dated fields ("Degree 2026-03-01"), so a Kumu map can
    show change over time instead of overwriting the measures."""
    elements = []
    for node in nodes:
        element: dict[str, object] = {
            "id": node.key,
            "label": node.label,
            "type": KUMU_TYPES.get(node.kind, node.kind.title()),
            "description": node.bridge_reason,
            "tags": ["bridge"] if node.is_bridge else (["isolated"] if node.is_isolated else []),
        }
        for stamp, figures in history:
            if (seen := figures.get(node.key)) is not None:
                element[f"Degree {stamp}"] = seen.degree
                element[f"Betweenness {stamp}"] = round(seen.betweenness, 6)
                element[f"Community {stamp}"] = seen.community
                element[f"Bridge {stamp}"] = "yes" if seen.is_bridge else "no"
        elements.append(element)
    connections = [
        {
            "id": f"{edge.source}|{edge.target}",
            "from": edge.source,
            "to": edge.target,
            "type": edge.kind,
            "direction": "undirected",
            "Weight": edge.weight,
            "tags": ["bridge tie"] if edge.is_bridge else [],
        }
        for edge in edges
    ]
    return {"elements": elements, "connections": connections}


def nodes_csv(nodes: Iterable[SnapshotNode], communities: Mapping[str, str]) -> str:
    return csv_text(
        NODE_HEADER,
        (
            (
                node.key,
                node.label,
                node.kind,
                "" if node.community is None else node.community,
                community_name(communities, node.community),
                node.degree,
                repr(node.betweenness),
                flag(node.is_bridge),
                node.bridge_reason,
                flag(node.is_isolated),
                flag(node.in_largest_component),
                node.x,
                node.y,
            )
            for node in nodes
        ),
    )


def edges_csv(edges: Iterable[SnapshotEdge], labels: Mapping[str, str]) -> str:
    return csv_text(
        EDGE_HEADER,
        (
            (
                edge.source,
                edge.target,
                "Undirected",
                repr(edge.weight),
                edge.kind,
                flag(edge.is_bridge),
                labels.get(edge.source, ""),
                labels.get(edge.target, ""),
            )
            for edge in edges
        ),
    )
