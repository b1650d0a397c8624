"""The ripple tree: building refuses what is not a tree; paths, depths and walks; moves and merges
that never make a circle; what is new and what grew between two rounds. Properties over random
trees, and a map of 5,000 ripples eight levels deep."""

import random
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.ripples.capitals import Valence
from carecommons.ripples.tree import (
    Growth,
    RippleNode,
    Tree,
    TreeError,
    build,
    can_merge,
    can_move,
    changes_between,
    depth,
    descendant_counts,
    descendants,
    merged,
    path,
    walk,
)


def ripple(
    id: int, parent: int | None, happened_on: date | None = None, capitals: frozenset[str] = frozenset()
) -> RippleNode:
    return RippleNode(id, parent, f"ripple {id}", happened_on, Valence.POSITIVE, capitals)


def ids(nodes: list[RippleNode]) -> list[int]:
    return [node.id for node in nodes]


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    """Random forests: ids shuffled so that a parent's id may be larger than its child's."""
    size = draw(st.integers(0, 60))
    labels = draw(st.permutations(range(1, size + 1)))
    nodes = []
    for index in range(size):
        parent = draw(st.one_of(st.none(), st.integers(0, index - 1))) if index else None
        day = draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 3, 1))))
        nodes.append(ripple(labels[index], None if parent is None else labels[parent], day))
    return build(draw(st.permutations(nodes)))


def with_parents(tree: Tree, moves: dict[int, int | None], *, without: int | None = None) -> Tree:
    return build(
        node._replace(parent=moves.get(node.id, node.parent))
        for node in tree.nodes.values()
        if node.id != without
    )


@settings(max_examples=100, deadline=None)
@given(trees())
def test_each_path_starts_at_a_root_and_ends_at_its_ripple(tree: Tree) -> None:
    for id in tree.nodes:
        found = path(tree, id)
        assert found[0].parent is None and found[-1].id == id
        assert all(child.parent == parent.id for parent, child in pairwise(found))
        assert depth(tree, id) == len(found)


@settings(max_examples=100, deadline=None)
@given(trees())
def test_walking_visits_every_ripple_once_each_after_its_parent(tree: Tree) -> None:
    order = ids(list(walk(tree)))
    assert sorted(order) == sorted(tree.nodes)
    seen: set[int] = set()
    for id in order:
        parent = tree.nodes[id].parent
        assert parent is None or parent in seen
        seen.add(id)
    counts = descendant_counts(tree)
    for id in tree.nodes:
        assert counts[id] == len(descendants(tree, id))


@settings(max_examples=100, deadline=None)
@given(trees(), st.data())
def test_a_move_allowed_by_can_move_never_makes_a_circle(tree: Tree, data: st.DataObject) -> None:
    if not tree.nodes:
        return
    id = data.draw(st.sampled_from(sorted(tree.nodes)))
    new_parent = data.draw(st.one_of(st.none(), st.sampled_from(sorted(tree.nodes))))
    reason = can_move(tree, id, new_parent)
    if reason is None:
        moved = with_parents(tree, {id: new_parent})
        assert moved.nodes[id].parent == new_parent and len(moved) == len(tree)
    else:
        with pytest.raises(TreeError):
            with_parents(tree, {id: new_parent})


@settings(max_examples=100, deadline=None)
@given(trees(), st.data())
def test_merging_keeps_every_other_ripple_and_makes_no_circle(tree: Tree, data: st.DataObject) -> None:
    if len(tree) < 2:
        return
    keep, drop = data.draw(st.lists(st.sampled_from(sorted(tree.nodes)), min_size=2, max_size=2, unique=True))
    merge = merged(tree, keep, drop)
    after = with_parents(tree, dict(merge.moves), without=drop)
    assert set(after.nodes) == set(tree.nodes) - {drop}
    assert set(ids(descendants(after, keep))) >= set(ids(descendants(tree, drop))) - {keep}
    for id in set(tree.nodes) - {drop, keep}:
        assert id in merge.moves or after.nodes[id].parent == tree.nodes[id].parent


def test_building_refuses_a_repeated_id_an_unknown_parent_and_a_circle() -> None:
    with pytest.raises(TreeError, match="Ripple 1 is given twice"):
        build([ripple(1, None), ripple(1, None)])
    with pytest.raises(TreeError, match="hangs from ripple 9, which is not on this map"):
        build([ripple(1, None), ripple(2, 9)])
    with pytest.raises(TreeError, match="Ripples 2, 3 and 4 hang from each other in a circle"):
        build([ripple(1, None), ripple(2, 4), ripple(3, 2), ripple(4, 3), ripple(5, 3)])
    with pytest.raises(TreeError, match="Ripple 7 hangs from itself"):
        build([ripple(7, 7)])


