"""Expected statuses for the relationship network pages and exports. The target lab is one none of
the cast organises, so only the convenor may reach it (organisers of the lab itself are tested in
carecommons/networks/tests/test_pages.py); everyone else gets a 404, for the exports too."""

from typing import Any

from carecommons.listening.tests.factories import make_lab
from carecommons.networks.services import take_snapshot
from tests.matrix import CONVENOR_ONLY, Case, unique_name


def lab_args() -> dict[str, Any]:
    return {"lab_id": make_lab(unique_name("Target Lab")).uuid}


def snapshot_args() -> dict[str, Any]:
    lab = make_lab(unique_name("Snapshot Lab"))
    return {"snapshot_id": take_snapshot(lab=lab, by=None).uuid}


MATRIX: dict[str, Case] = {
    "networks:network_page": Case(CONVENOR_ONLY, args=lab_args),
    "networks:take_snapshot": Case(CONVENOR_ONLY, ok=302, method="post", args=lab_args),
    "networks:compare": Case(CONVENOR_ONLY, args=lab_args),
    "networks:snapshot_detail": Case(CONVENOR_ONLY, args=snapshot_args),
    "networks:snapshot_json": Case(CONVENOR_ONLY, args=snapshot_args),
    "networks:export_graphml": Case(CONVENOR_ONLY, args=snapshot_args),
    "networks:export_kumu": Case(CONVENOR_ONLY, args=snapshot_args),
    "networks:export_nodes_csv": Case(CONVENOR_ONLY, args=snapshot_args),
    "networks:export_edges_csv": Case(CONVENOR_ONLY, args=snapshot_args),
}
