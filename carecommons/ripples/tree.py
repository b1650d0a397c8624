"""A ripple map as a tree: each ripple hangs from the programme (a root) or from the ripple it
spread from, as deep as people go. Everything here is pure and runs in time linear in the number of
ripples (apart from sorting siblings), so a map of 5,000 ripples eight levels deep is built, walked
and compared in milliseconds; nothing recurses, so a chain of any depth is safe.

Siblings are ordered by when they happened (undated ones last), then by id, so a map reads the
same way every time. A ripple's depth counts rings out from the programme: roots are at depth 1.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from carecommons.ripples.capitals import Intent, Valence


class RippleNode(NamedTuple):
    """A named tuple rather than a frozen dataclass: as immutable, made several times faster and
    one object for the garbage collector rather than two, which counts at 5,000 ripples a page."""

    id: int
    parent: int | None
    text: str
    happened_on: date | None
    valence: Valence
    capitals: frozenset[str] = frozenset()
    intent: Intent = Intent.NOT_KNOWN


class TreeError(ValueError):
    """The ripples given do not form a tree, or name a ripple that is not in it."""


@dataclass(frozen=True, eq=False)
class Tree:
    nodes: Mapping[int, RippleNode]
    children: Mapping[int | None, tuple[int, ...]]
    """Ids of each ripple's children in reading order; the key None holds the roots."""
    depths: Mapping[int, int]

    @property
    def roots(self) -> list[RippleNode]:
        return self.children_of(None)

    def children_of(self, id: int | None) -> list[RippleNode]:
        return [self.nodes[child] for child in self.children.get(id, ())]

    def node(self, id: int) -> RippleNode:
        try:
            return self.nodes[id]
        except KeyError:
            raise TreeError(f"Ripple {id} is not on this map.") from None

    def __len__(self) -> int:
        return len(self.nodes)


def _reading_order(node: RippleNode) -> tuple[bool, date, int]:
    return (node.happened_on is None, node.happened_on or date.min, node.id)


def build(nodes: Iterable[RippleNode]) -> Tree:
    """The tree of these ripples; refuses a repeated id, a parent not among them, and a circle."""
    by_id: dict[int, RippleNode] = {}
    for node in nodes:
        if node.id in by_id:
            raise TreeError(f"Ripple {node.id} is given twice.")
        by_id[node.id] = node
    siblings: dict[int | None, list[RippleNode]] = {}
    for node in by_id.values():
        if node.parent is not None and node.parent not in by_id:
            raise TreeError(f"Ripple {node.id} hangs from ripple {node.parent}, which is not on this map.")
        siblings.setdefault(node.parent, []).append(node)
    children = {
        parent: tuple(node.id for node in sorted(group, key=_reading_order))
        for parent, group in siblings.items()
    }
    depths: dict[int, int] = {}
    stack = [(root, 1) for root in children.get(None, ())]
    while stack:
        id, depth = stack.pop()
        depths[id] = depth
        stack.extend((child, depth + 1) for child in children.get(id, ()))
    if len(depths) < len(by_id):
        raise TreeError(_circle(by_id, depths))
    return Tree(by_id, children, depths)


def _circle(by_id: Mapping[int, RippleNode], reached: Mapping[int, int]) -> str:
    """Every ripple the roots do not reach hangs, at some height, from a circle: name it."""
    id: int | None = min(by_id.keys() - reached.keys())
    seen: list[int] = []
    while id is not None and id not in seen:
        seen.append(id)
        id = by_id[id].parent
    assert id is not None
    circle = sorted(seen[seen.index(id) :])
    if len(circle) == 1:
        return f"Ripple {circle[0]} hangs from itself."
    names = ", ".join(map(str, circle[:-1])) + f" and {circle[-1]}"
    return f"Ripples {names} hang from each other in a circle."


def path(tree: Tree, id: int) -> list[RippleNode]:
    """From the root down to this ripple, both included."""
    node = tree.node(id)
    chain = [node]
    while node.parent is not None:
        node = tree.nodes[node.parent]
        chain.append(node)
    chain.reverse()
    return chain


