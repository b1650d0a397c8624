import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.learningsets import services
from carecommons.learningsets.models import LearningSet, SetMembership
from carecommons.learningsets.tests.factories import make_members, make_set
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import enrol, make_cohort, person_of

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return error.value.message_dict[field]


def test_a_set_has_between_four_and_eight_members() -> None:
    cohort = make_cohort()
    people = make_members(cohort, 9)
    for size in (3, 9):
        with pytest.raises(ValidationError) as error:
            services.create_learning_set(cohort=cohort, name=f"Set of {size}", members=people[:size], by=None)
        assert messages_of(error, "members") == [
            f"A learning set has between 4 and 8 members; you chose {size}."
        ]
    assert services.create_learning_set(cohort=cohort, name="Four", members=people[:4], by=None)
    assert services.create_learning_set(cohort=cohort, name="Five", members=people[4:], by=None)
    assert not LearningSet.objects.filter(name__startswith="Set of").exists()


def test_the_same_person_chosen_twice_counts_once() -> None:
    cohort = make_cohort()
    people = make_members(cohort, 3)
    with pytest.raises(ValidationError) as error:
        services.create_learning_set(cohort=cohort, name="Short", members=[*people, people[0]], by=None)
    assert "you chose 3" in messages_of(error, "members")[0]


def test_members_must_have_an_accepted_place_in_the_cohort() -> None:
    cohort, other = make_cohort(), make_cohort(name="Cohort 2")
    people = make_members(cohort, 3)
    waiting = create_person(by=None, given_name="Wanda", family_name="Waiting")
    enrol(cohort, waiting, status="waitlisted")
    elsewhere = make_members(other, 1, name="Elsewhere")[0]
    with pytest.raises(ValidationError) as error:
        services.create_learning_set(
            cohort=cohort, name="Set", members=[*people, waiting, elsewhere], by=None
        )
    assert messages_of(error, "members") == [
        "Wanda Waiting is not an accepted member of this cohort.",
        "Elsewhere0 Test is not an accepted member of this cohort.",
    ]
    assert not LearningSet.objects.exists()


def test_a_person_is_in_at_most_one_set_per_cohort() -> None:
    cohort = make_cohort()
    first = make_set(cohort, name="Monday set")
    shared = first.memberships.earliest("id").person
    with pytest.raises(ValidationError) as error:
        services.create_learning_set(
            cohort=cohort, name="Friday set", members=[shared, *make_members(cohort, 3, name="New")], by=None
        )
    assert messages_of(error, "members") == [f"{shared.display_name} is already in the set “Monday set”."]
    # In another cohort they may join a set again.
    other = make_cohort(name="Cohort 2")
    enrol(other, shared)
    services.create_learning_set(
        cohort=other, name="Monday set", members=[shared, *make_members(other, 3, name="Other")], by=None
    )


def test_the_database_itself_refuses_a_second_set_in_the_same_cohort() -> None:
    cohort = make_cohort()
    first, second = make_set(cohort, name="Monday set"), make_set(cohort, name="Friday set")
    person = first.memberships.earliest("id").person
    with pytest.raises(IntegrityError):
        SetMembership.objects.create(learning_set=second, cohort=cohort, person=person)


def test_set_facilitator_must_facilitate_the_cohort(facilitator) -> None:
    cohort = make_cohort(facilitator=facilitator)
    people = make_members(cohort, 4)
    stranger = create_person(by=None, given_name="Stranger", family_name="Danger")
    with pytest.raises(ValidationError) as error:
        services.create_learning_set(cohort=cohort, name="Set", members=people, facilitator=stranger, by=None)
    assert messages_of(error, "facilitator") == ["Choose one of this cohort's facilitators."]
    made = services.create_learning_set(
        cohort=cohort, name="Set", members=people, facilitator=person_of(facilitator), by=None
    )
    assert made.facilitator == person_of(facilitator)


