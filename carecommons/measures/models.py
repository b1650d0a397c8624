"""Waves of questionnaires, the invitations that carry them, the answers, and safeguarding alerts.

Instrument definitions are data files (definitions.py), not rows: a response stores the instrument
id and the version it was scored with, so a later definition change never rewrites old scores.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, Programme


class WaveKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    MID = "mid", "Mid-point"
    END = "end", "End"
    FOLLOW_UP = "follow_up", "Follow-up"


class Wave(TimestampedModel):
    """A set of questionnaires a programme asks at one point, dated from each cohort's dates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(max_length=20, choices=WaveKind.choices)
    weeks_after_end = models.PositiveSmallIntegerField(
        default=0, help_text="For a follow-up: how many weeks after the cohort ends."
    )
    instruments = models.JSONField(default=list, help_text="Instrument ids, in the order they are asked.")
    opens_days_before = models.PositiveSmallIntegerField(
        default=7, help_text="How many days before the wave's date the invitations go out."
    )
    stays_open_days = models.PositiveSmallIntegerField(
        default=21, help_text="How many days after the wave's date the link still works."
    )

    class Meta:
        ordering = ["programme_id", "kind", "weeks_after_end"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "weeks_after_end"], name="wave_once"),
            models.CheckConstraint(
                condition=Q(kind="follow_up", weeks_after_end__gt=0)
                | (~Q(kind="follow_up") & Q(weeks_after_end=0)),
                name="wave_weeks_only_for_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == WaveKind.FOLLOW_UP:
            return f"Follow-up at {self.weeks_after_end} weeks"
        return self.get_kind_display()

    @property
    def order(self) -> tuple[int, int]:
        """Waves sort in the order people meet them: baseline, mid-point, end, follow-ups."""
        return (list(WaveKind.values).index(self.kind), self.weeks_after_end)

    def asks(self, instrument_id: str) -> bool:
        """Whether this wave asks the questionnaire: answers, links and paper forms exist only for those."""
        return instrument_id in self.instruments


def last_moment(closes: datetime) -> datetime:
    """When a window that closes at `closes` stops, as people read it: 23:59 on its last day rather
    than the midnight after it. For invitations and waves alike."""
    return timezone.localtime(closes - timedelta(minutes=1))


# Why a link does not work now (Invitation.link_state); None while it is open.
EXPIRED, WITHDRAWN, NOT_OPEN, COMPLETE = "expired", "withdrawn", "not_open", "complete"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self, now: datetime) -> "InvitationQuerySet":
        """The rows whose `link_state(now)` is None."""
        return self.filter(
            completed_at__isnull=True, revoked_at__isnull=True, opens_at__lte=now, expires_at__gt=now
        )


class Invitation(TimestampedModel):
    """One person's private link to answer one wave. Usable until it is completed, revoked or expires."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="measure_invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="measure_invitations")
    opens_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "cohort", "person"], name="invitation_once_per_wave"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("opens_at")), name="invitation_expires_after_open"
            ),
        ]
        indexes = [models.Index(fields=["completed_at", "expires_at"], name="invitation_open_idx")]

    def __str__(self) -> str:
        return f"{self.wave} for {self.person}"

    def in_window(self, now: datetime) -> bool:
        """Between opening and the midnight after its last day, whatever else has happened."""
        return self.opens_at <= now < self.expires_at

    def link_state(self, now: datetime) -> str | None:
        """Why the link does not work at `now` (WITHDRAWN, COMPLETE, EXPIRED, NOT_OPEN); None if it does."""
        if self.revoked_at is not None:
            return WITHDRAWN
        if self.completed_at is not None:
            return COMPLETE
        if now >= self.expires_at:
            return EXPIRED
        if now < self.opens_at:
            return NOT_OPEN
        return None

    @property
    def last_day(self) -> datetime:
        """The last moment the link works, in local time, for naming its last day."""
        return last_moment(self.expires_at)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Saved, not yet sent"
    SUBMITTED = "submitted", "Sent"


class ResponseMode(models.TextChoices):
    ONLINE = "online", "Answered online"
    PAPER = "paper", "Paper form entered by staff"


class ResponseQuerySet(models.QuerySet["Response"]):
    def submitted(self) -> "ResponseQuerySet":
        return self.filter(status=ResponseStatus.SUBMITTED)

    def submitted_complete(self) -> "ResponseQuerySet":
        """Sent, with every item needed for a score: what a trial's outcome counts."""
        return self.submitted().filter(complete=True)