def depth(tree: Tree, id: int) -> int:
    tree.node(id)
    return tree.depths[id]


def walk(tree: Tree, below: int | None = None) -> Iterator[RippleNode]:
    """Depth first in reading order: the whole map, or only what spread from ripple `below`."""
    if below is not None:
        tree.node(below)
    stack = list(reversed(tree.children.get(below, ())))
    while stack:
        node = tree.nodes[stack.pop()]
        yield node
        stack.extend(reversed(tree.children.get(node.id, ())))


def descendants(tree: Tree, id: int) -> list[RippleNode]:
    return list(walk(tree, id))


def descendant_counts(tree: Tree) -> dict[int, int]:
    """How many ripples spread, at any distance, from each ripple; all of them in one pass."""
    counts = dict.fromkeys(tree.nodes, 0)
    for node in reversed(list(walk(tree))):
        if node.parent is not None:
            counts[node.parent] += counts[node.id] + 1
    return counts


def can_move(tree: Tree, id: int, new_parent: int | None) -> str | None:
    """Why ripple `id` cannot hang from `new_parent` (None: from the programme), or None if it can."""
    if id not in tree.nodes:
        return "That ripple is not on this map."
    if new_parent is None:
        return None
    if new_parent not in tree.nodes:
        return "The ripple to hang it from is not on this map."
    if new_parent == id:
        return "A ripple cannot hang from itself."
    if any(node.id == id for node in path(tree, new_parent)):
        return "A ripple cannot hang from a ripple that spread from it."
    return None


@dataclass(frozen=True)
class Merge:
    """Two ripples found to be the same effect become one: `drop` goes, its children hang from
    `keep`, and `keep` is coded with the capitals of both. When `keep` had spread from `drop`,
    `keep` takes `drop`'s place, so the branch between them stays whole and no circle forms."""

    keep: int
    drop: int
    moves: Mapping[int, int | None]
    """Each ripple whose parent changes, with its new parent."""
    capitals: frozenset[str]


def can_merge(tree: Tree, keep: int, drop: int) -> str | None:
    if keep not in tree.nodes or drop not in tree.nodes:
        return "Both ripples must be on this map."
    if keep == drop:
        return "A ripple cannot be merged with itself."
    return None


def merged(tree: Tree, keep: int, drop: int) -> Merge:
    if reason := can_merge(tree, keep, drop):
        raise TreeError(reason)
    moves: dict[int, int | None] = dict.fromkeys(tree.children.get(drop, ()), keep)
    if any(node.id == drop for node in path(tree, keep)):
        moves[keep] = tree.nodes[drop].parent
    capitals = tree.nodes[keep].capitals | tree.nodes[drop].capitals
    return Merge(keep, drop, moves, capitals)


@dataclass(frozen=True)
class Growth:
    ripple: RippleNode
    before: int
    after: int
    """How many ripples had spread from it in the earlier map, and how many in the later one."""


@dataclass(frozen=True)
class Change:
    new: list[RippleNode]
    grew: list[Growth]


def changes_between(earlier: Tree, later: Tree, same: Callable[[RippleNode], int | None]) -> Change:
    """What is new in the later map and what grew, in the later map's reading order. `same` says
    which earlier ripple a later one is: its id, or None. When a round carries its ripples forward
    under their own ids, `same` is `lambda ripple: ripple.id`. A ripple is new when it is no earlier
    ripple, and grew when more ripples have spread from it than from the earlier one."""
    counts_before, counts_after = descendant_counts(earlier), descendant_counts(later)
    claimed: dict[int, int] = {}
    new, grew = [], []
    for node in walk(later):
        earlier_id = same(node)
        if earlier_id is None or earlier_id not in earlier.nodes:
            new.append(node)
            continue
        if earlier_id in claimed:
            raise TreeError(
                f"Ripples {claimed[earlier_id]} and {node.id} are both taken for ripple {earlier_id}."
            )
        claimed[earlier_id] = node.id
        if counts_after[node.id] > counts_before[earlier_id]:
            grew.append(Growth(node, counts_before[earlier_id], counts_after[node.id]))
    return Change(new, grew)
