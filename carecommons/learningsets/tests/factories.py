"""Learning set fixtures, made through the real services."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from carecommons.learningsets import services
from carecommons.learningsets.models import LearningSet, SetMeeting
from carecommons.people.models import Person
from carecommons.people.services import create_person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import enrol, make_cohort


def make_members(cohort: Cohort, count: int, *, name: str = "Member") -> list[Person]:
    people = [create_person(by=None, given_name=f"{name}{n}", family_name="Test") for n in range(count)]
    for person in people:
        enrol(cohort, person)
    return people


def make_set(
    cohort: Cohort | None = None,
    *,
    members: Sequence[Person] = (),
    size: int = 4,
    name: str = "Tuesday set",
) -> LearningSet:
    cohort = cohort or make_cohort()
    people = list(members) or make_members(cohort, size, name=name.split()[0])
    return services.create_learning_set(cohort=cohort, name=name, members=people, by=None)


def days_ago(days: int) -> datetime:
    return (timezone.now() - timedelta(days=days)).replace(second=0, microsecond=0)


def record(
    learning_set: LearningSet,
    *,
    held_at: datetime | None = None,
    presenters: Sequence[Person] = (),
    actions: Sequence[str] = ("Ask a colleague for help",),
    reviews: Sequence[services.ActionReview] = (),
) -> SetMeeting:
    people = list(presenters) or list(
        Person.objects.filter(learning_set_memberships__learning_set=learning_set)[:2]
    )
    return services.record_meeting(
        learning_set=learning_set,
        held_at=held_at or days_ago(7),
        presentations=[
            services.PresentationInput(
                presenter=person,
                question=f"How do I look after myself, {person.given_name}?",
                actions=tuple(actions),
            )
            for person in people
        ],
        reviews=reviews,
        by=None,
    )
