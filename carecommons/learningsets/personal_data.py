"""What learning sets hold about a person: places, questions they brought, actions (decision 0026)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.learningsets.models import LearningSet, Presentation, SetMembership
from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person


def learning_sets(person: Person) -> list[Row]:
    sets = [
        row(learning_set=m.learning_set.name, cohort=str(m.cohort))
        for m in SetMembership.objects.filter(person=person).select_related(
            "learning_set", "cohort__programme"
        )
    ]
    talks = [
        row(
            learning_set=p.meeting.learning_set.name,
            meeting=p.meeting.held_at,
            your_question=p.question,
            actions=[
                row(text=a.text, status=a.get_status_display(), review=a.review_note) for a in p.actions.all()
            ],
        )
        for p in Presentation.objects.filter(presenter=person)
        .select_related("meeting__learning_set")
        .prefetch_related("actions")
    ]
    return sets + talks


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("learning set places", SetMembership.objects.filter(person=person)),
        ("learning set questions and actions", Presentation.objects.filter(presenter=person)),
    ]


def unlink(person: Person, erasing: Erasing) -> None:
    LearningSet.objects.filter(facilitator=person).update(facilitator=None)


PERSONAL_DATA = Holding(
    covers=("learningset.facilitator", "setmembership.person", "presentation.presenter"),
    sections=(Collector("learning_sets", "Learning sets", learning_sets),),
    deleted=deleted,
    unlink=unlink,
)
