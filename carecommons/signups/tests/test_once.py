"""Adding a sign-up question is a create form: the same form sent twice adds one question."""

import uuid

import pytest
from django.urls import reverse

from carecommons.programmes.models import SignupQuestion
from carecommons.programmes.tests.factories import make_cohort

pytestmark = pytest.mark.django_db


def test_the_same_question_form_sent_twice_adds_one_question(convenor, client_for) -> None:
    cohort = make_cohort()
    url = reverse("signups:questions", args=[cohort.uuid])
    client = client_for(convenor)
    assert 'name="submission"' in client.get(url).content.decode()
    data = {"submission": str(uuid.uuid4()), "text": "Any access needs?", "kind": "text"}
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert SignupQuestion.objects.filter(cohort=cohort).count() == 1
    client.post(url, data | {"submission": str(uuid.uuid4()), "text": "Dietary needs?"})
    assert SignupQuestion.objects.filter(cohort=cohort).count() == 2
