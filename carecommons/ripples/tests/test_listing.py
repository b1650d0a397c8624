"""The round page's nested list written out flat, and the indented choices of a ripple select."""

from uuid import uuid4

from carecommons.ripples.capitals import Valence
from carecommons.ripples.data import LoadedMap
from carecommons.ripples.listing import THE_PROGRAMME, parent_choices, rows_of
from carecommons.ripples.tree import RippleNode, build


def loaded_map(parents: dict[int, int | None]) -> LoadedMap:
    nodes = [RippleNode(id, parent, f"Ripple {id}", None, Valence.POSITIVE) for id, parent in parents.items()]
    return LoadedMap(
        tree=build(nodes),
        uuids={id: str(uuid4()) for id in parents},
        rounds=dict.fromkeys(parents, 1) | {4: 2},
        held_on={},
        links={2: ["Food Bank"]},
    )


def test_the_flat_rows_open_and_close_every_list_they_start_in_reading_order() -> None:
    # 1 ─ 2 ─ 3      then 4 from the programme; 5 under 1
    loaded = loaded_map({1: None, 2: 1, 3: 2, 4: None, 5: 1})
    rows = rows_of(loaded.tree, loaded, reached=frozenset({1}))
    assert [(row.item.id, row.opens, len(row.closes)) for row in rows] == [
        (1, True, 0),
        (2, True, 0),
        (3, False, 1),  # closes the list under 2, back among 1's children
        (5, False, 1),  # closes the list under 1
        (4, False, 0),
    ]
    assert sum(row.opens for row in rows) == sum(len(row.closes) for row in rows)
    assert [row.linked for row in rows] == [True, True, True, True, False]
    assert rows[1].item.links == ("Food Bank",)


def test_a_chain_deeper_than_pythons_recursion_limit_is_listed() -> None:
    loaded = loaded_map({id: id - 1 if id > 1 else None for id in range(1, 3001)})
    rows = rows_of(loaded.tree, loaded, reached=frozenset({1, 2}))
    assert len(rows) == 3000 and len(rows[-1].closes) == 2999


def test_choices_start_with_the_programme_and_indent_each_ripple_by_its_depth() -> None:
    loaded = loaded_map({1: None, 2: 1, 3: 2, 4: None, 5: 1})
    choices = parent_choices(loaded.tree, loaded, "Radical Caring", leave_out=3)
    assert choices[0] == (THE_PROGRAMME, "Radical Caring itself")
    assert [label for _, label in choices[1:]] == ["Ripple 1", "\u2003Ripple 2", "\u2003Ripple 5", "Ripple 4"]
    assert choices[1][0] == str(loaded.uuids[1])
