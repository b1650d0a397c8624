from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from carecommons.lib.action_states import ActionStatus
from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort

MIN_MEMBERS, MAX_MEMBERS = 4, 8


class LearningSet(TimestampedModel):
    """A small fixed group within a cohort that meets between workshops."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="learning_sets")
    name = models.CharField(max_length=120)
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitated_learning_sets"
    )

    class Meta:
        ordering = ["cohort_id", "name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="learningset_name_unique")]

    def __str__(self) -> str:
        return self.name

    def members(self) -> QuerySet[Person]:
        return Person.objects.filter(learning_set_memberships__learning_set=self).order_by("sort_key", "id")

    def action_commitments(self) -> "ActionCommitmentQuerySet":
        return ActionCommitment.objects.of_set(self)


class SetMembership(TimestampedModel):
    # The cohort is stored again here so the database itself keeps a person in one set per cohort.
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="memberships")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_set_memberships")

    class Meta:
        ordering = ["learning_set_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="setmembership_one_set_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.learning_set}"


class SetMeeting(TimestampedModel):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    # No longer read: lib/once.py stops a second click, as for every create form. Dropping the
    # column needs a migration, left for a change that may add one (issue 12).
    submission_key = models.UUIDField(default=uuid4, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["learning_set_id", "held_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["learning_set", "held_at"], name="setmeeting_once_per_time")
        ]

    def __str__(self) -> str:
        return f"{self.learning_set} on {self.held_at:%d %b %Y}"


class Presentation(TimestampedModel):
    meeting = models.ForeignKey(SetMeeting, on_delete=models.CASCADE, related_name="presentations")
    position = models.PositiveSmallIntegerField()
    presenter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_set_presentations")
    question = models.TextField()

    class Meta:
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="presentation_position_unique"),
            models.UniqueConstraint(fields=["meeting", "presenter"], name="presentation_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.presenter} at {self.meeting}"


class ActionCommitmentQuerySet(models.QuerySet["ActionCommitment"]):
    def of_set(self, learning_set: LearningSet) -> "ActionCommitmentQuerySet":
        return self.filter(presentation__meeting__learning_set=learning_set)

    def still_open(self) -> "ActionCommitmentQuerySet":
        return self.filter(status=ActionStatus.OPEN)


class ActionCommitment(TimestampedModel):
    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    # RESTRICT: a meeting that followed actions up cannot be deleted alone, only with its whole set.
    reviewed_at_meeting = models.ForeignKey(
        SetMeeting, null=True, blank=True, on_delete=models.RESTRICT, related_name="reviewed_actions"
    )
    review_note = models.CharField(max_length=500, blank=True)

    objects = ActionCommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["presentation_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN, reviewed_at_meeting__isnull=True)
                | (~Q(status=ActionStatus.OPEN) & Q(reviewed_at_meeting__isnull=False)),
                name="actioncommitment_reviewed_when_closed",
            )
        ]

    def __str__(self) -> str:
        return self.text
