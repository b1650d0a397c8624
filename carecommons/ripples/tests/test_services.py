from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.people.services import create_organisation
from carecommons.programmes.tests.factories import person_of
from carecommons.ripples import services
from carecommons.ripples.access import get_ripple_for_user
from carecommons.ripples.data import map_tree, round_view
from carecommons.ripples.models import Evidence, EvidenceShare, Ripple, RippleLink
from carecommons.ripples.services import RippleWords
from carecommons.ripples.tests.factories import PDF, give, make_round, ripple

pytestmark = pytest.mark.django_db


def test_a_round_started_from_a_session_invites_the_cohort_and_names_its_facilitator(
    facilitator: User, participant: User
) -> None:
    mapping_round = make_round(facilitator, participant)
    assert mapping_round.facilitator == person_of(facilitator)
    assert mapping_round.session is not None
    assert mapping_round.programme == mapping_round.session.cohort.programme
    assert [i.person for i in mapping_round.invitees.all()] == [person_of(participant)]
    assert AuditEvent.objects.filter(
        action="ripples.round_started", target_id=str(mapping_round.uuid)
    ).exists()


def test_a_ripple_keeps_the_words_given_and_refuses_what_cannot_be_true(facilitator: User) -> None:
    mapping_round = make_round(facilitator)
    made = ripple(mapping_round, facilitator, "  Ran  a  stall  ", capitals=("human", "social"))
    assert made.text == "Ran a stall"
    assert made.capitals == ["human", "social"]
    assert made.coded_by == person_of(facilitator)
    bad = [
        {"words": RippleWords(text="   ")},
        {"words": RippleWords(text="x" * 501)},
        {"words": RippleWords(text="ok", happened_on=timezone.localdate() + timedelta(days=2))},
        {"words": RippleWords(text="ok", valence="great")},
        {"words": RippleWords(text="ok"), "capitals": ["spiritual"]},
    ]
    for arguments in bad:
        with pytest.raises(ValidationError):
            services.add_ripple(mapping_round=mapping_round, by=facilitator, **arguments)  # type: ignore[arg-type]
    assert Ripple.objects.count() == 1


def test_a_ripple_cannot_hang_from_another_programmes_map_or_a_merged_ripple(facilitator: User) -> None:
    first, second = make_round(facilitator), make_round(facilitator)
    elsewhere = ripple(second, facilitator)
    with pytest.raises(ValidationError, match="another programme"):
        ripple(first, facilitator, parent=elsewhere)
    keep, drop = ripple(first, facilitator, "A"), ripple(first, facilitator, "B")
    services.merge_ripples(keep=keep, drop=drop, by=facilitator)
    with pytest.raises(ValidationError, match="merged"):
        ripple(first, facilitator, parent=Ripple.objects.get(pk=drop.pk))


def test_moving_a_ripple_under_one_that_spread_from_it_is_refused(facilitator: User) -> None:
    mapping_round = make_round(facilitator)
    top = ripple(mapping_round, facilitator, "top")
    middle = ripple(mapping_round, facilitator, "middle", parent=top)
    low = ripple(mapping_round, facilitator, "low", parent=middle)
    with pytest.raises(ValidationError, match="spread from it"):
        services.move_ripple(ripple=top, new_parent=low, by=facilitator)
    services.move_ripple(ripple=low, new_parent=None, by=facilitator)
    assert Ripple.objects.get(pk=low.pk).parent is None


def test_merging_moves_children_links_evidence_and_capitals_to_the_one_kept(facilitator: User) -> None:
    mapping_round = make_round(facilitator)
    organisation = create_organisation(by=None, name="Food bank", kind="charity")
    keep = ripple(mapping_round, facilitator, "Started a food bank", capitals=("social",))
    drop = services.add_ripple(
        mapping_round=mapping_round,
        words=RippleWords(text="Food bank opened"),
        by=facilitator,
        capitals=["financial"],
        links=[organisation],
    )
    child = ripple(mapping_round, facilitator, "Volunteers trained", parent=drop)
    give(drop, facilitator, facilitator, "We fed forty families.", EvidenceShare.ROUND)
    services.merge_ripples(keep=keep, drop=drop, by=facilitator)
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert drop.merged_into == keep and drop.merged_at is not None
    assert keep.capitals == ["social", "financial"]
    assert Ripple.objects.get(pk=child.pk).parent == keep
    assert RippleLink.objects.get().ripple == keep
    assert Evidence.objects.get().ripple == keep
    loaded = map_tree(mapping_round.programme_id)
    assert drop.pk not in loaded.tree.nodes and len(loaded.tree) == 2
    assert loaded.links[keep.pk] == ["Food bank"]


