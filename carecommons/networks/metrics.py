"""Measures of a relationship network: who is connected to whom, who holds it together. Pure: no ORM.

Computed with igraph (compiled C); exact betweenness, the slow part, in betweenness.py. Betweenness
ignores weights: it counts ties, not their strength.
Communities come from Leiden maximising modularity, with weights, from a seeded random generator,
so the same graph always gives the same groups and the same map.

A *bridge person* is either a cut point (removing them splits the network: "the only link between
…") or a broker (their ties reach two or more communities and their betweenness is in the top 10%).
Two groups joined by a few ties have no cut point, which is why brokers count too.
"""

import heapq
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import igraph

from carecommons.lib.words import plural
from carecommons.networks.betweenness import betweenness as shared_betweenness

TOP_SHARE = 0.1
MAP_SIZE = 1000.0
NAMES_IN_REASON = 3


@dataclass(frozen=True)
class NodeMetrics:
    degree: int
    betweenness: float
    community: int | None
    is_bridge: bool
    bridge_reason: str
    is_isolated: bool
    in_largest_component: bool
    x: float
    y: float


@dataclass(frozen=True)
class NetworkMetrics:
    nodes: list[NodeMetrics]
    bridge_ties: frozenset[int]
    modularity: float | None
    communities: dict[int, str]


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph draws randomness from one module-wide generator: lend it a seeded one, then give the
    default back."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def make_graph(count: int, ties: Sequence[tuple[int, int, float]]) -> igraph.Graph:
    seen: set[tuple[int, int]] = set()
    for source, target, _ in ties:
        pair = (min(source, target), max(source, target))
        if source == target or pair in seen:
            raise ValueError(f"ties must be simple: {pair} is a loop or appears twice")
        seen.add(pair)
    graph = igraph.Graph(n=count, edges=[(s, t) for s, t, _ in ties], directed=False)
    graph.es["weight"] = [w for _, _, w in ties]
    return graph


def normalised_betweenness(graph: igraph.Graph, *, processes: int = 1) -> list[float]:
    """As networkx's normalized=True for an undirected graph: divided by (n-1)(n-2)/2 pairs."""
    n = graph.vcount()
    if n <= 2:
        return [0.0] * n
    scale = (n - 1) * (n - 2) / 2
    return [value / scale for value in shared_betweenness(graph, processes=processes)]


def communities_of(graph: igraph.Graph, degrees: list[int]) -> list[int | None]:
    """Community numbers from 1, biggest first; None for people with no ties at all."""
    if graph.ecount() == 0:
        return [None] * graph.vcount()
    found = graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    groups: dict[int, list[int]] = {}
    for vertex, label in enumerate(found.membership):
        if degrees[vertex] > 0:
            groups.setdefault(label, []).append(vertex)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    result: list[int | None] = [None] * graph.vcount()
    for number, members in enumerate(ordered, start=1):
        for vertex in members:
            result[vertex] = number
    return result


def best_known(vertices: Sequence[int], labels: Sequence[str], degrees: list[int]) -> int:
    return min(vertices, key=lambda v: (-degrees[v], labels[v], v))


