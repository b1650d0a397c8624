"""metrics.py against networkx (the reference implementation) on small graphs."""

import math
from dataclasses import replace
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.networks import betweenness, metrics


def ties_of(graph: nx.Graph) -> list[tuple[int, int, float]]:
    return [(u, v, float(data.get("weight", 1.0))) for u, v, data in graph.edges(data=True)]


def measure(graph: nx.Graph, **kwargs: object) -> metrics.NetworkMetrics:
    labels = [f"Person {v}" for v in range(graph.number_of_nodes())]
    return metrics.compute(labels, ties_of(graph), **kwargs)  # type: ignore[arg-type]


def two_cliques(size: int = 5, joins: int = 1) -> nx.Graph:
    """Two cliques of `size`; node i of the first joined to node i of the second, `joins` times."""
    graph = nx.Graph()
    graph.add_nodes_from(range(2 * size))
    graph.add_edges_from(combinations(range(size), 2))
    graph.add_edges_from(combinations(range(size, 2 * size), 2))
    graph.add_edges_from((i, size + i) for i in range(joins))
    return graph


GRAPHS = {
    "karate club": nx.karate_club_graph(),
    "path": nx.path_graph(6),
    "star": nx.star_graph(7),
    "random with isolates": nx.gnp_random_graph(30, 0.08, seed=3),
    "two cliques and a bridge": two_cliques(),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_degree_and_betweenness_match_networkx(name: str) -> None:
    graph = nx.convert_node_labels_to_integers(GRAPHS[name])
    for u, v in graph.edges:
        graph.edges[u, v].pop("weight", None)
    result = measure(graph)
    expected = nx.betweenness_centrality(graph, normalized=True)
    for v in graph.nodes:
        assert result.nodes[v].degree == graph.degree[v]
        assert result.nodes[v].betweenness == pytest.approx(expected[v], abs=1e-12)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_bridge_ties_and_cut_points_match_networkx(name: str) -> None:
    graph = nx.convert_node_labels_to_integers(GRAPHS[name])
    result = measure(graph)
    ties = ties_of(graph)
    found = {frozenset(ties[i][:2]) for i in result.bridge_ties}
    assert found == {frozenset(edge) for edge in nx.bridges(graph)}
    for v in nx.articulation_points(graph):
        assert result.nodes[v].is_bridge
        assert result.nodes[v].bridge_reason.startswith("The only link between ")


def test_modularity_is_networkx_modularity_of_the_groups_found() -> None:
    graph = nx.karate_club_graph()
    result = measure(graph)
    groups: dict[int, set[int]] = {}
    for v, node in enumerate(result.nodes):
        assert node.community is not None
        groups.setdefault(node.community, set()).add(v)
    expected = nx.community.modularity(graph, groups.values(), weight="weight")
    assert result.modularity is not None
    assert result.modularity == pytest.approx(expected, abs=1e-9)
    assert result.modularity > 0.3


def test_two_cliques_joined_by_one_tie_are_two_groups_and_its_ends_are_the_only_link() -> None:
    result = measure(two_cliques(5, joins=1))
    groups = [node.community for node in result.nodes]
    assert len(set(groups[:5])) == 1 and len(set(groups[5:])) == 1 and groups[0] != groups[5]
    assert len(result.communities) == 2
    assert result.nodes[0].bridge_reason.startswith("The only link between Person 1 and Person 5")
    assert result.nodes[5].bridge_reason.startswith("The only link between Person 0 and Person 6")
    assert [v for v, node in enumerate(result.nodes) if node.is_bridge] == [0, 5]


def test_two_groups_joined_by_a_few_ties_have_brokers_not_cut_points() -> None:
    graph = two_cliques(6, joins=2)
    assert not list(nx.articulation_points(graph))
    result = measure(graph)
    bridges = {v: node.bridge_reason for v, node in enumerate(result.nodes) if node.is_bridge}
    assert set(bridges) == {0, 1, 6, 7}
    names = list(result.communities.values())
    for reason in bridges.values():
        assert reason.startswith("Connects the group around ")
        assert all(name in reason for name in names)
    assert not result.bridge_ties


def test_people_with_no_ties_are_isolated_without_a_group_or_place_in_the_main_network() -> None:
    graph = nx.Graph()
    graph.add_nodes_from(range(6))
    graph.add_edges_from([(0, 1), (1, 2), (2, 0), (3, 4)])
    result = measure(graph)
    assert [node.is_isolated for node in result.nodes] == [False] * 5 + [True]
    assert result.nodes[5].community is None
    assert result.nodes[5].degree == 0
    assert [node.in_largest_component for node in result.nodes] == [True] * 3 + [False] * 3
    assert not result.nodes[5].is_bridge


def test_the_same_graph_gives_the_same_groups_and_map_every_time() -> None:
    graph = nx.gnp_random_graph(60, 0.06, seed=9)
    first, second = measure(graph, seed=4), measure(graph, seed=4)
    assert first == second
    for node in first.nodes:
        assert 0 <= node.x <= metrics.MAP_SIZE and 0 <= node.y <= metrics.MAP_SIZE


def test_leiden_uses_weights_so_a_strong_pair_inside_a_crowd_stays_together() -> None:
    crowd = nx.complete_graph(8)
    nx.set_edge_attributes(crowd, 1 / 7, "weight")
    crowd.add_edges_from([(7, 8, {"weight": 1.0}), (8, 9, {"weight": 1.0}), (9, 7, {"weight": 1.0})])
    result = measure(crowd)
    assert result.nodes[8].community == result.nodes[9].community


def test_empty_and_tiny_networks_have_no_measures_to_speak_of() -> None:
    assert metrics.compute([], []).nodes == []
    alone = metrics.compute(["Ann"], [])
    assert alone.nodes[0].is_isolated and alone.modularity is None and alone.communities == {}
    pair = metrics.compute(["Ann", "Bob"], [(0, 1, 1.0)])
    assert [node.betweenness for node in pair.nodes] == [0.0, 0.0]
    assert pair.bridge_ties == frozenset({0})


@pytest.mark.parametrize("ties", [[(0, 0, 1.0)], [(0, 1, 1.0), (1, 0, 1.0)]])
def test_loops_and_repeated_ties_are_refused(ties: list[tuple[int, int, float]]) -> None:
    with pytest.raises(ValueError, match="simple"):
        metrics.compute(["Ann", "Bob"], ties)


def test_a_long_list_of_sides_is_shortened_in_plain_words() -> None:
    star = nx.star_graph(6)
    result = measure(star)
    assert result.nodes[0].bridge_reason == (
        "The only link between Person 1, Person 2, Person 3 and 3 others"
    )


@st.composite
def small_graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(min_value=0, max_value=14))
    pairs = list(combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=30)) if pairs else []
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(chosen)
    return graph


