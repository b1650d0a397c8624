"""Demo learning sets: five sets of six with a few past meetings, made through the real services."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import cycle

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.learningsets import services
from carecommons.learningsets.models import ActionCommitment, LearningSet
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort
from carecommons.programmes.services import add_facilitator

SET_NAMES = ["Monday evening set", "Tuesday lunchtime set", "Wednesday set", "Thursday set", "Friday set"]
QUESTIONS = [
    "How can I stop saying yes to every request from our volunteers?",
    "How do I bring self-compassion into team meetings without it feeling forced?",
    "What would it look like to rest before I am exhausted?",
    "How do I talk to our trustees about wellbeing when they only ask about numbers?",
    "How can our group support members in crisis without one person carrying it all?",
    "How do I notice my inner critic before it takes over?",
    "How can we invite a counsellor in on our own terms?",
    "How do I keep caring for others while my own family needs me too?",
    "What is one small way to bring the three flows of compassion into our drop-in?",
]
ACTIONS = [
    "Block out one evening a week with no group messages",
    "Try soothing-rhythm breathing before the Monday meeting",
    "Ask a co-organiser to share the rota",
    "Write a kind letter to myself about the hard month",
    "Put wellbeing first on the next trustees' agenda",
    "Start our sessions with a two-minute check-in",
    "Phone the local Mind branch about a shared session",
    "Write down three self-critical thoughts this week and answer them kindly",
    "Ask the group what they need from me, rather than guessing",
    "Take a full day off after the community event",
]
FOLLOW_UPS = [
    ("done", "Felt lighter afterwards."),
    ("partly", "Managed it twice, not every week."),
    ("not_done", "Life got in the way; will try again."),
    ("open", ""),
    ("done", ""),
]
SET_SIZE = 6


def evening(days_ago: int) -> datetime:
    day = timezone.localtime() - timedelta(days=days_ago)
    return day.replace(hour=18, minute=30, second=0, microsecond=0)


def load(*, cohort: Cohort, members: list[Person], convenor: User, facilitator_person: Person) -> None:
    """Members must hold accepted places in the cohort; 30 of them make five sets of six."""
    if not services.facilitates(cohort, facilitator_person):
        add_facilitator(cohort=cohort, person=facilitator_person, lived_experience_leader=False, by=convenor)
    questions, actions, follow_ups = cycle(QUESTIONS), cycle(ACTIONS), cycle(FOLLOW_UPS)
    groups = [members[start : start + SET_SIZE] for start in range(0, len(members), SET_SIZE)]
    for index, (name, group) in enumerate(zip(SET_NAMES, groups, strict=False)):
        learning_set = services.create_learning_set(
            cohort=cohort, name=name, members=group, facilitator=facilitator_person, by=convenor
        )
        meetings_ago = [49, 28, 7] if index % 2 == 0 else [35, 14]
        for number, days_ago in enumerate(meetings_ago):
            presenters = group[:3] if number % 2 == 0 else group[3:]
            services.record_meeting(
                learning_set=learning_set,
                held_at=evening(days_ago + index),
                presentations=[
                    services.PresentationInput(
                        presenter=person,
                        question=next(questions),
                        actions=tuple(next(actions) for _ in range(1 + (n % 2))),
                    )
                    for n, person in enumerate(presenters)
                ],
                reviews=reviews_of_open_actions(learning_set, follow_ups),
                notes="Check-in round, three presentations, a short closing round.",
                by=convenor,
            )


def reviews_of_open_actions(
    learning_set: LearningSet, follow_ups: Iterator[tuple[str, str]]
) -> list[services.ActionReview]:
    still_open = ActionCommitment.objects.of_set(learning_set).still_open().order_by("id")
    return [
        services.ActionReview(action=action, status=status, note=note)
        for action, (status, note) in zip(still_open, follow_ups, strict=False)
    ]
