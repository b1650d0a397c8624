"""Snapshots of a Care Lab's relationship network: the graph and its metrics at one moment.

Snapshots are only ever added, never recomputed in place, so two of them can be compared (who
became connected, who became a bridge). Nodes are keyed "person:<uuid>" or "organisation:<uuid>".
"""

import uuid

from django.conf import settings
from django.db import models

from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Programme


class Snapshot(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lab = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="network_snapshots")
    taken_at = models.DateTimeField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=200, blank=True)
    params = models.JSONField(
        default=dict, blank=True, help_text="How the graph was built (edge kinds, weights)."
    )
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    community_count = models.PositiveIntegerField(default=0)
    modularity = models.FloatField(null=True, blank=True)
    communities = models.JSONField(
        default=dict, blank=True, help_text="Community number -> its name in plain words."
    )

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["lab", "taken_at"], name="snapshot_lab_idx")]

    def __str__(self) -> str:
        return self.label or f"Network on {self.taken_at:%Y-%m-%d}"

    def with_earlier(self, count: int) -> list["Snapshot"]:
        """This snapshot and up to count - 1 taken before it for the same lab, oldest first."""
        earlier = (
            Snapshot.objects.filter(lab_id=self.lab_id, taken_at__lte=self.taken_at)
            .exclude(pk=self.pk)
            .order_by("-taken_at", "-id")[: count - 1]
        )
        return [*reversed(earlier), self]


class SnapshotNode(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="nodes")
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, help_text="person or organisation")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=200)
    degree = models.PositiveIntegerField(default=0)
    betweenness = models.FloatField(default=0)
    community = models.IntegerField(null=True, blank=True)
    is_bridge = models.BooleanField(default=False)
    bridge_reason = models.CharField(max_length=300, blank=True)
    is_isolated = models.BooleanField(default=False)
    in_largest_component = models.BooleanField(
        default=False, help_text="Connected, through any number of ties, to the biggest group."
    )
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)

    class Meta:
        ordering = ["snapshot_id", "label", "id"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "key"], name="snapshot_node_once")]

    def __str__(self) -> str:
        return self.label


class SnapshotEdge(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="edges")
    source = models.CharField(max_length=60)
    target = models.CharField(max_length=60)
    kind = models.CharField(
        max_length=200,
        help_text="What ties them, comma-separated when several do: listened, introduced, suggested, "
        "affiliated, a relationship kind (friend, family…), attended together.",
    )
    weight = models.FloatField(default=1)
    is_bridge = models.BooleanField(default=False, help_text="Removing this tie would split the network.")

    class Meta:
        ordering = ["snapshot_id", "id"]
        indexes = [models.Index(fields=["snapshot", "source"], name="snapshot_edge_idx")]

    def __str__(self) -> str:
        return f"{self.source} – {self.target} ({self.kind})"
