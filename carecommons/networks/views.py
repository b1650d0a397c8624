"""The relationship network of a Care Lab: the latest snapshot as a map and as lists, older
snapshots, a comparison of two, and exports. Organisers of the lab and convenors only."""

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.once import SubmissionKeyField
from carecommons.listening.access import get_lab_for_user
from carecommons.networks import changes, exports, services
from carecommons.networks.access import get_snapshot_for_user
from carecommons.networks.models import Snapshot, SnapshotEdge, SnapshotNode
from carecommons.programmes.models import Programme

PAGE_SIZE = 50
MAP_LIMIT = 1500
SHORT_LIST = 50
SNAPSHOT_LIMIT = 100
KUMU_HISTORY = 5
REQUEST_MESSAGES = {
    services.Request.QUEUED: "Taking a snapshot of the network now. It appears on this page when it is "
    "ready: seconds for a small lab, up to a minute for thousands of people. Reload to see it.",
    services.Request.RECENT: "A snapshot was taken less than a minute ago: it is the one shown here.",
    services.Request.REPEATED: "That snapshot was already asked for; it appears here when it is ready.",
}


class SnapshotRequestForm(forms.Form):
    submission = SubmissionKeyField()


def snapshot_name(snapshot: Snapshot) -> str:
    when = date_format(timezone.localtime(snapshot.taken_at), "j M Y, H:i")
    return f"{when} – {snapshot.label}" if snapshot.label else when


