import pytest
from django.db.models import Count

from carecommons.learningsets import demo
from carecommons.learningsets.models import ActionCommitment, LearningSet, SetMeeting
from carecommons.learningsets.tests.factories import make_members
from carecommons.programmes.tests.factories import make_cohort, person_of

pytestmark = pytest.mark.django_db


def test_the_demo_makes_five_sets_of_six_with_past_meetings_and_follow_ups(convenor, facilitator) -> None:
    cohort = make_cohort()
    demo.load(
        cohort=cohort,
        members=make_members(cohort, 30),
        convenor=convenor,
        facilitator_person=person_of(facilitator),
    )
    sets = LearningSet.objects.filter(cohort=cohort).annotate(
        size=Count("memberships", distinct=True), met=Count("meetings", distinct=True)
    )
    assert sorted((s.size, s.met) for s in sets) == [(6, 2), (6, 2), (6, 3), (6, 3), (6, 3)]
    assert all(s.facilitator == person_of(facilitator) for s in sets)
    assert SetMeeting.objects.filter(presentations__isnull=True).count() == 0
    statuses = set(ActionCommitment.objects.values_list("status", flat=True))
    assert statuses == {"open", "done", "partly", "not_done"}
