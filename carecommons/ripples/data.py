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

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast

from carecommons.ripples import tree
from carecommons.ripples.capitals import Intent, Valence
from carecommons.ripples.models import MappingRound, Ripple, RippleLink
from carecommons.ripples.tree import RippleNode, Tree

# Read as the database's own text, with no converter per row (a UUID, two dates and the capitals
# would each cost one, about half the query's time at 5,000 ripples); nodes_of turns them into
# values. On SQLite a UUID is 32 hex digits and on PostgreSQL the usual hyphenated form.
AS_TEXT = {
    "uuid_text": Cast("uuid", CharField()),
    "happened_text": Cast("happened_on", CharField()),
    "capitals_text": Cast("capitals", CharField()),
    "held_text": Cast("round__held_on", CharField()),
}
RIPPLE_FIELDS = (
    "id",
    "parent_id",
    "text",
    "happened_text",
    "valence",
    "capitals_text",
    "intent",
    "uuid_text",
    "round_id",
    "held_text",
)


@dataclass(frozen=True)
class LoadedMap:
    tree: Tree
    uuids: Mapping[int, str]
    """Ripple id -> its UUID as text (hyphenated), for its address."""
    rounds: Mapping[int, int]
    """Ripple id -> the id of the round it was named in."""
    held_on: Mapping[int, date]
    """Ripple id -> the day of that round."""
    links: Mapping[int, Sequence[str]]
    """Ripple id -> the names of the people, organisations, initiatives and assets it affected."""


VALENCES = {valence.value: valence for valence in Valence}
INTENTS = {intent.value: intent for intent in Intent}


def as_rows(ripples: QuerySet[Ripple]) -> QuerySet[Ripple, tuple[Any, ...]]:
    """These ripples as the rows nodes_of reads."""
    return ripples.annotate(**AS_TEXT).values_list(*RIPPLE_FIELDS)


def map_rows(programme_id: int) -> QuerySet[Ripple, tuple[Any, ...]]:
    return as_rows(Ripple.objects.on_map().filter(programme_id=programme_id))


def hyphenated(uuid: str) -> str:
    if len(uuid) == 32:
        return f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
    return uuid


def day_of(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def nodes_of(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[list[RippleNode], dict[int, str], dict[int, int], dict[int, date]]:
    """Rows of `map_rows` as tree nodes, with each ripple's UUID, round and the round's day."""
    nodes, uuids, rounds, held_on = [], {}, {}, {}
    days: dict[object, date | None] = {}
    capital_sets: dict[str, frozenset[str]] = {}
    for id, parent, text, happened, valence, capitals, intent, uuid, round_id, round_day in rows:
        if happened not in days:
            days[happened] = day_of(happened)
        if round_day not in days:
            days[round_day] = day_of(round_day)
        chosen = capital_sets.get(capitals)
        if chosen is None:
            chosen = capital_sets[capitals] = frozenset(capitals.split(",")) if capitals else frozenset()
        nodes.append(RippleNode(id, parent, text, days[happened], VALENCES[valence], chosen, INTENTS[intent]))
        uuids[id], rounds[id], held_on[id] = hyphenated(uuid), round_id, days[round_day]
    return nodes, uuids, rounds, held_on  # type: ignore[return-value]


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
        nodes.append(node if parent == node.parent else node._replace(parent=parent))
    return tree.build(nodes)


def map_tree(programme_id: int, *, as_of: MappingRound | None = None) -> LoadedMap:
    nodes, uuids, rounds, held_on = nodes_of(map_rows(programme_id))
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
