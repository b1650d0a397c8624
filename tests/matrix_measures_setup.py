"""Expected statuses for wave set-up, safeguarding leads and safeguarding alerts. Targets belong to a
programme and cohort none of the cast runs or leads, so only the convenor may reach them; the alert
list itself is open to facilitators too (empty for them here), and to no one else."""

from typing import Any

from carecommons.measures.running import services
from carecommons.measures.tests.factories import PHQ9_RISK, invite, make_wave
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import make_cohort, make_programme
from tests.matrix import CONVENOR_ONLY, Case


def programme_args() -> dict[str, Any]:
    return {"programme_id": make_programme(workshops=1).uuid}


def wave_args() -> dict[str, Any]:
    return {"wave_id": make_wave(make_programme(workshops=1)).uuid}


def alert_args() -> dict[str, Any]:
    person = create_person(by=None, given_name="Target", family_name="Person", email="target@example.org")
    invitation = invite(person, cohort=make_cohort(make_programme(workshops=1)))
    saved = services.save_answers(
        invitation=invitation, instrument_id="phq9", answers=PHQ9_RISK, send=True, by=None
    )
    assert saved.alert is not None
    return {"alert_id": saved.alert.uuid}


MATRIX: dict[str, Case] = {
    "measures:wave_list": Case(CONVENOR_ONLY, args=programme_args),
    "measures:wave_create": Case(CONVENOR_ONLY, args=programme_args),
    "measures:wave_edit": Case(CONVENOR_ONLY, args=wave_args),
    "measures:wave_delete": Case(CONVENOR_ONLY, args=wave_args),
    "measures:safeguarding_leads": Case(CONVENOR_ONLY, args=programme_args),
    "measures:alert_list": Case(CONVENOR_ONLY, overrides={"facilitator": 200}),
    "measures:alert_detail": Case(CONVENOR_ONLY, args=alert_args),
}
