"""Expected statuses for the dashboards' URLs (see tests/matrix.py for what each field means).

The target is a programme with a cohort that nobody in the cast runs: convenors see its dashboard,
everyone else (facilitators included, since they run none of its cohorts) gets a 404."""

from typing import Any

from carecommons.programmes.tests.factories import make_cohort, make_programme
from tests.matrix import CONVENOR_ONLY, Case


def programme_args() -> dict[str, Any]:
    programme = make_programme("Target Programme", workshops=2)
    make_cohort(programme)
    return {"programme_id": programme.uuid}


MATRIX: dict[str, Case] = {
    "dashboards:programme_dashboard": Case(CONVENOR_ONLY, args=programme_args),
    "dashboards:programme_dashboard_csv": Case(CONVENOR_ONLY, args=programme_args),
}
