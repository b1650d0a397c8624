"""Forming a set and recording a meeting are create forms: sent twice, they make one and go to it."""

import uuid

import pytest
from django.urls import reverse

from carecommons.learningsets.models import LearningSet, Presentation, SetMeeting
from carecommons.learningsets.tests.factories import days_ago, make_members, make_set
from carecommons.learningsets.tests.test_meetings import meeting_post
from carecommons.programmes.tests.factories import make_cohort

pytestmark = pytest.mark.django_db


def test_the_same_new_set_form_sent_twice_forms_one_set(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    free = make_members(cohort, 5, name="Free")
    client = client_for(facilitator)
    url = reverse("learningsets:set_create", args=[cohort.uuid])
    assert 'name="submission"' in client.get(url).content.decode()
    data = {"submission": str(uuid.uuid4()), "name": "Thursday set", "members": [str(p.uuid) for p in free]}
    first, second = client.post(url, data), client.post(url, data)
    learning_set = LearningSet.objects.get(name="Thursday set")
    assert (
        first["Location"]
        == second["Location"]
        == reverse("learningsets:set_detail", args=[learning_set.uuid])
    )
    assert LearningSet.objects.filter(cohort=cohort).count() == 1


def test_the_same_meeting_form_sent_twice_records_one_meeting(facilitator, client_for) -> None:
    learning_set = make_set(make_cohort(facilitator=facilitator), size=5)
    person = learning_set.members().first()
    url = reverse("learningsets:meeting_create", args=[learning_set.uuid])
    data = meeting_post(days_ago(1), [(person, "How do I ask for help?", "Ask Sam")], key=str(uuid.uuid4()))
    client = client_for(facilitator)
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert SetMeeting.objects.count() == 1 and Presentation.objects.count() == 1


def test_a_meeting_form_sent_again_for_another_set_records_nothing_there(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    ours, theirs = make_set(cohort, name="Monday set", size=4), make_set(cohort, name="Friday set", size=4)
    key = str(uuid.uuid4())
    data = meeting_post(days_ago(1), [(ours.members().first(), "What next?", "")], key=key)
    client = client_for(facilitator)
    assert client.post(reverse("learningsets:meeting_create", args=[ours.uuid]), data).status_code == 302
    # The same key on the other set's form (a copied page): its own presenter, so the form is valid.
    other = meeting_post(days_ago(2), [(theirs.members().first(), "And now?", "")], key=key)
    again = client.post(reverse("learningsets:meeting_create", args=[theirs.uuid]), other)
    assert again.status_code == 200
    assert "This form was already used for another set." in again.content.decode()
    assert list(SetMeeting.objects.values_list("learning_set", flat=True)) == [ours.pk]
