"""Taking a snapshot of a Care Lab's network: read the graph, measure it, store it. Snapshots are
only ever added; an old one is never recomputed or changed, so two can always be compared."""

import uuid
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.once import claim_once
from carecommons.networks import metrics
from carecommons.networks.betweenness import available_processes
from carecommons.networks.graph import LabGraph, build_lab_graph
from carecommons.networks.models import Snapshot, SnapshotEdge, SnapshotNode
from carecommons.programmes.models import Programme

SEED = 1
RECENT = timedelta(minutes=1)
BATCH = 1000


def recent_snapshot(lab: Programme) -> Snapshot | None:
    """A snapshot of the present made in the last minute: a second request in that time gets it
    back. (A back-dated one, as the demo makes, does not count.)"""
    since = timezone.now() - RECENT
    return Snapshot.objects.filter(lab=lab, created_at__gte=since, taken_at__gte=since).first()


class Request(Enum):
    QUEUED = "queued"
    RECENT = "recent"
    REPEATED = "repeated"


def request_snapshot(*, lab: Programme, by: User, key: uuid.UUID | None) -> Request:
    """Queue a snapshot, unless one was made in the last minute or this very form was sent before
    (a double click): its submission key is claimed once, as lib/once.py does for rows."""
    from carecommons.networks.tasks import take_lab_snapshot

    if recent_snapshot(lab) is not None:
        return Request.RECENT
    if key is not None and not claim_once(
        key=key, user=by, target_type="networks.snapshot_request", target_id=str(lab.uuid)
    ):
        return Request.REPEATED
    take_lab_snapshot.enqueue(lab.pk, by.pk)
    return Request.QUEUED


def take_snapshot(
    *, lab: Programme, by: User | None, taken_at: datetime | None = None, label: str = ""
) -> Snapshot:
    """The network as it is now or, with `taken_at`, as its dated ties stood then (graph.py).

    Reading and measuring happen before the write transaction: at thousands of people they take
    seconds, and SQLite would hold its write lock all that time.
    """
    if taken_at is None and (recent := recent_snapshot(lab)) is not None:
        return recent
    graph = build_lab_graph(lab, as_of=taken_at)
    index = {node.key: i for i, node in enumerate(graph.nodes)}
    measured = metrics.compute(
        [node.label for node in graph.nodes],
        [(index[tie.source], index[tie.target], tie.weight) for tie in graph.ties],
        seed=SEED,
        processes=settings.NETWORK_METRICS_PROCESSES or available_processes(),
    )
    return store_snapshot(lab=lab, by=by, taken_at=taken_at, label=label, graph=graph, measured=measured)


@transaction.atomic
def store_snapshot(
    *,
    lab: Programme,
    by: User | None,
    taken_at: datetime | None,
    label: str,
    graph: LabGraph,
    measured: metrics.NetworkMetrics,
) -> Snapshot:
    # Lock the lab row so two workers cannot both pass the "made in the last minute" check.
    Programme.objects.select_for_update().filter(pk=lab.pk).first()
    if taken_at is None and (recent := recent_snapshot(lab)) is not None:
        return recent
    snapshot = Snapshot.objects.create(
        lab=lab,
        taken_at=taken_at or timezone.now(),
        taken_by=by if by is not None and by.is_authenticated else None,
        label=label,
        params={**graph.params, "seed": SEED},
        node_count=len(graph.nodes),
        edge_count=len(graph.ties),
        community_count=len(measured.communities),
        modularity=measured.modularity,
        communities={str(number): name for number, name in measured.communities.items()},
    )
    SnapshotNode.objects.bulk_create(
        (
            SnapshotNode(
                snapshot=snapshot,
                key=node.key,
                kind=node.kind,
                person_id=node.person_id,
                organisation_id=node.organisation_id,
                label=node.label[:200],
                degree=m.degree,
                betweenness=m.betweenness,
                community=m.community,
                is_bridge=m.is_bridge,
                bridge_reason=m.bridge_reason,
                is_isolated=m.is_isolated,
                in_largest_component=m.in_largest_component,
                x=m.x,
                y=m.y,
            )
            for node, m in zip(graph.nodes, measured.nodes, strict=True)
        ),
        batch_size=BATCH,
    )
    SnapshotEdge.objects.bulk_create(
        (
            SnapshotEdge(
                snapshot=snapshot,
                source=tie.source,
                target=tie.target,
                kind=tie.kind[:200],
                weight=tie.weight,
                is_bridge=i in measured.bridge_ties,
            )
            for i, tie in enumerate(graph.ties)
        ),
        batch_size=BATCH,
    )
    record_event(
        actor=by,
        action="network.snapshot_taken",
        target=snapshot,
        detail={"lab": str(lab.uuid), "nodes": snapshot.node_count, "edges": snapshot.edge_count},
    )
    return snapshot
