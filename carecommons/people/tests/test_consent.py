"""The one consent rule (people/consent.py and the Consent QuerySet) against a plain reference:
the latest decision for a person, purpose and (for sharing) partner counts, the later record
winning a tie in time; never asked is not a yes."""

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecommons.people.consent import consented, decided, decision, decisions, has_consented, said_yes
from carecommons.people.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ConsentWording,
    Organisation,
    Person,
)
from carecommons.people.services import create_organisation, create_person, publish_wording, record_consent

pytestmark = pytest.mark.django_db

PURPOSES = [ConsentPurpose.CONTACT, ConsentPurpose.RESEARCH, ConsentPurpose.SHARING]
PEOPLE, PARTNERS = 3, 2
# (person, purpose, partner, minutes after the start, given): few distinct minutes, so ties happen.
decisions_drawn = st.lists(
    st.tuples(
        st.integers(0, PEOPLE - 1),
        st.sampled_from(PURPOSES),
        st.integers(0, PARTNERS - 1),
        st.integers(0, 3),
        st.booleans(),
    ),
    max_size=14,
)


def reference(
    history: list[Consent], person: Person, purpose: str, partner: Organisation | None
) -> bool | None:
    """What the person said last, in plain Python: None when never asked."""
    theirs = [
        c
        for c in history
        if (c.person_id, c.purpose, c.partner_id) == (person.pk, purpose, partner and partner.pk)
    ]
    if not theirs:
        return None
    return max(theirs, key=lambda c: (c.decided_at, c.pk)).given


def make_cast() -> tuple[list[Person], list[Organisation]]:
    for purpose in PURPOSES:
        publish_wording(purpose=purpose, text=f"Words about {purpose}.", by=None)
    people = [create_person(by=None, given_name=f"Person{n}", family_name="Test") for n in range(PEOPLE)]
    partners = [create_organisation(by=None, name=f"Partner {n}", kind="charity") for n in range(PARTNERS)]
    return people, partners


def decide(
    person: Person, purpose: str, *, given: bool, at: datetime, partner: Organisation | None = None
) -> Consent:
    wording = ConsentWording.objects.get(purpose=purpose)
    return record_consent(
        person=person,
        purpose=purpose,
        given=given,
        method=ConsentMethod.PAPER,
        wording=wording,
        by=None,
        partner=partner,
        decided_at=at,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decisions_drawn)
def test_the_consent_query_and_functions_agree_with_a_plain_reference_over_any_history(
    drawn: list[tuple[int, str, int, int, bool]],
) -> None:
    with transaction.atomic():
        people, partners = make_cast()
        start = timezone.now() - timedelta(days=1)
        history = [
            decide(
                people[who],
                purpose,
                given=given_,
                at=start + timedelta(minutes=minute),
                partner=partners[which] if purpose == ConsentPurpose.SHARING else None,
            )
            for who, purpose, which, minute, given_ in drawn
        ]
        for purpose in PURPOSES:
            named: list[Organisation | None] = [*partners] if purpose == ConsentPurpose.SHARING else [None]
            for partner in named:
                expected = {p.pk: reference(history, p, purpose, partner) for p in people}
                yes = {pk for pk, said in expected.items() if said}
                given_now = Consent.objects.given_now(purpose, partner=partner)
                assert set(given_now.values_list("person_id", flat=True)) == yes
                assert given_now.count() == len(yes)
                assert (
                    set(
                        Person.objects.filter(consented(purpose, of="pk", partner=partner)).values_list(
                            "pk", flat=True
                        )
                    )
                    == yes
                )
                decided_now = Consent.objects.decided_now(purpose, partner=partner)
                assert {c.person_id: c.given for c in decided_now} == {
                    k: v for k, v in expected.items() if v is not None
                }
                for person in people:
                    assert has_consented(person, purpose, partner=partner) == (expected[person.pk] is True)
                    last = decision(person, purpose, partner=partner)
                    assert (last and last.given) == expected[person.pk]
                    assert said_yes(last) == (expected[person.pk] is True)
        for person in people:
            plain = {purpose: reference(history, person, purpose, None) for purpose in PURPOSES[:2]}
            assert {p: c.given for p, c in decisions(person).items()} == {
                p: v for p, v in plain.items() if v is not None
            }
        transaction.set_rollback(True)


def test_a_person_never_asked_has_not_consented_and_has_no_decision() -> None:
    make_cast()
    person = create_person(by=None, given_name="Nia", family_name="Evans")
    assert not has_consented(person, ConsentPurpose.CONTACT)
    assert decision(person, ConsentPurpose.CONTACT) is None
    assert not said_yes(None)
    assert decisions(person) == {}


def test_of_two_decisions_at_the_same_moment_the_one_recorded_later_counts() -> None:
    make_cast()
    person = create_person(by=None, given_name="Nia", family_name="Evans")
    at = timezone.now() - timedelta(hours=1)
    decide(person, ConsentPurpose.CONTACT, given=True, at=at)
    withdrawal = decide(person, ConsentPurpose.CONTACT, given=False, at=at)
    assert decision(person, ConsentPurpose.CONTACT) == withdrawal
    assert not has_consented(person, ConsentPurpose.CONTACT)


def test_sharing_is_decided_per_partner_and_other_purposes_name_none() -> None:
    _, (partner, other) = make_cast()
    person = create_person(by=None, given_name="Nia", family_name="Evans")
    decide(person, ConsentPurpose.SHARING, given=True, at=timezone.now(), partner=partner)
    assert has_consented(person, ConsentPurpose.SHARING, partner=partner)
    assert not has_consented(person, ConsentPurpose.SHARING, partner=other)
    assert ConsentPurpose.SHARING not in decisions(person)
    with pytest.raises(ValueError, match="per partner"):
        has_consented(person, ConsentPurpose.SHARING)
    with pytest.raises(ValueError, match="per partner"):
        Consent.objects.given_now(ConsentPurpose.CONTACT, partner=partner)


def test_asked_means_any_decision_even_a_withdrawal() -> None:
    make_cast()
    said_no, never = (create_person(by=None, given_name=name, family_name="Evans") for name in ("Nia", "Tom"))
    decide(said_no, ConsentPurpose.CONTACT, given=False, at=timezone.now())
    asked = Person.objects.filter(decided(ConsentPurpose.CONTACT, of="pk"))
    assert list(asked) == [said_no]
    assert never not in asked


def test_consent_over_many_people_is_one_query_and_one_person_is_one_query() -> None:
    people, _ = make_cast()
    for person in people:
        decide(person, ConsentPurpose.CONTACT, given=True, at=timezone.now())
        decide(person, ConsentPurpose.RESEARCH, given=False, at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert len(Person.objects.filter(consented(ConsentPurpose.CONTACT, of="pk"))) == len(people)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert set(decisions(people[0])) == {ConsentPurpose.CONTACT, ConsentPurpose.RESEARCH}
        assert has_consented(people[0], ConsentPurpose.CONTACT)
        assert decision(people[0], ConsentPurpose.RESEARCH) is not None
    assert len(queries) == 3
