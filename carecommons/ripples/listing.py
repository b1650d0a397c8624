"""A map's ripples as the pages list them, pure (no ORM): the round page's nested list written out
flat, so a branch of any depth is rendered without recursion, and the indented choices of a
"spread from" or "hang it from" select. Both take the tree a page has read already (data.py)."""

from collections.abc import Iterable
from dataclasses import dataclass

from carecommons.ripples import charts
from carecommons.ripples.data import LoadedMap
from carecommons.ripples.tree import RippleNode, Tree, walk

THE_PROGRAMME = ""
"""The choice that hangs a ripple from the programme itself."""
LABEL_CHARS = 80


@dataclass(frozen=True)
class Row:
    """One ripple of the nested list: `opens` when a list of what spread from it follows, and
    `closes` counts the lists that end after it."""

    item: charts.RippleItem
    uuid: str
    opens: bool
    closes: range
    linked: bool
    """Whether the reader may open its page (its round is one of theirs)."""
    intent: str
    day: str


def rows_of(shown: Tree, loaded: LoadedMap, reached: frozenset[int]) -> list[Row]:
    flat: list[tuple[charts.RippleItem, int]] = []
    stack = [(item, 1) for item in reversed(charts.ripple_list(shown, links=loaded.links))]
    while stack:
        item, depth = stack.pop()
        flat.append((item, depth))
        stack.extend((child, depth + 1) for child in reversed(item.children))
    rows = []
    for index, (item, depth) in enumerate(flat):
        following = flat[index + 1][1] if index + 1 < len(flat) else 1
        rows.append(
            Row(
                item=item,
                uuid=loaded.uuids[item.id],
                opens=bool(item.children),
                closes=range(0 if item.children else depth - following),
                linked=loaded.rounds[item.id] in reached,
                intent=charts.intent_words(item.intent),
                day=charts.day_words(item.happened_on),
            )
        )
    return rows


def ripple_choices(nodes: Iterable[tuple[RippleNode, int, str]], programme: str) -> list[tuple[str, str]]:
    """(uuid, label) for each (ripple, depth, uuid), each label indented by its depth so the
    branches show in a plain select, after "the programme itself"."""
    choices = [(THE_PROGRAMME, f"{programme} itself")]
    for node, depth, uuid in nodes:
        words = node.text if len(node.text) <= LABEL_CHARS else node.text[: LABEL_CHARS - 1] + "…"
        choices.append((uuid, "\u2003" * (depth - 1) + words))
    return choices


def parent_choices(
    shown: Tree, loaded: LoadedMap, programme: str, *, leave_out: int | None = None
) -> list[tuple[str, str]]:
    """The ripples of `shown` in reading order (but `leave_out`), after the programme itself."""
    nodes = [
        (node, shown.depths[node.id], str(loaded.uuids[node.id]))
        for node in walk(shown)
        if node.id != leave_out
    ]
    return ripple_choices(nodes, programme)
