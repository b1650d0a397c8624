"""Expected statuses for the sign-up URLs. The public pages are open to everyone; the staff pages only
to convenors. Each application belongs to someone outside the cast, so only a convenor may
withdraw it."""

import uuid
from typing import Any

from carecommons.people.services import create_person
from carecommons.programmes.services import enrol_person
from carecommons.signups import services
from carecommons.signups.tests.factories import apply_as, open_cohort
from tests.matrix import CONVENOR_ONLY, EVERYONE, Case


def cohort_args() -> dict[str, Any]:
    return {"cohort_id": open_cohort().uuid}


def enrolment_args() -> dict[str, Any]:
    return {"enrolment_id": apply_as(open_cohort(), f"applicant-{uuid.uuid4().hex[:8]}@example.org").uuid}


def offer_args() -> dict[str, Any]:
    cohort = open_cohort(capacity=1)
    holder, waiting = (
        create_person(by=None, given_name=name, email=f"{name}-{uuid.uuid4().hex[:8]}@example.org")
        for name in ("holder", "waiting")
    )
    held = enrol_person(cohort=cohort, person=holder, by=None, status="accepted")
    offered = enrol_person(cohort=cohort, person=waiting, by=None, status="waitlisted")
    services.withdraw(enrolment=held, by=None)
    offered.refresh_from_db()
    return {"token": offered.response_token}


MATRIX: dict[str, Case] = {
    "signups:cohort_signup": Case(EVERYONE, anon=200, args=cohort_args),
    "signups:signup_done": Case(EVERYONE, anon=200, args=cohort_args),
    "signups:offer_response": Case(EVERYONE, anon=200, args=offer_args),
    "signups:applications": Case(CONVENOR_ONLY, args=cohort_args),
    "signups:questions": Case(CONVENOR_ONLY, args=cohort_args),
    "signups:decide": Case(CONVENOR_ONLY, ok=302, method="post", args=enrolment_args),
    "signups:withdraw": Case(CONVENOR_ONLY, args=enrolment_args),
}
