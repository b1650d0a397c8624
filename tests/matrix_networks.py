"""Expected statuses for the relationship network pages and exports. As for conversations, the
target lab is organised by the organiser persona (when it exists), so organisers and convenors get
in; everyone else, members of the lab included, gets a 404, for the exports too."""

from typing import Any

from carecommons.accounts.models import User
from carecommons.listening.tests.factories import make_lab
from carecommons.networks.services import take_snapshot
from carecommons.programmes.models import Programme
from tests.matrix import DIRECTORY, Case, unique_name


def organiser_persona() -> User | None:
    return User.objects.filter(email="organiser@example.org").first()


def target_lab(prefix: str) -> Programme:
    return make_lab(unique_name(prefix), organiser=organiser_persona())


def lab_args() -> dict[str, Any]:
    return {"lab_id": target_lab("Target Lab").uuid}


def snapshot_args() -> dict[str, Any]:
    return {"snapshot_id": take_snapshot(lab=target_lab("Snapshot Lab"), by=None).uuid}


MATRIX: dict[str, Case] = {
    "networks:network_page": Case(DIRECTORY, args=lab_args),
    "networks:take_snapshot": Case(DIRECTORY, ok=302, method="post", args=lab_args),
    "networks:compare": Case(DIRECTORY, args=lab_args),
    "networks:snapshot_detail": Case(DIRECTORY, args=snapshot_args),
    "networks:snapshot_json": Case(DIRECTORY, args=snapshot_args),
    "networks:export_graphml": Case(DIRECTORY, args=snapshot_args),
    "networks:export_kumu": Case(DIRECTORY, args=snapshot_args),
    "networks:export_nodes_csv": Case(DIRECTORY, args=snapshot_args),
    "networks:export_edges_csv": Case(DIRECTORY, args=snapshot_args),
}
