"""What the relationship network holds about a person: their place in each snapshot, kept under the
pseudonym on erasure because snapshots are only ever added (decision 0026)."""

from django.db.models import Q

from carecommons.networks.models import SnapshotEdge, SnapshotNode
from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person


def network(person: Person) -> list[Row]:
    key = f"person:{person.uuid}"
    rows = []
    for node in SnapshotNode.objects.filter(person=person).select_related("snapshot__lab"):
        edges = list(SnapshotEdge.objects.filter(Q(source=key) | Q(target=key), snapshot=node.snapshot_id))
        others = {e.target if e.source == key else e.source for e in edges}
        labels = dict(
            SnapshotNode.objects.filter(snapshot=node.snapshot_id, key__in=others).values_list("key", "label")
        )
        rows.append(
            row(
                care_lab=node.snapshot.lab.name,
                snapshot_taken_at=node.snapshot.taken_at,
                ties=node.degree,
                betweenness=node.betweenness,
                community=node.community,
                is_bridge=node.is_bridge,
                bridge_reason=node.bridge_reason,
                tied_to=[
                    row(who=labels.get(other, other), tie=e.kind)
                    for e in edges
                    for other in [e.target if e.source == key else e.source]
                ],
            )
        )
    return rows


def unlink(person: Person, erasing: Erasing) -> None:
    SnapshotNode.objects.filter(person=person).update(label=erasing.pseudonym)


PERSONAL_DATA = Holding(
    covers=("snapshotnode.person",),
    sections=(Collector("network", "Your place in the relationship network", network),),
    unlink=unlink,
)