class Response(TimestampedModel):
    """One person's answers to one instrument in one wave. Scored once, when it is sent.

    `person`, `cohort` and `wave` repeat the invitation's so outcome queries need no join.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="measure_responses")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="measure_responses")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    instrument = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    answers = models.JSONField(default=list, help_text="Option values in item order; null where unanswered.")
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    mode = models.CharField(max_length=20, choices=ResponseMode.choices, default=ResponseMode.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True, help_text="The day the answers were given.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    complete = models.BooleanField(default=False)
    scores = models.JSONField(default=dict, blank=True)
    bands = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)
    prorated = models.JSONField(default=list, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "instrument"], name="response_once_per_invitation"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, answered_on__isnull=False),
                name="response_submitted_has_times",
            ),
            models.CheckConstraint(
                condition=~Q(mode="paper") | Q(entered_by__isnull=False), name="response_paper_has_enterer"
            ),
        ]
        indexes = [
            # Covers the outcome and cohort-change reads (docs/decisions/0036): every column they
            # take from a response is in the index, so they never visit the table's pages.
            models.Index(
                fields=["cohort", "instrument", "status", "person", "wave", "prorated", "scores"],
                name="response_outcome_idx",
            ),
            models.Index(fields=["person", "instrument", "status"], name="response_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} from {self.person} ({self.get_status_display()})"

    @property
    def is_sent(self) -> bool:
        """Sent answers are scored and final: never shown for changing, never saved over."""
        return self.status == ResponseStatus.SUBMITTED


class SafeguardingLead(TimestampedModel):
    """A person the programme has named to follow up risk answers. They need an account to act."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="safeguarding_leads")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safeguarding_lead_for")

    class Meta:
        ordering = ["programme_id", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "person"], name="safeguarding_lead_once")]

    def __str__(self) -> str:
        return f"{self.person} for {self.programme}"


class AlertQuerySet(models.QuerySet["SafeguardingAlert"]):
    def open(self) -> "AlertQuerySet":
        return self.filter(closed_at__isnull=True)


class SafeguardingAlert(TimestampedModel):
    """A prompt for a person to make human contact after risk answers. Never a risk score.

    One per invitation (one set of questionnaires sent together), naming every risk answer in it, so
    leads get one email and one thing to close however many questionnaires raised a flag.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="alert")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safeguarding_alerts")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="safeguarding_alerts")
    flags = models.JSONField(default=list, help_text="The risk rules the answers met, in any questionnaire.")
    raised_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When a follow-up must be logged by.")
    notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=F("raised_at")), name="alert_due_after_raised"),
        ]
        indexes = [models.Index(fields=["closed_at", "due_at"], name="alert_open_idx")]

    def __str__(self) -> str:
        return f"Safeguarding follow-up for {self.person}"

    @property
    def is_open(self) -> bool:
        """Nobody has yet logged the contact that closes it."""
        return self.closed_at is None


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Email or message"
    NO_REPLY = "no_reply", "Tried, could not reach them"


class FollowUp(TimestampedModel):
    """A logged human contact (or attempt) for an alert. Appended, never edited."""

    alert = models.ForeignKey(SafeguardingAlert, on_delete=models.CASCADE, related_name="follow_ups")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    note = models.TextField(help_text="What happened and what was agreed. Facts, not a risk rating.")
    closes_alert = models.BooleanField(default=False)

    class Meta:
        ordering = ["contacted_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="followup_has_note"),
            models.CheckConstraint(
                condition=~Q(closes_alert=True, method="no_reply"), name="followup_no_reply_keeps_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {self.contacted_at:%Y-%m-%d}"
