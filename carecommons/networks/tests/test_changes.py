from carecommons.networks.changes import NodeState, compare


def state(key: str, degree: int = 1, *, bridge: bool = False, main: bool = True) -> NodeState:
    return NodeState(key, key.title(), "person", degree, bridge, "why" if bridge else "", degree == 0, main)


def test_every_kind_of_change_is_found_in_both_directions() -> None:
    before = {
        "ann": state("ann", 0, main=False),
        "bob": state("bob", 3, bridge=True),
        "cy": state("cy", 2),
        "dee": state("dee", 1),
    }
    after = {
        "ann": state("ann", 2, bridge=True),
        "bob": state("bob", 1, main=False),
        "cy": state("cy", 2),
        "eve": state("eve", 1),
    }
    changes = compare(before, after)
    assert [n.key for n in changes.became_connected] == ["ann"]
    assert [n.key for n in changes.lost_connection] == ["bob"]
    assert [n.key for n in changes.became_bridge] == ["ann"]
    assert [n.key for n in changes.stopped_bridge] == ["bob"]
    assert [n.key for n in changes.new] == ["eve"] and [n.key for n in changes.gone] == ["dee"]
    assert [(c.after.key, c.delta) for c in changes.degree_changes] == [("ann", 2), ("bob", -2)]
    assert not changes.nothing


def test_the_same_snapshot_twice_has_nothing_to_report() -> None:
    nodes = {"ann": state("ann"), "bob": state("bob", 0, main=False)}
    assert compare(nodes, nodes).nothing
