"""Expected statuses for the progress and outcome pages (see tests/matrix.py for the Case fields).

Targets belong to a cohort nobody in the cast runs or belongs to. Everyone signed in has their own
results page (empty for the cast); one response is the convenor's to read, as its person is not in
the cast; a cohort's change and the outcomes are for convenors and evaluators."""

from typing import Any

from carecommons.measures.tests.factories import answer, invite, make_wave
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import make_cohort, make_programme
from tests.matrix import CONVENOR_ONLY, SIGNED_IN, Case

OUTCOME_VIEWERS = {"evaluator": 200}


def response_args() -> dict[str, Any]:
    cohort = make_cohort(make_programme(workshops=1))
    wave = make_wave(cohort.programme)
    person = create_person(by=None, given_name="Target", family_name="Answerer")
    response = answer(invite(person, cohort=cohort, wave=wave), "gad7", [0, 1, 0, 1, 0, 1, 0])
    return {"response_id": response.uuid}


def cohort_args() -> dict[str, Any]:
    cohort = make_cohort(make_programme(workshops=1))
    make_wave(cohort.programme)
    return {"cohort_id": cohort.uuid}


MATRIX: dict[str, Case] = {
    "measures:my_progress": Case(SIGNED_IN),
    "measures:response_detail": Case(CONVENOR_ONLY, args=response_args),
    "measures:cohort_change": Case(CONVENOR_ONLY, args=cohort_args, overrides=OUTCOME_VIEWERS),
    "measures:outcomes": Case(CONVENOR_ONLY, overrides=OUTCOME_VIEWERS),
}
