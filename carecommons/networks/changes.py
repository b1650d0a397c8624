"""What changed between two stored snapshots of a network. Pure: no ORM.

"Connected" means being in the largest connected group of the network (through any number of
ties). So someone *became connected* if, in the earlier snapshot, they had no ties or sat in a small
separate group, and in the later one they are in the largest group. "Became a bridge" means the
bridge flag was off before and is on after.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NodeState:
    key: str
    label: str
    kind: str
    degree: int
    is_bridge: bool
    bridge_reason: str
    is_isolated: bool
    in_largest_component: bool


@dataclass(frozen=True)
class DegreeChange:
    before: NodeState
    after: NodeState

    @property
    def delta(self) -> int:
        return self.after.degree - self.before.degree


@dataclass
class Changes:
    became_connected: list[NodeState] = field(default_factory=list)
    lost_connection: list[NodeState] = field(default_factory=list)
    became_bridge: list[NodeState] = field(default_factory=list)
    stopped_bridge: list[NodeState] = field(default_factory=list)
    new: list[NodeState] = field(default_factory=list)
    gone: list[NodeState] = field(default_factory=list)
    degree_changes: list[DegreeChange] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not any(
            (
                self.became_connected,
                self.lost_connection,
                self.became_bridge,
                self.stopped_bridge,
                self.new,
                self.gone,
                self.degree_changes,
            )
        )


def by_label(nodes: list[NodeState]) -> list[NodeState]:
    return sorted(nodes, key=lambda node: (node.label.casefold(), node.key))


def compare(before: Mapping[str, NodeState], after: Mapping[str, NodeState]) -> Changes:
    changes = Changes(
        new=by_label([after[key] for key in after.keys() - before.keys()]),
        gone=by_label([before[key] for key in before.keys() - after.keys()]),
    )
    for key in before.keys() & after.keys():
        a, b = before[key], after[key]
        if b.in_largest_component and not a.in_largest_component:
            changes.became_connected.append(b)
        elif a.in_largest_component and not b.in_largest_component:
            changes.lost_connection.append(b)
        if b.is_bridge and not a.is_bridge:
            changes.became_bridge.append(b)
        elif a.is_bridge and not b.is_bridge:
            changes.stopped_bridge.append(b)
        if a.degree != b.degree:
            changes.degree_changes.append(DegreeChange(a, b))
    for name in ("became_connected", "lost_connection", "became_bridge", "stopped_bridge"):
        setattr(changes, name, by_label(getattr(changes, name)))
    changes.degree_changes.sort(key=lambda c: (-abs(c.delta), c.after.label.casefold(), c.after.key))
    return changes