def test_siblings_read_by_date_then_id_with_undated_ones_last() -> None:
    tree = build(
        [
            ripple(1, None),
            ripple(5, 1, date(2025, 3, 1)),
            ripple(3, 1),
            ripple(4, 1, date(2025, 1, 1)),
            ripple(2, 1, date(2025, 3, 1)),
            ripple(6, 4),
        ]
    )
    assert ids(list(walk(tree))) == [1, 4, 6, 2, 5, 3]
    assert ids(descendants(tree, 4)) == [6]
    assert ids(tree.children_of(1)) == [4, 2, 5, 3]


def test_can_move_says_why_not() -> None:
    tree = build([ripple(1, None), ripple(2, 1), ripple(3, 2), ripple(4, None)])
    assert can_move(tree, 2, 2) == "A ripple cannot hang from itself."
    assert can_move(tree, 1, 3) == "A ripple cannot hang from a ripple that spread from it."
    assert can_move(tree, 3, 99) == "The ripple to hang it from is not on this map."
    assert can_move(tree, 99, 1) == "That ripple is not on this map."
    assert can_move(tree, 2, 4) is None
    assert can_move(tree, 3, None) is None


def test_merging_moves_the_dropped_ripples_children_and_unites_the_capitals() -> None:
    tree = build(
        [
            ripple(1, None, capitals=frozenset({"social"})),
            ripple(2, None, capitals=frozenset({"human", "social"})),
            ripple(3, 2),
            ripple(4, 2),
        ]
    )
    merge = merged(tree, keep=1, drop=2)
    assert merge.moves == {3: 1, 4: 1}
    assert merge.capitals == {"social", "human"}
    assert can_merge(tree, 1, 1) == "A ripple cannot be merged with itself."
    with pytest.raises(TreeError, match="Both ripples must be on this map"):
        merged(tree, 1, 99)


def test_a_kept_ripple_below_the_dropped_one_takes_its_place() -> None:
    tree = build([ripple(1, None), ripple(2, 1), ripple(3, 2), ripple(4, 3), ripple(5, 2)])
    merge = merged(tree, keep=4, drop=2)
    assert merge.moves == {3: 4, 5: 4, 4: 1}
    after = with_parents(tree, dict(merge.moves), without=2)
    assert ids(path(after, 3)) == [1, 4, 3]


def test_the_change_between_rounds_names_what_is_new_and_what_grew() -> None:
    earlier = build([ripple(1, None), ripple(2, 1), ripple(3, None), ripple(4, 3)])
    later = build(
        [
            ripple(11, None),
            ripple(12, 11),
            ripple(13, 12),
            ripple(14, None),
            ripple(15, 14),
            ripple(16, None),
        ]
    )
    carried_from = {11: 1, 12: 2, 14: 3, 15: 4}
    change = changes_between(earlier, later, lambda node: carried_from.get(node.id))
    assert ids(change.new) == [13, 16]
    assert [(g.ripple.id, g.before, g.after) for g in change.grew] == [(11, 1, 2), (12, 0, 1)]
    assert change.grew[0] == Growth(later.nodes[11], 1, 2)
    with pytest.raises(TreeError, match="Ripples 11 and 12 are both taken for ripple 1"):
        changes_between(earlier, later, lambda node: 1)
    carried_forward = changes_between(earlier, with_parents(earlier, {}), lambda node: node.id)
    assert carried_forward.new == [] and carried_forward.grew == []


def test_a_map_of_five_thousand_ripples_eight_deep_and_a_chain_of_five_thousand() -> None:
    rng = random.Random(15)
    nodes, level = [ripple(i, None) for i in range(1, 11)], list(range(1, 11))
    for count in (20, 40, 80, 160, 320, 640, 3730):
        start = len(nodes) + 1
        nodes += [ripple(start + i, rng.choice(level)) for i in range(count)]
        level = list(range(start, start + count))
    tree = build(reversed(nodes))
    assert len(tree) == 5000 and max(tree.depths.values()) == 8
    assert len(list(walk(tree))) == 5000
    assert sum(descendant_counts(tree)[root.id] + 1 for root in tree.roots) == 5000
    assert changes_between(tree, tree, lambda node: node.id).new == []
    chain = build(ripple(i, i - 1 if i > 1 else None) for i in range(1, 5001))
    assert depth(chain, 5000) == 5000 and len(descendants(chain, 1)) == 4999
