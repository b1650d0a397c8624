"""Expected statuses for answering questionnaires. An invitation link is its own key: whoever holds
it may answer, signed in or not. The staff pages belong to a cohort none of the cast runs."""

from typing import Any

from carecommons.measures.access import invitation_token
from carecommons.measures.models import Invitation
from carecommons.measures.tests.factories import GAD7_CALM, PHQ9_CALM, answer, invite, make_wave
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import make_cohort, make_programme
from tests.matrix import CONVENOR_ONLY, EVERYONE, Case


def target_invitation() -> Invitation:
    person = create_person(by=None, given_name="Target", family_name="Participant")
    return invite(person, cohort=make_cohort(make_programme(workshops=1)))


def link_args() -> dict[str, Any]:
    invitation = target_invitation()
    return {"invitation_id": invitation.uuid, "token": invitation_token(invitation)}


def instrument_args() -> dict[str, Any]:
    return {**link_args(), "instrument": "phq9"}


def done_args() -> dict[str, Any]:
    invitation = target_invitation()
    answer(invitation, "phq9", PHQ9_CALM)
    answer(invitation, "gad7", GAD7_CALM)
    return {"invitation_id": invitation.uuid, "token": invitation_token(invitation)}


def cohort_args() -> dict[str, Any]:
    cohort = make_cohort(make_programme(workshops=1))
    make_wave(cohort.programme)
    return {"cohort_id": cohort.uuid}


def paper_args() -> dict[str, Any]:
    return {"invitation_id": target_invitation().uuid, "instrument": "phq9"}


MATRIX: dict[str, Case] = {
    "measures:answer_start": Case(EVERYONE, anon=200, args=link_args),
    "measures:answer_instrument": Case(EVERYONE, anon=200, args=instrument_args),
    "measures:answer_done": Case(EVERYONE, anon=200, args=done_args),
    "measures:signposting": Case(EVERYONE, anon=200),
    "measures:cohort_measures": Case(CONVENOR_ONLY, args=cohort_args),
    # An empty POST from someone who runs the cohort goes back to the page with a message.
    "measures:invite_person": Case(CONVENOR_ONLY, ok=302, method="post", args=cohort_args),
    "measures:paper_entry": Case(CONVENOR_ONLY, args=paper_args),
}
