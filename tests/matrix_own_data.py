"""Expected statuses for a person's own data and erasure requests (see tests/matrix.py)."""

from typing import Any

from carecommons.people.erasure import request_erasure
from carecommons.people.services import create_person
from tests.matrix import ANON, CONVENOR_ONLY, Case, person_args


def erasure_request_args() -> dict[str, Any]:
    person = create_person(by=None, given_name="Target", family_name="Person")
    return {"request_id": request_erasure(person=person, by=None).uuid}


MATRIX: dict[str, Case] = {
    # Only the person themselves may see, download or ask to erase their data; the target here is
    # someone else, so everyone gets a 404 (tests/people tests cover the person's own 200).
    "people:own_data": Case(ANON, denied=404, args=person_args),
    "people:own_data_download": Case(ANON, denied=404, args=person_args),
    "people:erasure_ask": Case(ANON, denied=404, args=person_args),
    "people:erasure_list": Case(CONVENOR_ONLY),
    "people:erasure_detail": Case(CONVENOR_ONLY, args=erasure_request_args),
}
