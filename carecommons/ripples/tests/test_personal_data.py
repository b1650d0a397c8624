"""A person's own data holds the rounds they were in, the ripples they named or coded and the
evidence they gave; erasure deletes their evidence with its files, the links naming them and their
invitations, and any evidence file kept for them from a form they had not finished, and leaves the
map standing without their name."""

from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from carecommons.accounts.models import User
from carecommons.people.erasure import erase_person, pseudonym
from carecommons.people.own_data import collect
from carecommons.programmes.tests.factories import person_of
from carecommons.ripples import kept, services
from carecommons.ripples.models import (
    Evidence,
    EvidenceShare,
    KeptEvidence,
    MappingRound,
    Ripple,
    RippleLink,
    RoundInvitee,
    SecondCoding,
)
from carecommons.ripples.tests.factories import PDF, give, make_round, ripple

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(facilitator: User, participant: User, convenor: User) -> Ripple:
    """In a round the participant was invited to: a ripple they named and coded, coded second by a
    convenor, with a quote and a file of theirs and a quote of the facilitator's; another ripple
    naming them as affected; and a round of the same programme they facilitated."""
    held = make_round(facilitator, participant, held_on=date(2025, 3, 4))
    theirs = ripple(held, participant, "Participant Persona ran a stall at the fair", capitals=("social",))
    services.second_code(ripple=theirs, capitals=["human"], by=convenor)
    mine = person_of(participant)
    give(
        theirs,
        facilitator,
        participant,
        "I sold forty jars of jam",
        EvidenceShare.BEYOND,
        PDF,
        file_name="stall.pdf",
    )
    give(theirs, facilitator, facilitator, "I saw the stall", EvidenceShare.ROUND)
    services.add_ripple(
        mapping_round=held,
        words=services.RippleWords(text="A neighbour got help with forms"),
        by=facilitator,
        links=[mine],
    )
    services.start_round(
        programme=held.programme, title="Summer map", held_on=date(2025, 6, 4), facilitator=mine, by=None
    )
    return theirs


def test_own_data_holds_their_rounds_ripples_codings_links_and_evidence(named: Ripple, participant: User):
    rows = collect(person_of(participant)).section("ripples").rows
    assert {"programme": "Radical Caring", "round": "Spring map", "held_on": "2025-03-04",
            "invited_as": "Participant"} in rows  # fmt: skip
    assert any(r.get("round") == "Summer map" and r.get("facilitated") for r in rows)
    assert any(r.get("ripple") == named.text and r.get("named_in") == "Spring map" for r in rows)
    assert {"ripple": named.text, "capitals_you_coded": ["social"]} in rows
    assert {"ripple_that_affected_you": "A neighbour got help with forms"} in rows
    evidence = [r for r in rows if "evidence_for" in r]
    assert [(r["quote"], r["file"], r["given_in"]) for r in evidence] == [
        ("I sold forty jars of jam", "stall.pdf", "Spring map")
    ]


def test_erasure_deletes_their_evidence_and_its_file_their_links_and_invitations_and_keeps_the_map(
    named: Ripple, participant: User, convenor: User, django_capture_on_commit_callbacks: Any
):
    person = person_of(participant)
    file_name = Evidence.objects.get(given_by=person).file.name
    assert default_storage.exists(file_name)
    with django_capture_on_commit_callbacks(execute=True):
        request = erase_person(person=person, by=convenor, reason="They asked")
    deleted = {d["what"]: d["count"] for d in request.receipt["deleted"]}
    assert deleted["evidence you gave for ripples, with its files"] == 1
    assert not default_storage.exists(file_name)
    assert list(Evidence.objects.values_list("quote", flat=True)) == ["I saw the stall"]
    assert not RippleLink.objects.filter(person=person).exists()
    assert not RoundInvitee.objects.filter(person=person).exists()
    named.refresh_from_db()
    assert (named.named_by, named.coded_by) == (None, None)
    assert named.text == f"{pseudonym(person)} ran a stall at the fair"
    assert SecondCoding.objects.get(ripple=named).coder == person_of(convenor)
    assert MappingRound.objects.get(title="Summer map").facilitator is None
    assert Ripple.objects.count() == 2


def test_erasing_a_second_coder_or_a_facilitator_leaves_the_codings_and_rounds(
    named: Ripple, convenor: User, facilitator: User
):
    for user in (convenor, facilitator):
        erase_person(person=person_of(user), by=None, reason="They asked")
    named.refresh_from_db()
    assert named.second_coding.coder is None and named.second_coding.capitals == ["human"]
    assert MappingRound.objects.get(title="Spring map").facilitator is None
    assert list(Evidence.objects.values_list("quote", flat=True)) == ["I sold forty jars of jam"]


def test_erasure_deletes_the_evidence_files_kept_for_them_with_their_files_and_no_one_elses(
    facilitator: User, convenor: User, django_capture_on_commit_callbacks: Any
):
    theirs = kept.keep(user=facilitator, key=uuid4(), upload=SimpleUploadedFile("photo.pdf", PDF))
    others = kept.keep(user=convenor, key=uuid4(), upload=SimpleUploadedFile("minutes.pdf", PDF))
    assert default_storage.exists(theirs.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        request = erase_person(person=person_of(facilitator), by=convenor, reason="They asked")
    deleted = {d["what"]: d["count"] for d in request.receipt["deleted"]}
    assert deleted["evidence files kept from a form you had not finished"] == 1
    assert not default_storage.exists(theirs.file.name)
    assert list(KeptEvidence.objects.all()) == [others]
    assert default_storage.exists(others.file.name)
