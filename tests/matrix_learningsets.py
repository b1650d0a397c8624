"""Expected statuses for the learning sets' URLs (see tests/matrix.py for what each field means).

The target rows sit in a cohort no persona belongs to or facilitates: only the convenor gets in."""

from typing import Any

from carecommons.learningsets.tests.factories import days_ago, make_set, record
from carecommons.programmes.tests.factories import make_cohort
from tests.matrix import CONVENOR_ONLY, Case, unique_name


def cohort_args() -> dict[str, Any]:
    return {"cohort_id": make_cohort(name=unique_name("Cohort")).uuid}


def set_args() -> dict[str, Any]:
    return {"set_id": make_set(name=unique_name("Set")).uuid}


def meeting_args() -> dict[str, Any]:
    return {"meeting_id": record(make_set(name=unique_name("Set")), held_at=days_ago(3)).uuid}


MATRIX: dict[str, Case] = {
    "learningsets:set_list": Case(CONVENOR_ONLY, args=cohort_args),
    "learningsets:set_create": Case(CONVENOR_ONLY, args=cohort_args),
    "learningsets:set_detail": Case(CONVENOR_ONLY, args=set_args),
    "learningsets:set_members": Case(CONVENOR_ONLY, args=set_args),
    "learningsets:meeting_create": Case(CONVENOR_ONLY, args=set_args),
    "learningsets:meeting_detail": Case(CONVENOR_ONLY, args=meeting_args),
}