def test_a_second_coding_must_come_from_someone_other_than_the_first_coder(
    facilitator: User, convenor: User
) -> None:
    mapping_round = make_round(facilitator)
    made = ripple(mapping_round, facilitator, capitals=("social",))
    with pytest.raises(ValidationError, match="someone else"):
        services.second_code(ripple=made, capitals=["human"], by=facilitator)
    person_of(convenor)
    coding = services.second_code(ripple=made, capitals=["human", "social"], by=convenor)
    assert coding.capitals == ["human", "social"]  # in the capitals own order
    assert services.second_code(ripple=made, capitals=[], by=convenor).pk == coding.pk


def test_evidence_needs_consent_and_a_bounded_file_and_changes_nothing_when_refused(
    facilitator: User, settings: object
) -> None:
    mapping_round = make_round(facilitator)
    made = ripple(mapping_round, facilitator)
    person = person_of(facilitator)
    with pytest.raises(ValidationError) as refused:
        services.add_evidence(
            ripple=made, given_by=person, shared="round", by=facilitator, consented=False, quote="Yes"
        )
    assert "consented" in refused.value.message_dict
    settings.RIPPLE_EVIDENCE_MAX_BYTES = 10  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as too_big:
        services.add_evidence(
            ripple=made,
            given_by=person,
            shared="round",
            by=facilitator,
            consented=True,
            upload=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        )
    assert "file" in too_big.value.message_dict
    assert not Evidence.objects.exists()


def test_evidence_is_seen_in_its_round_and_beyond_it_only_when_agreed(
    facilitator: User, participant: User, make_persona: object
) -> None:
    mapping_round = make_round(facilitator, participant)
    made = ripple(mapping_round, participant)
    for shared in (EvidenceShare.ROUND, EvidenceShare.BEYOND):
        give(made, participant, participant, f"Said for {shared}", shared)
    assert get_ripple_for_user(participant, made.uuid).evidence.count() == 2
    # The facilitator of a later round of the same programme manages the map, but was not there.
    other = User.objects.create_user(email="other-facilitator@example.org", password="x" * 20)
    later = services.start_round(
        programme=mapping_round.programme,
        title="Summer map",
        held_on=timezone.localdate(),
        facilitator=person_of(other),
        by=None,
    )
    assert later.pk
    seen = get_ripple_for_user(other, made.uuid).evidence
    assert [e.quote for e in seen] == ["Said for beyond"]


def test_a_map_is_read_in_the_same_number_of_queries_however_many_ripples(facilitator: User) -> None:
    mapping_round = make_round(facilitator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            map_tree(mapping_round.programme_id, as_of=mapping_round)
        return len(captured)

    parent = ripple(mapping_round, facilitator, "first")
    few = queries()
    for n in range(20):
        parent = ripple(mapping_round, facilitator, f"ripple {n}", parent=parent if n % 2 else None)
    assert queries() == few


def test_a_round_sees_its_own_ripples_and_those_they_hang_from(facilitator: User) -> None:
    first = make_round(facilitator, held_on=date(2026, 3, 1))
    second = services.start_round(
        programme=first.programme, title="Later", held_on=date(2026, 7, 1), facilitator=None, by=None
    )
    early = ripple(first, facilitator, "early")
    unrelated = ripple(first, facilitator, "unrelated")
    late = ripple(second, facilitator, "late", parent=early)
    loaded = map_tree(first.programme_id)
    assert set(round_view(loaded, second.pk).nodes) == {early.pk, late.pk}
    assert set(map_tree(first.programme_id, as_of=first).tree.nodes) == {early.pk, unrelated.pk}
