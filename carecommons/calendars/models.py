import secrets

from django.db import models
from django.db.models import Q

from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Person
from carecommons.programmes.models import Session


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", "The day before"
    HOUR_BEFORE = "hour_before", "An hour before"


class ReminderSent(TimestampedModel):
    """One reminder emailed to one person about one start time of a session.

    The unique constraint is what makes a retried or duplicated task harmless: the row is written in
    the same transaction as the email is handed over, and a second attempt cannot write it again.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders_sent")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders_sent")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_for_start = models.DateTimeField(help_text="The start time the reminder was about.")

    class Meta:
        ordering = ["session_id", "sent_for_start", "kind", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "kind", "sent_for_start"], name="remindersent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.person} for {self.session}"


TOKEN_MAX_LENGTH = 64


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> "CalendarFeedQuerySet":
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(TimestampedModel):
    """A private address a calendar app polls for one person's sessions. The token is the secret."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=TOKEN_MAX_LENGTH, unique=True, default=new_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["person_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="calendarfeed_one_active"
            )
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Calendar feed of {self.person} ({state})"
