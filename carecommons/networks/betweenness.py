"""Exact betweenness from igraph, shared out over several processes on a big graph. Pure: no ORM.

Brandes' algorithm sums one breadth-first search per source, so the sources can be split into
interleaved slices, each summed in its own process, and the slices added up: the same sums in
another order, equal to one process's result within rounding (about 1e-14, tested). igraph holds
Python's lock while it counts, so threads would not help; rustworkx's threaded version was measured
side by side and is slower here (bench/README.md, decision 0034). The other processes are fresh
interpreters running this module (`python -m`), not multiprocessing children: those fork a caller
that may hold threads and connections, or, spawned, run the caller's main script again.
"""

import os
import pickle
import subprocess
import sys

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


def start(count: int, edges: list[tuple[int, int]], sources: list[int]) -> "subprocess.Popen[bytes]":
    child = subprocess.Popen(
        [sys.executable, "-m", "carecommons.networks.betweenness"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdin is not None
    child.stdin.write(pickle.dumps((count, edges, sources)))
    child.stdin.close()
    return child


def finish(child: "subprocess.Popen[bytes]") -> list[float]:
    assert child.stdout is not None
    out = child.stdout.read()
    if child.wait():
        raise RuntimeError(f"a betweenness process failed (exit status {child.returncode})")
    result: list[float] = pickle.loads(out)  # noqa: S301 - written by our own child process
    return result


def betweenness(graph: igraph.Graph, *, processes: int = 1) -> list[float]:
    """Unnormalised, as `graph.betweenness(directed=False)`; with `processes` > 1 and a graph big
    enough, this process sums one slice of the sources and `processes - 1` others the rest."""
    n = graph.vcount()
    if processes <= 1 or n * graph.ecount() < SHARE_FROM:
        return graph.betweenness(directed=False)
    slices = [list(range(first, n, processes)) for first in range(processes)]
    edges = graph.get_edgelist()
    children = []
    try:
        children = [start(n, edges, sources) for sources in slices[1:]]
        totals = graph.betweenness(directed=False, sources=slices[0])
        for child in children:
            totals = [a + b for a, b in zip(totals, finish(child), strict=True)]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return totals


if __name__ == "__main__":
    pickle.dump(from_sources(*pickle.load(sys.stdin.buffer)), sys.stdout.buffer)  # noqa: S301