def listed(names: Sequence[str], others: str = "other") -> str:
    if len(names) > NAMES_IN_REASON:
        rest = len(names) - NAMES_IN_REASON
        names = [*names[:NAMES_IN_REASON], plural(rest, others)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def cut_point_reasons(graph: igraph.Graph, labels: Sequence[str], degrees: list[int]) -> dict[int, str]:
    """For each cut point: the best-known person on each side it alone joins."""
    blocks, cut_points = graph.biconnected_components(return_articulation_points=True)
    sides: dict[int, list[int]] = {v: [] for v in cut_points}
    for block in blocks:
        # The best-known member other than v is the first of these two that is not v.
        first, second = heapq.nsmallest(2, block, key=lambda u: (-degrees[u], labels[u], u))
        for v in block:
            if v in sides:
                sides[v].append(second if v == first else first)
    return {
        v: f"the only link between {listed(sorted((labels[u] for u in reps), key=str.casefold))}"
        for v, reps in sides.items()
    }


def community_names(
    communities: list[int | None], labels: Sequence[str], degrees: list[int]
) -> dict[int, str]:
    members: dict[int, list[int]] = {}
    for vertex, number in enumerate(communities):
        if number is not None:
            members.setdefault(number, []).append(vertex)
    return {
        number: f"the group around {labels[best_known(vertices, labels, degrees)]}"
        for number, vertices in sorted(members.items())
    }


def broker_reasons(
    graph: igraph.Graph,
    betweenness: list[float],
    communities: list[int | None],
    names: dict[int, str],
) -> dict[int, str]:
    """People whose ties reach two or more communities and whose betweenness is in the top 10%."""
    n = graph.vcount()
    if n == 0:
        return {}
    threshold = sorted(betweenness, reverse=True)[max(1, math.ceil(n * TOP_SHARE)) - 1]
    reasons = {}
    for v in range(n):
        if betweenness[v] <= 0 or betweenness[v] < threshold:
            continue
        reached: dict[int, int] = {}
        for u in graph.neighbors(v):
            number = communities[u]
            if number is not None:
                reached[number] = reached.get(number, 0) + 1
        if len(reached) < 2:
            continue
        own = communities[v]
        order = sorted(reached, key=lambda c: (c != own, -reached[c], c))
        reasons[v] = f"connects {listed([names[c] for c in order], others='other group')}"
    return reasons


def largest_component(graph: igraph.Graph) -> set[int]:
    membership: list[int] = graph.connected_components().membership
    sizes = Counter(membership)
    if not sizes or max(sizes.values()) < 2:
        return set()
    biggest = max(sizes, key=lambda c: (sizes[c], -c))  # ties: the one holding the first node
    return {v for v, c in enumerate(membership) if c == biggest}


def positions(graph: igraph.Graph) -> list[tuple[float, float]]:
    """A force-directed map scaled into a MAP_SIZE square, so old snapshots keep their shape."""
    n = graph.vcount()
    if n == 0:
        return []
    if n == 1:
        return [(MAP_SIZE / 2, MAP_SIZE / 2)]
    coords = graph.layout_fruchterman_reingold().coords
    left, top = min(c[0] for c in coords), min(c[1] for c in coords)
    span = max(max(c[0] for c in coords) - left, max(c[1] for c in coords) - top) or 1.0
    return [
        (round((x - left) / span * MAP_SIZE, 1), round((y - top) / span * MAP_SIZE, 1)) for x, y in coords
    ]


def compute(
    labels: Sequence[str],
    ties: Sequence[tuple[int, int, float]],
    *,
    seed: int = 1,
    layout: bool = True,
    processes: int = 1,
) -> NetworkMetrics:
    """Metrics for nodes 0..len(labels)-1 joined by undirected, weighted, simple ties; betweenness
    shared out over `processes` on a big graph (betweenness.py)."""
    graph = make_graph(len(labels), ties)
    degrees = graph.degree()
    betweenness = normalised_betweenness(graph, processes=processes)
    with seeded(seed):
        communities = communities_of(graph, degrees)
        coords = positions(graph) if layout else [(0.0, 0.0)] * len(labels)
    names = community_names(communities, labels, degrees)
    cut_points = cut_point_reasons(graph, labels, degrees)
    brokers = broker_reasons(graph, betweenness, communities, names)
    largest = largest_component(graph)
    modularity = None
    if names:
        membership = [c if c is not None else 0 for c in communities]
        modularity = graph.modularity(membership, weights="weight")
    nodes = []
    for v in range(len(labels)):
        reasons = "; ".join(r for r in (cut_points.get(v), brokers.get(v)) if r)
        nodes.append(
            NodeMetrics(
                degree=degrees[v],
                betweenness=betweenness[v],
                community=communities[v],
                is_bridge=bool(reasons),
                bridge_reason=(reasons[:1].upper() + reasons[1:])[:300],
                is_isolated=degrees[v] == 0,
                in_largest_component=v in largest,
                x=coords[v][0],
                y=coords[v][1],
            )
        )
    return NetworkMetrics(
        nodes=nodes,
        bridge_ties=frozenset(graph.bridges()),
        modularity=modularity,
        communities=names,
    )