def test_adding_and_removing_members_keeps_the_set_between_four_and_eight() -> None:
    cohort = make_cohort()
    learning_set = make_set(cohort, size=4)
    extra = make_members(cohort, 5, name="Extra")
    with pytest.raises(ValidationError) as error:
        services.remove_member(
            learning_set=learning_set, person=learning_set.memberships.earliest("id").person, by=None
        )
    assert "at least 4 members" in error.value.messages[0]
    for person in extra[:4]:
        services.add_member(learning_set=learning_set, person=person, by=None)
    with pytest.raises(ValidationError) as error:
        services.add_member(learning_set=learning_set, person=extra[4], by=None)
    assert messages_of(error, "person") == ["This set already has 8 members, the most a set can have."]
    services.remove_member(learning_set=learning_set, person=extra[0], by=None)
    assert learning_set.memberships.count() == 7


def test_adding_someone_already_in_a_set_or_not_accepted_is_refused() -> None:
    cohort = make_cohort()
    monday, friday = make_set(cohort, name="Monday set"), make_set(cohort, name="Friday set")
    taken = friday.memberships.earliest("id").person
    with pytest.raises(ValidationError) as error:
        services.add_member(learning_set=monday, person=taken, by=None)
    assert messages_of(error, "person") == [f"{taken.display_name} is already in the set “Friday set”."]
    applicant = create_person(by=None, given_name="Applicant", family_name="Only")
    enrol(cohort, applicant, status="applied")
    with pytest.raises(ValidationError):
        services.add_member(learning_set=monday, person=applicant, by=None)


def test_forming_and_changing_a_set_is_audited_with_ids_only(convenor) -> None:
    cohort = make_cohort()
    people = make_members(cohort, 5)
    learning_set = services.create_learning_set(cohort=cohort, name="Set", members=people[:4], by=convenor)
    services.add_member(learning_set=learning_set, person=people[4], by=convenor)
    services.remove_member(learning_set=learning_set, person=people[0], by=convenor)
    events = list(AuditEvent.objects.filter(target_id=str(learning_set.uuid)).order_by("id"))
    assert [e.action for e in events] == [
        "learningset.created",
        "learningset.member_added",
        "learningset.member_removed",
    ]
    assert all(e.actor == convenor and e.target_type == "learningsets.learningset" for e in events)
    assert events[0].detail["members"] == [str(p.uuid) for p in people[:4]]
    assert events[2].detail == {"person": str(people[0].uuid)}
    assert "Member0" not in json.dumps([e.detail for e in events])


def test_a_facilitator_forms_a_set_from_people_not_yet_in_one(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    make_set(cohort, name="Monday set")
    free = make_members(cohort, 5, name="Free")
    client = client_for(facilitator)
    url = reverse("learningsets:set_create", args=[cohort.uuid])
    page = client.get(url).content.decode()
    assert "Free0 Test" in page and "Monday0 Test" not in page
    too_few = client.post(url, {"name": "Thursday set", "members": [str(p.uuid) for p in free[:2]]})
    assert too_few.status_code == 200
    assert "between 4 and 8 members; you chose 2" in too_few.content.decode()
    assert 'value="Thursday set"' in too_few.content.decode()
    response = client.post(url, {"name": "Thursday set", "members": [str(p.uuid) for p in free]})
    learning_set = LearningSet.objects.get(name="Thursday set")
    assert response.url == reverse("learningsets:set_detail", args=[learning_set.uuid])
    assert learning_set.memberships.count() == 5


def test_the_members_page_adds_and_removes_without_javascript(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    learning_set = make_set(cohort, size=4)
    newcomer = make_members(cohort, 1, name="Newcomer")[0]
    client = client_for(facilitator)
    url = reverse("learningsets:set_members", args=[learning_set.uuid])
    added = client.post(url, {"add": "1", "person": str(newcomer.uuid)})
    assert added.status_code == 302
    assert learning_set.memberships.count() == 5
    client.post(url, {"remove": "1", "person": str(newcomer.uuid)})
    last_four = client.post(
        url, {"remove": "1", "person": str(learning_set.memberships.earliest("id").person.uuid)}
    )
    assert last_four.status_code == 200
    assert "at least 4 members" in last_four.content.decode()
    assert learning_set.memberships.count() == 4
