"""Writes for learning sets: forming a set, changing its members, recording its meetings.

One transaction each, audited with ids only. Changes to who is in which set lock the cohort row,
so two facilitators forming sets at once cannot put one person in two sets or a set past its size.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.learningsets.models import (
    MAX_MEMBERS,
    MIN_MEMBERS,
    ActionCommitment,
    LearningSet,
    Presentation,
    SetMeeting,
    SetMembership,
)
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.dates import HAPPENED
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, CohortFacilitator, Enrolment, EnrolmentStatus

ACTION_MAX_LENGTH = 500
NOBODY_PRESENTED = "Add at least one person who presented, with the question they brought."


@dataclass(frozen=True)
class PresentationInput:
    presenter: Person
    question: str
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionReview:
    """What happened to an earlier action; status "open" leaves it for a later meeting."""

    action: ActionCommitment
    status: str
    note: str = ""


def lock_cohort(cohort_id: int) -> None:
    Cohort.objects.select_for_update().get(pk=cohort_id)


def size_problem(count: int) -> str | None:
    if MIN_MEMBERS <= count <= MAX_MEMBERS:
        return None
    return f"A learning set has between {MIN_MEMBERS} and {MAX_MEMBERS} members; you chose {count}."


def joining_problems(cohort: Cohort, people: Sequence[Person]) -> list[str]:
    accepted = set(
        Enrolment.objects.filter(
            cohort=cohort, person__in=people, status=EnrolmentStatus.ACCEPTED
        ).values_list("person_id", flat=True)
    )
    problems = [
        f"{person.display_name} is not an accepted member of this cohort."
        for person in people
        if person.pk not in accepted
    ]
    taken = SetMembership.objects.filter(cohort=cohort, person__in=people).select_related(
        "person", "learning_set"
    )
    problems += [f"{m.person.display_name} is already in the set “{m.learning_set.name}”." for m in taken]
    return problems


def facilitates(cohort: Cohort, person: Person) -> bool:
    return CohortFacilitator.objects.filter(cohort=cohort, person=person).exists()


@transaction.atomic
def create_learning_set(
    *,
    cohort: Cohort,
    name: str,
    members: Iterable[Person],
    facilitator: Person | None = None,
    by: User | None,
) -> LearningSet:
    lock_cohort(cohort.pk)
    people = list({person.pk: person for person in members}.values())
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the set a name."]
    elif LearningSet.objects.filter(cohort=cohort, name__iexact=name).exists():
        errors["name"] = ["This cohort already has a set with this name."]
    problem = size_problem(len(people))
    member_problems = [problem] if problem else []
    member_problems += joining_problems(cohort, people)
    if member_problems:
        errors["members"] = member_problems
    if facilitator is not None and not facilitates(cohort, facilitator):
        errors["facilitator"] = ["Choose one of this cohort's facilitators."]
    if errors:
        raise ValidationError(errors)
    learning_set = LearningSet.objects.create(cohort=cohort, name=name, facilitator=facilitator)
    SetMembership.objects.bulk_create(
        SetMembership(learning_set=learning_set, cohort=cohort, person=person) for person in people
    )
    record_event(
        actor=by,
        action="learningset.created",
        target=learning_set,
        detail={"cohort": str(cohort.uuid), "members": [str(p.uuid) for p in people]},
    )
    return learning_set


@transaction.atomic
def add_member(*, learning_set: LearningSet, person: Person, by: User | None) -> SetMembership:
    lock_cohort(learning_set.cohort_id)
    if learning_set.memberships.count() >= MAX_MEMBERS:
        raise ValidationError(
            {"person": f"This set already has {MAX_MEMBERS} members, the most a set can have."}
        )
    problems = joining_problems(learning_set.cohort, [person])
    if problems:
        raise ValidationError({"person": problems})
    membership = SetMembership.objects.create(
        learning_set=learning_set, cohort_id=learning_set.cohort_id, person=person
    )
    record_event(
        actor=by,
        action="learningset.member_added",
        target=learning_set,
        detail={"person": str(person.uuid)},
    )
    return membership


@transaction.atomic
def remove_member(*, learning_set: LearningSet, person: Person, by: User | None) -> None:
    lock_cohort(learning_set.cohort_id)
    membership = SetMembership.objects.filter(learning_set=learning_set, person=person).first()
    if membership is None:
        raise ValidationError(f"{person.display_name} is not in this set.")
    if learning_set.memberships.count() <= MIN_MEMBERS:
        raise ValidationError(
            f"A set needs at least {MIN_MEMBERS} members: add someone before removing {person.display_name}."
        )
    membership.delete()
    record_event(
        actor=by,
        action="learningset.member_removed",
        target=learning_set,
        detail={"person": str(person.uuid)},
    )


def presentation_problems(learning_set: LearningSet, presentations: Sequence[PresentationInput]) -> list[str]:
    if not presentations:
        return [NOBODY_PRESENTED]
    member_ids = set(learning_set.memberships.values_list("person_id", flat=True))
    problems, seen = [], set()
    for item in presentations:
        name = item.presenter.display_name
        if item.presenter.pk not in member_ids:
            problems.append(f"{name} is not a member of this set.")
        if item.presenter.pk in seen:
            problems.append(f"{name} is listed as presenting more than once.")
        seen.add(item.presenter.pk)
        if not item.question.strip():
            problems.append(f"Write the question {name} brought.")
        if any(len(text.strip()) > ACTION_MAX_LENGTH for text in item.actions):
            problems.append(f"Keep each of {name}'s actions under {ACTION_MAX_LENGTH} characters.")
    return problems


def review_problems(
    learning_set: LearningSet, held_at: datetime, reviews: Sequence[ActionReview]
) -> list[str]:
    closing = [r for r in reviews if r.status != ActionStatus.OPEN]
    current = {
        a.pk: a
        for a in ActionCommitment.objects.of_set(learning_set)
        .filter(pk__in=[r.action.pk for r in closing])
        .select_related("presentation__meeting")
    }
    problems = []
    for review in closing:
        action = current.get(review.action.pk)
        if review.status not in ActionStatus.values:
            problems.append("Choose done, partly done or not done for each action followed up.")
        elif action is None:
            problems.append("One of the actions followed up is not from this set.")
        elif action.status != ActionStatus.OPEN:
            problems.append(f"The action “{action.text}” was already followed up: reload the page.")
        elif action.presentation.meeting.held_at >= held_at:
            problems.append(f"The action “{action.text}” was agreed after this meeting.")
        if len(review.note.strip()) > ACTION_MAX_LENGTH:
            problems.append(f"Keep each follow-up note under {ACTION_MAX_LENGTH} characters.")
    return problems


@transaction.atomic
def record_meeting(
    *,
    learning_set: LearningSet,
    held_at: datetime,
    presentations: Sequence[PresentationInput],
    reviews: Sequence[ActionReview] = (),
    notes: str = "",
    by: User | None,
) -> SetMeeting:
    """Save a meeting, its presentations and actions, and the follow-up of earlier actions, together.

    A double click is the view's to stop, with lib/once.py like every other create form."""
    learning_set = LearningSet.objects.select_for_update().get(pk=learning_set.pk)
    errors: dict[str, list[str]] = {}
    if held_at > timezone.now():
        errors["held_at"] = ["Record a meeting once it has happened: this time is in the future."]
    elif problem := HAPPENED.problem(held_at):
        errors["held_at"] = [problem]
    elif SetMeeting.objects.filter(learning_set=learning_set, held_at=held_at).exists():
        errors["held_at"] = ["This set already has a meeting recorded at this time."]
    problems = presentation_problems(learning_set, presentations)
    problems += review_problems(learning_set, held_at, reviews)
    if problems:
        errors[NON_FIELD_ERRORS] = problems
    if errors:
        raise ValidationError(errors)

    meeting = SetMeeting.objects.create(
        learning_set=learning_set,
        held_at=held_at,
        notes=notes.strip(),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    action_count = 0
    for position, item in enumerate(presentations, start=1):
        presentation = Presentation.objects.create(
            meeting=meeting, position=position, presenter=item.presenter, question=item.question.strip()
        )
        texts = [text.strip() for text in item.actions if text.strip()]
        ActionCommitment.objects.bulk_create(
            ActionCommitment(presentation=presentation, text=text) for text in texts
        )
        action_count += len(texts)
    followed_up = []
    for review in reviews:
        if review.status == ActionStatus.OPEN:
            continue
        ActionCommitment.objects.filter(pk=review.action.pk, status=ActionStatus.OPEN).update(
            status=review.status,
            reviewed_at_meeting=meeting,
            review_note=review.note.strip(),
            updated_at=timezone.now(),
        )
        followed_up.append(review.action.pk)
    record_event(
        actor=by,
        action="learningset.meeting_recorded",
        target=meeting,
        detail={
            "set": str(learning_set.uuid),
            "presenters": [str(item.presenter.uuid) for item in presentations],
            "actions_committed": action_count,
            "actions_followed_up": followed_up,
        },
    )
    return meeting
