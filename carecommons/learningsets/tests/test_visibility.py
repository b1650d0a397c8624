from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import Role
from carecommons.learningsets import services
from carecommons.learningsets.models import ActionCommitment
from carecommons.learningsets.tests.factories import days_ago, make_members, make_set, record
from carecommons.programmes.models import Enrolment
from carecommons.programmes.tests.factories import enrol, make_cohort, person_of
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(convenor, facilitator, participant) -> dict[str, Any]:
    """One cohort with two sets; the participant is in the first. Someone else runs another cohort."""
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    ours = make_set(cohort, members=[person_of(participant), *make_members(cohort, 3)], name="Our set")
    theirs = make_set(cohort, name="Their set")
    meeting = record(theirs, held_at=days_ago(3))
    neighbour = make_user("neighbour", [Role.PARTICIPANT])
    enrol(cohort, neighbour)
    elsewhere = make_user("elsewhere", [Role.FACILITATOR])
    make_cohort(facilitator=elsewhere, name="Another cohort")
    return {
        "cohort": cohort,
        "ours": ours,
        "theirs": theirs,
        "meeting": meeting,
        "convenor": convenor,
        "facilitator": facilitator,
        "participant": participant,
        "neighbour": neighbour,
        "elsewhere": elsewhere,
    }


def statuses(scene: dict[str, Any], client_for: Any, url: str) -> dict[str, int]:
    people = ("convenor", "facilitator", "elsewhere", "participant", "neighbour")
    return {who: client_for(scene[who]).get(url).status_code for who in people}


def test_who_sees_a_set_and_its_meetings(scene, client_for) -> None:
    theirs = scene["theirs"]
    expected = {"convenor": 200, "facilitator": 200, "elsewhere": 404, "participant": 404, "neighbour": 404}
    assert statuses(scene, client_for, reverse("learningsets:set_detail", args=[theirs.uuid])) == expected
    meeting_url = reverse("learningsets:meeting_detail", args=[scene["meeting"].uuid])
    assert statuses(scene, client_for, meeting_url) == expected
    ours_url = reverse("learningsets:set_detail", args=[scene["ours"].uuid])
    assert statuses(scene, client_for, ours_url) == expected | {"participant": 200}


def test_a_participant_sees_only_their_own_set_in_the_cohort_list(scene, client_for) -> None:
    url = reverse("learningsets:set_list", args=[scene["cohort"].uuid])
    expected = {"convenor": 200, "facilitator": 200, "elsewhere": 404, "participant": 200, "neighbour": 200}
    assert statuses(scene, client_for, url) == expected
    for who, sees_theirs in (("convenor", True), ("facilitator", True), ("participant", False)):
        page = client_for(scene[who]).get(url).content.decode()
        assert "Our set" in page and ("Their set" in page) == sees_theirs, who
    neighbour_page = client_for(scene["neighbour"]).get(url).content.decode()
    assert "Our set" not in neighbour_page and "You are not in a learning set yet" in neighbour_page
    assert "Form a new set" not in neighbour_page


def test_only_convenors_and_the_cohorts_facilitators_change_sets_and_record_meetings(
    scene, client_for
) -> None:
    expected = {"convenor": 200, "facilitator": 200, "elsewhere": 404, "participant": 404, "neighbour": 404}
    ours = scene["ours"]
    for url in (
        reverse("learningsets:set_create", args=[scene["cohort"].uuid]),
        reverse("learningsets:set_members", args=[ours.uuid]),
        reverse("learningsets:meeting_create", args=[ours.uuid]),
    ):
        assert statuses(scene, client_for, url) == expected, url
    member_page = client_for(scene["participant"]).get(reverse("learningsets:set_detail", args=[ours.uuid]))
    assert "Record a meeting" not in member_page.content.decode()


def test_a_member_whose_place_is_withdrawn_no_longer_sees_the_set(scene, client_for) -> None:
    participant = scene["participant"]
    Enrolment.objects.filter(person=person_of(participant)).update(status="withdrawn")
    url = reverse("learningsets:set_detail", args=[scene["ours"].uuid])
    assert client_for(participant).get(url).status_code == 404


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_set_detail_query_count_does_not_grow_with_meetings(scene, client_for) -> None:
    learning_set = scene["ours"]
    people = list(learning_set.memberships.values_list("person", flat=True))
    url = reverse("learningsets:set_detail", args=[learning_set.uuid])
    client = client_for(scene["facilitator"])

    def meet(day: int) -> None:
        still_open = ActionCommitment.objects.of_set(learning_set).still_open()
        reviews = [services.ActionReview(action=action, status="done") for action in still_open[:1]]
        record(learning_set, held_at=days_ago(day), reviews=reviews)

    for day in (40, 39):
        meet(day)
    few = queries_for(client, url)
    for day in range(30, 22, -1):
        meet(day)
    assert ActionCommitment.objects.filter(reviewed_at_meeting__isnull=False).count() == 9
    assert learning_set.meetings.count() == 10 and len(people) == 4
    assert queries_for(client, url) == few


def test_set_list_query_count_does_not_grow_with_sets(scene, client_for) -> None:
    url = reverse("learningsets:set_list", args=[scene["cohort"].uuid])
    client = client_for(scene["convenor"])
    few = queries_for(client, url)
    for n in range(4):
        learning_set = make_set(scene["cohort"], name=f"Set{n} extra")
        record(learning_set, held_at=days_ago(2))
    assert queries_for(client, url) == few
