import pytest
from django.urls import reverse

from carecommons.programmes.models import SignupQuestion
from carecommons.programmes.tests.factories import make_cohort
from carecommons.signups.services import add_question

pytestmark = pytest.mark.django_db


def test_removing_another_cohorts_question_is_a_404_and_keeps_it(convenor, client_for) -> None:
    ours, theirs = make_cohort(name="Ours"), make_cohort(name="Theirs")
    question = add_question(cohort=theirs, by=None, text="Access needs?", kind=SignupQuestion.Kind.TEXT)
    response = client_for(convenor).post(
        reverse("signups:questions", args=[ours.uuid]), {"remove": question.pk}
    )
    assert response.status_code == 404
    assert SignupQuestion.objects.filter(pk=question.pk).exists()
    response = client_for(convenor).post(
        reverse("signups:questions", args=[theirs.uuid]), {"remove": question.pk}
    )
    assert response.status_code == 302
    assert not SignupQuestion.objects.filter(pk=question.pk).exists()
