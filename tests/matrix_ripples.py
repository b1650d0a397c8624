"""Expected statuses for the ripple maps' URLs (see tests/matrix.py for what each field means).

The target round is run by the facilitator persona (once it exists) and the participant persona
is invited to it; convenors manage every round. So: convenors and the round's facilitator manage
it and its programme's map, the invited participant adds and sees ripples of the round, and
everyone else gets a 404. Anyone signed in has the list of their own rounds (perhaps empty)."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from carecommons.accounts.models import Role, User
from carecommons.people.services import create_person
from carecommons.programmes.models import Session
from carecommons.programmes.tests.factories import enrol, make_cohort, make_programme, make_session
from carecommons.ripples import services
from carecommons.ripples.models import MappingRound, Ripple
from carecommons.ripples.services import RippleWords
from conftest import make_user
from tests.matrix import CONVENOR_ONLY, SIGNED_IN, Case, unique_name

RUN = {"facilitator": 200}
IN_ROUND = {"facilitator": 200, "participant": 200}
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def persona(name: str) -> User | None:
    return User.objects.filter(email=f"{name}@example.org").first()


def target_session() -> Session:
    """A session of a cohort the facilitator persona runs (a stand-in facilitator before it exists),
    with the participant persona accepted in the cohort when it exists."""
    facilitator = persona("facilitator") or make_user(
        unique_name("stand-in").replace(" ", "-"), [Role.FACILITATOR]
    )
    cohort = make_cohort(make_programme(unique_name("Mapped"), workshops=1), facilitator=facilitator)
    if participant := persona("participant"):
        enrol(cohort, participant)
    return make_session(cohort)


def target_round() -> MappingRound:
    session = target_session()
    facilitator = session.cohort.facilitators.get().user
    assert facilitator is not None
    return services.start_round_from_session(session=session, by=facilitator)


def target_ripple() -> Ripple:
    mapping_round = target_round()
    return services.add_ripple(
        mapping_round=mapping_round,
        words=RippleWords(text="A walking group started"),
        by=None,
        capitals=["social"],
    )


def programme_args() -> dict[str, Any]:
    return {"programme_id": target_session().cohort.programme.uuid}


def session_args() -> dict[str, Any]:
    return {"session_id": target_session().uuid}


def round_args() -> dict[str, Any]:
    return {"round_id": target_round().uuid}


def ripple_args() -> dict[str, Any]:
    return {"ripple_id": target_ripple().uuid}


def map_args() -> dict[str, Any]:
    return {"programme_id": target_ripple().programme.uuid}


def evidence_args() -> dict[str, Any]:
    ripple = target_ripple()
    evidence = services.add_evidence(
        ripple=ripple,
        given_by=create_person(by=None, given_name="Quoted", family_name="Person"),
        shared="round",
        by=None,
        consented=True,
        quote="It changed how our street talks to each other.",
        upload=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
    )
    return {"evidence_id": evidence.uuid}


MATRIX: dict[str, Case] = {
    "ripples:round_list": Case(SIGNED_IN),
    "ripples:round_new": Case(CONVENOR_ONLY, args=programme_args, overrides=RUN),
    "ripples:round_from_session": Case(CONVENOR_ONLY, args=session_args, overrides=RUN),
    "ripples:round_detail": Case(CONVENOR_ONLY, args=round_args, overrides=IN_ROUND),
    "ripples:round_ripples": Case(CONVENOR_ONLY, args=round_args, overrides=IN_ROUND),
    "ripples:ripple_add": Case(CONVENOR_ONLY, args=round_args, overrides=IN_ROUND),
    "ripples:round_invite": Case(CONVENOR_ONLY, args=round_args, overrides=RUN),
    "ripples:round_close": Case(CONVENOR_ONLY, args=round_args, overrides=RUN),
    "ripples:ripple_detail": Case(CONVENOR_ONLY, args=ripple_args, overrides=IN_ROUND),
    "ripples:ripple_edit": Case(CONVENOR_ONLY, args=ripple_args, overrides=RUN),
    "ripples:ripple_code": Case(CONVENOR_ONLY, args=ripple_args, overrides=RUN),
    "ripples:ripple_second_code": Case(CONVENOR_ONLY, args=ripple_args, overrides=RUN),
    "ripples:ripple_move": Case(CONVENOR_ONLY, args=ripple_args, overrides=RUN),
    "ripples:ripple_merge": Case(CONVENOR_ONLY, args=ripple_args, overrides=RUN),
    "ripples:evidence_add": Case(CONVENOR_ONLY, args=ripple_args, overrides=IN_ROUND),
    "ripples:evidence_file": Case(CONVENOR_ONLY, args=evidence_args, overrides=IN_ROUND),
    "ripples:evidence_withdraw": Case(CONVENOR_ONLY, args=evidence_args, overrides=RUN),
    "ripples:map_detail": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:map_timeline": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:map_capitals": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:map_agreement": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:map_changes": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:export_csv": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:export_graphml": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
    "ripples:export_kumu": Case(CONVENOR_ONLY, args=map_args, overrides=RUN),
}
