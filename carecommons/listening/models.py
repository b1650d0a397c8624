"""One-to-one conversations in a Care Lab, the issues people raise in them, and the themes those
issues are tagged with. What a person said is encrypted at rest (lib/encrypted.py); who, when, how,
tags and follow-up dates stay plain so they can be listed, counted and searched.

A Care Lab is a Programme of kind "care_lab"; its organisers are the people who facilitate its
cohorts (listening/access.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Person
from carecommons.programmes.models import Programme


class EngagementLevel(TimestampedModel):
    """One rung of the engagement ladder a Care Lab defines for itself (lowest position first)."""

    lab = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="engagement_levels")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["lab_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "position"], name="engagement_position_once"),
            models.UniqueConstraint(fields=["lab", "name"], name="engagement_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ConversationMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def follow_ups_due(self) -> "ConversationQuerySet":
        return self.filter(follow_up_due__isnull=False, follow_up_done_at__isnull=True).order_by(
            "follow_up_due"
        )


class Conversation(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lab = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="conversations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations")
    listener = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conversations_held")
    introduced_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions",
        help_text="Who suggested the listener talk to this person, if anyone.",
    )
    held_on = models.DateField()
    method = models.CharField(max_length=20, choices=ConversationMethod.choices)
    notes_consented = models.BooleanField(
        default=False,
        help_text="The person agreed to notes being kept. Without it only the facts above are kept.",
    )
    story = EncryptedTextField(blank=True, help_text="Their story, in their words.")
    cares_about = EncryptedTextField(blank=True, help_text="What they care about.")
    gifts = EncryptedTextField(blank=True, help_text="Gifts, skills and experience they offered.")
    concerns = EncryptedTextField(blank=True, help_text="Concerns they raised, in general.")
    suggested_contacts = EncryptedTextField(
        blank=True, help_text="People they suggested talking to who are not in Care Commons yet."
    )
    suggested_people = models.ManyToManyField(Person, blank=True, related_name="suggested_in_conversations")
    engagement = models.ForeignKey(
        EngagementLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="conversations"
    )
    follow_up = EncryptedTextField(blank=True, help_text="What was agreed to do next.")
    follow_up_owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversation_follow_ups"
    )
    follow_up_due = models.DateField(null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("listener")), name="conversation_not_with_oneself"),
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True, follow_up_owner__isnull=True)
                | Q(follow_up_due__isnull=False, follow_up_owner__isnull=False),
                name="conversation_follow_up_has_owner_and_date",
            ),
        ]
        indexes = [
            models.Index(fields=["lab", "held_on"], name="conversation_lab_idx"),
            models.Index(
                fields=["follow_up_owner", "follow_up_done_at", "follow_up_due"], name="conversation_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation with {self.person} on {self.held_on}"


class Theme(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lab = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["lab_id", "name"]
        constraints = [models.UniqueConstraint(fields=["lab", "name"], name="theme_name_once")]

    def __str__(self) -> str:
        return self.name


class Issue(TimestampedModel):
    """A concern raised in a conversation: a short plain title, and the person's own words encrypted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200, help_text="A few words, no names: 'Unpaid travel time'.")
    words = EncryptedTextField(blank=True, help_text="What they said, in their words.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="issues")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ThemeDecision(TimestampedModel):
    """An organiser's answer to a suggested theme, so a rejected suggestion is not offered again."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="theme_decisions")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="decisions")
    accepted = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issue", "theme"], name="theme_decision_once")]

    def __str__(self) -> str:
        return f"{'Accepted' if self.accepted else 'Rejected'} {self.theme} for {self.issue}"
