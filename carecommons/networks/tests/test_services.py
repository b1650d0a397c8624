import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.listening.tests.factories import make_lab
from carecommons.networks import services
from carecommons.networks.models import Snapshot, SnapshotEdge, SnapshotNode
from carecommons.networks.tests.factories import key, make_network, snapshot_of
from carecommons.people.services import add_relationship

pytestmark = pytest.mark.django_db


def test_a_snapshot_stores_every_node_and_tie_with_its_measures(organiser: User) -> None:
    net = make_network(organiser)
    snapshot = snapshot_of(net.lab, by=organiser)
    assert (snapshot.node_count, snapshot.edge_count) == (6, 5)
    assert snapshot.taken_by == organiser
    nodes = {node.key: node for node in snapshot.nodes.all()}
    amira = nodes[key(net.amira)]
    assert (amira.degree, amira.person_id, amira.kind) == (4, net.amira.pk, "person")
    assert amira.is_bridge and amira.bridge_reason.startswith("The only link between ")
    assert nodes[key(net.dev)].is_isolated and nodes[key(net.dev)].community is None
    assert nodes[key(net.library)].organisation_id == net.library.pk
    assert not nodes[key(net.dev)].in_largest_component and amira.in_largest_component
    # Amira is on the only path for 5 of the (6-1)(6-2)/2 = 10 pairs: organiser or library to Bea or Cal,
    # and organiser to library.
    assert amira.betweenness == pytest.approx(5 / 10)
    bridge_ties = set(snapshot.edges.filter(is_bridge=True).values_list("source", "target"))
    assert tuple(sorted((key(net.organiser), key(net.amira)))) in bridge_ties
    assert snapshot.community_count == len(snapshot.communities) >= 1
    event = AuditEvent.objects.get(action="network.snapshot_taken")
    assert event.target_id == str(snapshot.uuid)
    assert event.detail == {"lab": str(net.lab.uuid), "nodes": 6, "edges": 5}


def test_a_new_snapshot_never_changes_an_old_one(organiser: User) -> None:
    net = make_network(organiser)
    old = snapshot_of(net.lab, days_ago=90)
    before = list(SnapshotNode.objects.filter(snapshot=old).values())
    before_edges = list(SnapshotEdge.objects.filter(snapshot=old).values())
    add_relationship(from_person=net.dev, to_person=net.bea, kind="neighbour", by=None)
    new = snapshot_of(net.lab)
    assert new.pk != old.pk
    assert list(SnapshotNode.objects.filter(snapshot=old).values()) == before
    assert list(SnapshotEdge.objects.filter(snapshot=old).values()) == before_edges
    dev = new.nodes.get(key=key(net.dev))
    assert dev.degree == 1 and not dev.is_isolated


def test_a_back_dated_snapshot_counts_only_ties_dated_by_then(organiser: User) -> None:
    net = make_network(organiser)
    old = snapshot_of(net.lab, days_ago=90)
    assert old.edge_count == 1  # the affiliation: the conversation, session and friendship came later
    assert old.taken_at < timezone.now() - timedelta(days=89)


def test_asking_again_within_a_minute_gives_back_the_same_snapshot(organiser: User) -> None:
    net = make_network(organiser)
    first = snapshot_of(net.lab)
    assert snapshot_of(net.lab) == first
    Snapshot.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(minutes=2), taken_at=timezone.now() - timedelta(minutes=2)
    )
    assert snapshot_of(net.lab) != first
    assert Snapshot.objects.count() == 2


def test_a_request_is_queued_once_per_form_however_often_it_is_sent(organiser: User) -> None:
    net = make_network(organiser)
    form_key = uuid.uuid4()
    assert services.request_snapshot(lab=net.lab, by=organiser, key=form_key) == services.Request.QUEUED
    assert Snapshot.objects.count() == 1  # tasks run at once in tests
    assert services.request_snapshot(lab=net.lab, by=organiser, key=form_key) == services.Request.RECENT
    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    Snapshot.objects.update(created_at=two_minutes_ago, taken_at=two_minutes_ago)
    assert services.request_snapshot(lab=net.lab, by=organiser, key=form_key) == services.Request.REPEATED
    assert Snapshot.objects.count() == 1
    assert services.request_snapshot(lab=net.lab, by=organiser, key=uuid.uuid4()) == services.Request.QUEUED
    assert Snapshot.objects.count() == 2


def test_an_empty_lab_can_be_snapshotted() -> None:
    lab = make_lab("Empty Lab")
    snapshot = snapshot_of(lab)
    assert (snapshot.node_count, snapshot.edge_count, snapshot.modularity) == (0, 0, None)
