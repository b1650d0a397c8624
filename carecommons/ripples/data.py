"""A programme's ripple map read from the database in a fixed number of queries, whatever its size:
one for the ripples, one for the names of what they affected. Everything after that is tree.py's,
in memory (the bench compares this with one query per ripple).

A map "as of" a round holds the ripples named in that round and the rounds before it (by date);
a ripple whose parent came later (it was moved under a newer ripple) hangs there from its nearest
ancestor that was already on the map, so the earlier map is always a tree.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from carecommons.ripples import tree
from carecommons.ripples.capitals import Intent, Valence
from carecommons.ripples.models import MappingRound, Ripple, RippleLink
from carecommons.ripples.tree import RippleNode, Tree

RIPPLE_FIELDS = (
    "id",
    "parent_id",
    "text",
    "happened_on",
    "valence",
    "capitals",
    "intent",
    "uuid",
    "round_id",
    "round__held_on",
)


@dataclass(frozen=True)
class LoadedMap:
    tree: Tree
    uuids: Mapping[int, UUID]
    rounds: Mapping[int, int]
    """Ripple id -> the id of the round it was named in."""
    held_on: Mapping[int, date]
    """Ripple id -> the day of that round."""
    links: Mapping[int, Sequence[str]]
    """Ripple id -> the names of the people, organisations, initiatives and assets it affected."""


VALENCES = {valence.value: valence for valence in Valence}
INTENTS = {intent.value: intent for intent in Intent}


def nodes_of(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[list[RippleNode], dict[int, UUID], dict[int, int], dict[int, date]]:
    nodes, uuids, rounds, held_on = [], {}, {}, {}
    for id, parent, text, happened_on, valence, capitals, intent, uuid, round_id, round_day in rows:
        nodes.append(
            RippleNode(
                id=id,
                parent=parent,
                text=text,
                happened_on=happened_on,
                valence=VALENCES[valence],
                capitals=frozenset(capitals),
                intent=INTENTS[intent],
            )
        )
        uuids[id], rounds[id], held_on[id] = uuid, round_id, round_day
    return nodes, uuids, rounds, held_on


def link_names(
    ripple_ids: Iterable[int] | None = None, *, programme_id: int | None = None
) -> dict[int, list[str]]:
    """Names each ripple is linked to, in one query (people by display name)."""
    rows = RippleLink.objects.all()
    if programme_id is not None:
        rows = rows.filter(ripple__programme_id=programme_id, ripple__merged_into__isnull=True)
    if ripple_ids is not None:
        rows = rows.filter(ripple_id__in=list(ripple_ids))
    found: dict[int, list[str]] = defaultdict(list)
    for ripple_id, given, preferred, family, organisation, initiative, asset in rows.order_by(
        "id"
    ).values_list(
        "ripple_id",
        "person__given_name",
        "person__preferred_name",
        "person__family_name",
        "organisation__name",
        "initiative__title",
        "asset__name",
    ):
        if given is not None:
            found[ripple_id].append(f"{preferred or given} {family}".strip())
        else:
            found[ripple_id].append(organisation or initiative or asset or "")
    return dict(found)


def restricted(full: Tree, keep: set[int]) -> Tree:
    """The ripples in `keep`, each hanging from its nearest ancestor also in `keep`."""
    nodes = []
    for id in keep:
        node = full.nodes[id]
        parent = node.parent
        while parent is not None and parent not in keep:
            parent = full.nodes[parent].parent
        nodes.append(node if parent == node.parent else RippleNode(**{**node.__dict__, "parent": parent}))
    return tree.build(nodes)


def map_tree(programme_id: int, *, as_of: MappingRound | None = None) -> LoadedMap:
    rows = Ripple.objects.on_map().filter(programme_id=programme_id).values_list(*RIPPLE_FIELDS)
    nodes, uuids, rounds, held_on = nodes_of(rows)
    full = tree.build(nodes)
    if as_of is not None:
        order = as_of.held_on, as_of.pk
        day_of = {
            row.pk: (row.held_on, row.pk) for row in MappingRound.objects.filter(programme_id=programme_id)
        }
        full = restricted(full, {id for id in full.nodes if day_of[rounds[id]] <= order})
    return LoadedMap(full, uuids, rounds, held_on, link_names(programme_id=programme_id))


def round_view(loaded: LoadedMap, round_id: int) -> Tree:
    """What the people of one round see: its ripples and the ripples they hang from."""
    keep: set[int] = set()
    for id, named_in in loaded.rounds.items():
        if named_in == round_id:
            keep.update(node.id for node in tree.path(loaded.tree, id))
    return tree.build(loaded.tree.nodes[id] for id in keep)
