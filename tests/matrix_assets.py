"""Expected statuses for community assets. Each target lab is organised by the cast's organiser (when
that persona exists yet) and has the cast's participant as an accepted member, so the matrix checks
the lab roles too: organisers reach everything, members the list, the suggestion form and accepted
assets, and nobody else anything but the convenor."""

from typing import Any

from carecommons.accounts.models import User
from carecommons.assets.tests.factories import make_asset, make_lab, make_suggestion
from carecommons.programmes.models import Programme
from carecommons.programmes.tests.factories import enrol
from tests.matrix import CONVENOR_ONLY, Case, unique_name

ORGANISER = {"organiser": 200}
MEMBER_TOO = {"organiser": 200, "participant": 200}


def cast_lab() -> Programme:
    organiser = User.objects.filter(email="organiser@example.org").first()
    participant = User.objects.filter(email="participant@example.org").first()
    lab = make_lab(unique_name("Matrix Lab"), organiser=organiser, ladder=False)
    if participant is not None:
        enrol(lab.cohorts.get(), participant)
    return lab


def lab_args() -> dict[str, Any]:
    return {"lab_id": cast_lab().uuid}


def asset_args() -> dict[str, Any]:
    return {"asset_id": make_asset(cast_lab(), category="natural", latitude=53.8, longitude=-1.5).uuid}


def suggestion_args() -> dict[str, Any]:
    lab = cast_lab()
    suggester = User.objects.filter(email="participant@example.org").first()
    if suggester is None:
        return {"asset_id": make_asset(lab).uuid}
    return {"asset_id": make_suggestion(lab, suggester).uuid}


MATRIX: dict[str, Case] = {
    "assets:asset_list": Case(CONVENOR_ONLY, args=lab_args, overrides=MEMBER_TOO),
    "assets:asset_create": Case(CONVENOR_ONLY, args=lab_args, overrides=MEMBER_TOO),
    "assets:moderation_queue": Case(CONVENOR_ONLY, args=lab_args, overrides=ORGANISER),
    "assets:asset_detail": Case(CONVENOR_ONLY, args=asset_args, overrides=MEMBER_TOO),
    "assets:asset_edit": Case(CONVENOR_ONLY, args=asset_args, overrides=ORGANISER),
    "assets:asset_moderate": Case(CONVENOR_ONLY, args=suggestion_args, overrides=ORGANISER),
    "assets:export_geojson": Case(CONVENOR_ONLY, args=lab_args, overrides=ORGANISER),
    "assets:export_csv": Case(CONVENOR_ONLY, args=lab_args, overrides=ORGANISER),
    "assets:export_hsds": Case(CONVENOR_ONLY, args=lab_args, overrides=ORGANISER),
}
