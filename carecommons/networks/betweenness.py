"""Exact betweenness from igraph, shared out over several processes on a big graph. Pure: no ORM.

Brandes' algorithm sums one breadth-first search per source, so the sources can be split into
interleaved slices, each summed in its own process, and the slices added up: the same sums in
another order, equal to one process's result within rounding (about 1e-14, tested). igraph holds
Python's lock while it counts, so threads would not help; rustworkx's threaded version was measured
side by side and is slower here (bench/README.md, decision 0034). Children are spawned, not forked,
since the caller (a worker, a test run) may hold threads and database connections.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import igraph

# Vertices × ties below which starting a process (about 0.3 s) costs more than it saves.
SHARE_FROM = 5_000_000


def available_processes() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def from_sources(count: int, edges: list[tuple[int, int]], sources: list[int]) -> list[float]:
    return igraph.Graph(n=count, edges=edges, directed=False).betweenness(directed=False, sources=sources)


def betweenness(graph: igraph.Graph, *, processes: int = 1) -> list[float]:
    """Unnormalised, as `graph.betweenness(directed=False)`; with `processes` > 1 and a graph big
    enough, this process sums one slice of the sources and `processes - 1` spawned ones the rest."""
    n = graph.vcount()
    if processes <= 1 or n * graph.ecount() < SHARE_FROM:
        return graph.betweenness(directed=False)
    slices = [list(range(first, n, processes)) for first in range(processes)]
    edges = graph.get_edgelist()
    with ProcessPoolExecutor(processes - 1, mp_context=get_context("spawn")) as pool:
        others = [pool.submit(from_sources, n, edges, sources) for sources in slices[1:]]
        totals = graph.betweenness(directed=False, sources=slices[0])
        for other in others:
            totals = [a + b for a, b in zip(totals, other.result(), strict=True)]
    return totals
