"""What a group decided to do: initiatives, their actions, updates and needs (decision 0030 section 5).

An initiative belongs to one group; its members, action owners and volunteers are people who were
current members of that group when they were added. Themes, issues and assets come from the group's
Care Lab, when it has one. Nothing here is deleted when an initiative closes: its status says so.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecommons.assets.models import Asset
from carecommons.decisions.models import Decision
from carecommons.finances.models import Budget
from carecommons.groups.models import CommunityGroup
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.models import TimestampedModel
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person

TEXT_MAX = 500


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    ACTIVE = "active", "Active"
    SUSTAINED = "sustained", "Sustained"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class Initiative(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What the initiative is for, in the group's own words.")
    status = models.CharField(max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA)
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives")
    issues = models.ManyToManyField(Issue, blank=True, related_name="initiatives")
    assets = models.ManyToManyField(Asset, blank=True, related_name="initiatives")
    members = models.ManyToManyField(Person, blank=True, related_name="initiatives")
    # The decision of the group it came from, if any (the service checks it is the group's own).
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["group_id", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="initiative_has_a_title"),
            models.CheckConstraint(condition=~Q(purpose=""), name="initiative_has_a_purpose"),
        ]

    def __str__(self) -> str:
        return self.title


class InitiativeActionQuerySet(models.QuerySet["InitiativeAction"]):
    def still_open(self) -> "InitiativeActionQuerySet":
        return self.filter(status=ActionStatus.OPEN)


class InitiativeAction(TimestampedModel):
    """Who does what by when, then how it went: done, partly or not done, with a note, as in
    learning sets. The owner is unlinked, not deleted, when they are erased: the group keeps its plan."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_actions"
    )
    text = models.CharField(max_length=TEXT_MAX)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    note = models.CharField(max_length=TEXT_MAX, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InitiativeActionQuerySet.as_manager()

    class Meta:
        ordering = ["initiative_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="initiative_action_has_text"),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN, followed_up_on__isnull=True, note="")
                | (~Q(status=ActionStatus.OPEN) & Q(followed_up_on__isnull=False)),
                name="initiative_action_followed_up_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="initiative_action_owner_idx")]

    def __str__(self) -> str:
        return self.text


class InitiativeUpdate(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_updates"
    )
    text = models.TextField()
    posted_on = models.DateField()

    class Meta:
        ordering = ["initiative_id", "-posted_on", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="initiative_update_has_text")]

    def __str__(self) -> str:
        return f"Update on {self.initiative} ({self.posted_on})"


class NeedKind(models.TextChoices):
    MONEY = "money", "Money"
    PEOPLE = "people", "People: a call for help"


class InitiativeNeed(TimestampedModel):
    """Money (how much, and what for, on a budget line of the group's own books when it keeps
    them) or people (a call for help: what, how many). A call is filled when as many members have
    volunteered as it asks for."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(max_length=10, choices=NeedKind.choices)
    text = models.CharField(max_length=TEXT_MAX, help_text="What it is for, or what help is asked.")
    amount_pence = models.PositiveBigIntegerField(null=True, blank=True)
    people_wanted = models.PositiveSmallIntegerField(null=True, blank=True)
    budget = models.ForeignKey(
        Budget, null=True, blank=True, on_delete=models.PROTECT, related_name="initiative_needs"
    )

    class Meta:
        ordering = ["initiative_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="initiative_need_has_text"),
            models.CheckConstraint(
                condition=Q(kind=NeedKind.MONEY) | Q(budget__isnull=True),
                name="initiative_need_budget_only_for_money",
            ),
            models.CheckConstraint(
                condition=Q(kind=NeedKind.MONEY, amount_pence__gte=1, people_wanted__isnull=True)
                | Q(kind=NeedKind.PEOPLE, people_wanted__gte=1, amount_pence__isnull=True),
                name="initiative_need_money_or_people",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class InitiativeVolunteer(TimestampedModel):
    """A member answering a call for help."""

    need = models.ForeignKey(InitiativeNeed, on_delete=models.CASCADE, related_name="volunteers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="initiative_volunteering")
    volunteered_on = models.DateField()

    class Meta:
        ordering = ["need_id", "volunteered_on", "id"]
        constraints = [models.UniqueConstraint(fields=["need", "person"], name="initiative_volunteer_once")]

    def __str__(self) -> str:
        return f"{self.person} for {self.need}"