@settings(max_examples=60, deadline=None)
@given(small_graphs())
def test_any_small_graph_matches_networkx(graph: nx.Graph) -> None:
    result = measure(graph)
    expected = nx.betweenness_centrality(graph, normalized=True)
    largest: set[int] = max(nx.connected_components(graph), key=len, default=set())
    sizes = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    for v in graph.nodes:
        node = result.nodes[v]
        assert node.degree == graph.degree[v]
        assert math.isclose(node.betweenness, expected[v], abs_tol=1e-12)
        assert node.is_isolated == (graph.degree[v] == 0)
        assert (node.community is None) == node.is_isolated
        if v in set(nx.articulation_points(graph)):
            assert node.is_bridge
    if sizes and sizes[0] > 1 and (len(sizes) == 1 or sizes[0] > sizes[1]):
        assert {v for v, node in enumerate(result.nodes) if node.in_largest_component} == largest


def communities_with_pendants(seed: int) -> nx.Graph:
    """Ten dense groups of 150 loosely joined to each other, plus people hanging off one tie."""
    graph = nx.random_partition_graph([150] * 10, 0.08, 0.002, seed=seed)
    graph = nx.Graph(graph)
    graph.add_edges_from((1500 + i, i * 7) for i in range(60))
    return graph


def test_betweenness_shared_over_processes_gives_the_same_metrics_as_one_process() -> None:
    graph = communities_with_pendants(seed=5)
    assert graph.number_of_nodes() * graph.number_of_edges() >= betweenness.SHARE_FROM
    alone, shared = measure(graph, layout=False), measure(graph, layout=False, processes=3)
    for a, b in zip(alone.nodes, shared.nodes, strict=True):
        assert b.betweenness == pytest.approx(a.betweenness, rel=1e-12, abs=1e-15)
    same = [replace(b, betweenness=a.betweenness) for a, b in zip(alone.nodes, shared.nodes, strict=True)]
    assert replace(shared, nodes=same) == alone
    assert any(node.bridge_reason.startswith("Connects ") for node in alone.nodes)
    assert any(node.bridge_reason.startswith("The only link ") for node in alone.nodes)