class CompareForm(forms.Form):
    a = forms.ChoiceField(label="From (the earlier snapshot)")
    b = forms.ChoiceField(label="To (the later snapshot)")

    def __init__(self, *args: Any, snapshots: list[Snapshot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(str(s.uuid), snapshot_name(s)) for s in snapshots]
            field.error_messages["invalid_choice"] = "Choose one of this lab's snapshots."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", "Choose a different snapshot from the first one to see what changed.")
        return data


@dataclass(frozen=True)
class Row:
    node: SnapshotNode
    url: str
    community: str


def node_url(node: SnapshotNode) -> str:
    """The person's or organisation's own page, while they are still in the directory."""
    uuid = node.key.partition(":")[2]
    if node.person_id is not None:
        return reverse("people:person_detail", args=[uuid])
    if node.organisation_id is not None:
        return reverse("people:organisation_detail", args=[uuid])
    return ""


def community_label(snapshot: Snapshot, number: int | None) -> str:
    if number is None:
        return "none (no ties)"
    return f"{number}: {exports.community_name(snapshot.communities, number)}"


def rows(snapshot: Snapshot, nodes: Any) -> list[Row]:
    return [Row(node, node_url(node), community_label(snapshot, node.community)) for node in nodes]


def lab_snapshots(lab: Programme) -> list[Snapshot]:
    return list(lab.network_snapshots.select_related("taken_by")[:SNAPSHOT_LIMIT])


def map_data(snapshot: Snapshot) -> dict[str, Any]:
    """What the map script draws: at most MAP_LIMIT nodes (the best connected) and the ties among
    them, at the positions stored with the snapshot."""
    nodes = list(snapshot.nodes.order_by("-degree", "label", "id")[:MAP_LIMIT])
    shown = {node.key for node in nodes}
    edges = snapshot.edges.order_by("id").values_list("source", "target", "kind", "is_bridge")
    return {
        "capped": snapshot.node_count > len(nodes),
        "nodes": [
            {
                "id": node.key,
                "label": node.label,
                "kind": node.kind,
                "community": node.community,
                "bridge": node.is_bridge,
                "reason": node.bridge_reason,
                "degree": node.degree,
                "url": node_url(node),
                "x": node.x,
                "y": node.y,
            }
            for node in nodes
        ],
        "edges": [
            {"source": s, "target": t, "kind": kind, "bridge": bridge}
            for s, t, kind, bridge in edges
            if s in shown and t in shown
        ],
    }


def render_snapshot(
    request: AuthedRequest, lab: Programme, snapshot: Snapshot | None, snapshots: list[Snapshot]
) -> HttpResponse:
    context: dict[str, Any] = {
        "lab": lab,
        "snapshot": snapshot,
        "snapshots": [(s, snapshot_name(s)) for s in snapshots],
        "snapshot_form": SnapshotRequestForm(),
        "is_latest": bool(snapshots) and snapshot == snapshots[0],
    }
    if snapshot is not None:
        nodes = snapshot.nodes.all()
        page = Paginator(nodes.order_by("label", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
        counts = nodes.aggregate(
            bridges=Count("id", filter=Q(is_bridge=True)), isolated=Count("id", filter=Q(is_isolated=True))
        )
        sizes = nodes.filter(community__isnull=False).values("community").annotate(n=Count("id"))
        groups = sorted((row["community"], row["n"]) for row in sizes)
        data = map_data(snapshot)
        older = [s for s in snapshots if s.taken_at < snapshot.taken_at]
        context |= {
            "page": page,
            "rows": rows(snapshot, page.object_list),
            "counts": counts,
            "bridges": rows(
                snapshot, nodes.filter(is_bridge=True).order_by("-betweenness", "label")[:SHORT_LIST]
            ),
            "isolated": rows(snapshot, nodes.filter(is_isolated=True).order_by("label", "id")[:SHORT_LIST]),
            "groups": [(number, snapshot.communities.get(str(number), ""), n) for number, n in groups],
            "map_data": data,
            "map_choices": sorted(data["nodes"], key=lambda n: (n["label"].casefold(), n["id"])),
            "compare_form": CompareForm(
                snapshots=snapshots,
                initial={"a": str(older[0].uuid) if older else "", "b": str(snapshot.uuid)},
            ),
        }
    return render(request, "networks/network_page.html", context)


@login_required
@require_GET
def network_page(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    snapshots = lab_snapshots(lab)
    record_event(actor=request.user, action="network.viewed", target=lab)
    return render_snapshot(request, lab, snapshots[0] if snapshots else None, snapshots)


@login_required
@require_GET
def snapshot_detail(request: AuthedRequest, snapshot_id: UUID) -> HttpResponse:
    snapshot = get_snapshot_for_user(request.user, snapshot_id)
    record_event(actor=request.user, action="network.snapshot_viewed", target=snapshot)
    return render_snapshot(request, snapshot.lab, snapshot, lab_snapshots(snapshot.lab))


@login_required
@require_POST
def take_snapshot(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    form = SnapshotRequestForm(request.POST)
    key = form.cleaned_data.get("submission") if form.is_valid() else None
    outcome = services.request_snapshot(lab=lab, by=request.user, key=key)
    messages.info(request, REQUEST_MESSAGES[outcome])
    return redirect("networks:network_page", lab_id=lab.uuid)


def node_states(snapshot: Snapshot) -> dict[str, changes.NodeState]:
    fields = ("key", "label", "kind", "degree", "is_bridge", "bridge_reason", "is_isolated")
    values = snapshot.nodes.values_list(*fields, "in_largest_component")
    return {row[0]: changes.NodeState(*row) for row in values}


@login_required
@require_GET
def compare(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    snapshots = lab_snapshots(lab)
    asked = "a" in request.GET or "b" in request.GET
    initial = {"b": str(snapshots[0].uuid), "a": str(snapshots[1].uuid)} if len(snapshots) > 1 else {}
    form = CompareForm(request.GET if asked else None, snapshots=snapshots, initial=initial)
    context: dict[str, Any] = {"lab": lab, "form": form, "snapshot_count": len(snapshots)}
    if asked and form.is_valid():
        by_uuid = {str(s.uuid): s for s in snapshots}
        before, after = by_uuid[form.cleaned_data["a"]], by_uuid[form.cleaned_data["b"]]
        context |= {
            "before": before,
            "after": after,
            "before_name": snapshot_name(before),
            "after_name": snapshot_name(after),
            "backwards": before.taken_at > after.taken_at,
            "changes": changes.compare(node_states(before), node_states(after)),
            "limit": SHORT_LIST,
        }
    record_event(actor=request.user, action="network.compared", target=lab)
    return render(request, "networks/compare.html", context)


def attachment(snapshot: Snapshot, extension: str, stem: str = "network") -> dict[str, str]:
    day = timezone.localdate(snapshot.taken_at)
    filename = f"{stem}-{slugify(snapshot.lab.name)}-{day:%Y-%m-%d}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


def exported(request: AuthedRequest, snapshot: Snapshot, form: str) -> None:
    record_event(
        actor=request.user,
        action="network.exported",
        target=snapshot,
        detail={"format": form, "lab": str(snapshot.lab.uuid), "nodes": snapshot.node_count},
    )


def all_nodes(snapshot: Snapshot) -> list[SnapshotNode]:
    return list(snapshot.nodes.order_by("key"))


def all_edges(snapshot: Snapshot) -> list[SnapshotEdge]:
    return list(snapshot.edges.order_by("id"))


@login_required
@require_GET
def snapshot_json(request: AuthedRequest, snapshot_id: UUID) -> JsonResponse:
    snapshot = get_snapshot_for_user(request.user, snapshot_id)
    exported(request, snapshot, "json")
    nodes = [
        {
            "id": n.key,
            "label": n.label,
            "kind": n.kind,
            "community": n.community,
            "degree": n.degree,
            "betweenness": n.betweenness,
            "is_bridge": n.is_bridge,
            "bridge_reason": n.bridge_reason,
            "is_isolated": n.is_isolated,
            "in_largest_component": n.in_largest_component,
            "x": n.x,
            "y": n.y,
        }
        for n in all_nodes(snapshot)
    ]
    edges = [
        {"source": e.source, "target": e.target, "kind": e.kind, "weight": e.weight, "is_bridge": e.is_bridge}
        for e in all_edges(snapshot)
    ]
    body = {
        "snapshot": {
            "id": str(snapshot.uuid),
            "lab": snapshot.lab.name,
            "taken_at": snapshot.taken_at.isoformat(),
            "modularity": snapshot.modularity,
            "communities": snapshot.communities,
            "params": snapshot.params,
        },
        "nodes": nodes,
        "edges": edges,
    }
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


@login_required
@require_GET
def export_graphml(request: AuthedRequest, snapshot_id: UUID) -> HttpResponse:
    snapshot = get_snapshot_for_user(request.user, snapshot_id)
    exported(request, snapshot, "graphml")
    body = exports.graphml(all_nodes(snapshot), all_edges(snapshot), snapshot.communities)
    return HttpResponse(body, content_type="application/graphml+xml", headers=attachment(snapshot, "graphml"))


def kumu_history(snapshot: Snapshot) -> list[tuple[str, dict[str, exports.Figures]]]:
    """This snapshot and up to four before it, oldest first, as Kumu's dated fields."""
    chosen = snapshot.with_earlier(KUMU_HISTORY)
    prefetch_related_objects(chosen, "nodes")
    figures: dict[int, dict[str, exports.Figures]] = {s.pk: {} for s in chosen}
    for s in chosen:
        for node in s.nodes.all():
            name = exports.community_name(s.communities, node.community)
            figures[s.pk][node.key] = exports.Figures(node.degree, node.betweenness, name, node.is_bridge)
    stamps: list[str] = []
    for s in chosen:
        stamp = f"{timezone.localdate(s.taken_at):%Y-%m-%d}"
        if stamp in stamps:
            stamp = f"{timezone.localtime(s.taken_at):%Y-%m-%d %H:%M}"
        stamps.append(stamp)
    return [(stamp, figures[s.pk]) for stamp, s in zip(stamps, chosen, strict=True)]


@login_required
@require_GET
def export_kumu(request: AuthedRequest, snapshot_id: UUID) -> HttpResponse:
    snapshot = get_snapshot_for_user(request.user, snapshot_id)
    exported(request, snapshot, "kumu")
    blueprint = exports.kumu(all_nodes(snapshot), all_edges(snapshot), kumu_history(snapshot))
    return HttpResponse(
        json.dumps(blueprint, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
        headers=attachment(snapshot, "json", stem="kumu"),
    )


@login_required
@require_GET
def export_nodes_csv(request: AuthedRequest, snapshot_id: UUID) -> HttpResponse:
    snapshot = get_snapshot_for_user(request.user, snapshot_id)
    exported(request, snapshot, "nodes.csv")
    return HttpResponse(
        exports.nodes_csv(all_nodes(snapshot), snapshot.communities),
        content_type="text/csv; charset=utf-8",
        headers=attachment(snapshot, "csv", stem="nodes"),
    )


@login_required
@require_GET
def export_edges_csv(request: AuthedRequest, snapshot_id: UUID) -> HttpResponse:
    snapshot = get_snapshot_for_user(request.user, snapshot_id)
    exported(request, snapshot, "edges.csv")
    labels = dict(snapshot.nodes.values_list("key", "label"))
    return HttpResponse(
        exports.edges_csv(all_edges(snapshot), labels),
        content_type="text/csv; charset=utf-8",
        headers=attachment(snapshot, "csv", stem="edges"),
    )
