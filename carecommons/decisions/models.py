"""Decisions a group takes, their ballots and their outcomes (decisions 0029 and 0030 section 5).

A decision's kind is data (`kinds.py`); its rows hold only what the decision itself sets. Ballots
and their marks carry no timestamps and no sequential ids, a departure from `TimestampedModel`,
so nothing joins an anonymous ballot to `Participation` or the audit log by time or by order.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecommons.groups.models import CommunityGroup, HandoverStep
from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.models import TimestampedModel
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person
from carecommons.programmes.models import Session


class Results(models.TextChoices):
    AFTER_VOTE = "after_vote", "Once you have voted"
    AFTER_CLOSE = "after_close", "Only once it closes"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def still_open(self) -> "DecisionQuerySet":
        return self.filter(closed_at__isnull=True)

    def due_to_close(self, now: datetime) -> "DecisionQuerySet":
        return self.filter(closed_at__isnull=True, closes_at__lte=now)


class Decision(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(CommunityGroup, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions_opened"
    )
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymous = models.BooleanField(default=False)
    results = models.CharField(max_length=20, choices=Results.choices, default=Results.AFTER_VOTE)
    quorum_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    share_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    dots = models.PositiveSmallIntegerField(null=True, blank=True)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    # The handover step this decision carries: agreed at close, the step is done. A key, not a
    # one-to-one: a step whose decision did not pass may be carried again by a new one, and the
    # handover page keeps showing the one that failed (decision 0030, note on links).
    handover_step = models.ForeignKey(
        HandoverStep, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    # The live count of an open decision, kept until a ballot or an objection changes
    # (`ballots_version`, raised under the decision's lock) or the number voting or of members does:
    # a page with 10,000 ballots reads it instead of counting again (services.live_count).
    ballots_version = models.PositiveIntegerField(default=0)
    live_count = models.JSONField(null=True, blank=True, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="decision_has_a_title"),
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True) | Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="decision_quorum_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__gte=1, share_percent__lte=100),
                name="decision_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(dots__isnull=True) | Q(dots__gte=1), name="decision_dots_from_1"
            ),
            models.UniqueConstraint(
                fields=["handover_step"],
                condition=Q(closed_at__isnull=True),
                name="decision_carries_an_open_step_once",
            ),
        ]
        indexes = [models.Index(fields=["group", "closed_at"], name="decision_group_open_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DecisionOption(TimestampedModel):
    """One option: the kind's own (key as declared) or one the decision lists (key `o<position>`).
    A time poll's option is a slot, with its start and end."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision_options"
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision_options"
    )

    class Meta:
        ordering = ["decision_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="decision_option_position_once"),
            models.UniqueConstraint(fields=["decision", "key"], name="decision_option_key_once"),
            models.CheckConstraint(condition=~Q(label=""), name="decision_option_has_a_label"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="decision_slot_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """A member's ballot: named (`person`) or anonymous (`voter_token`, cleared at close). A random
    UUID for its id and no timestamps, on purpose (module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="ballots"
    )
    voter_token = models.CharField(max_length=64, null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decision_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="ballot_one_per_member"),
            models.UniqueConstraint(fields=["decision", "voter_token"], name="ballot_one_per_token"),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(voter_token__isnull=True),
                name="ballot_named_or_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot in {self.decision_id}"


class BallotMark(models.Model):
    """One option marked on a ballot: chosen (1), a rank (1 is first), dots, a score, a gradient
    point or yes (2) / if need be (1) / no (0)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    option = models.ForeignKey(DecisionOption, on_delete=models.CASCADE, related_name="marks")
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ballot_id", "option_id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="ballot_mark_once")]
        # Both cover the runoff's queries (tally.py): a ballot's marks by rank, an option's by rank.
        indexes = [
            models.Index(fields=["ballot", "value", "option"], name="ballot_mark_rank_idx"),
            models.Index(fields=["option", "value", "ballot"], name="ballot_mark_option_rank_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.option_id}: {self.value}"


class Method(models.TextChoices):
    ONLINE = "online", "Online"
    IN_ROOM = "in_room", "Given by hand in the room"
    PHONE = "phone", "Given by phone"


class Participation(TimestampedModel):
    """That someone voted (never how): turnout, quorum, and who recorded a hand vote."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decision_participations")
    voted_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.ONLINE)

    class Meta:
        ordering = ["decision_id", "voted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "person"], name="participation_once")]

    def __str__(self) -> str:
        return f"{self.person} voted in {self.decision}"


class BallotKey(TimestampedModel):
    """An anonymous decision's secret for voter tokens, encrypted at rest; deleted at close."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="ballot_key")
    key = EncryptedTextField()

    class Meta:
        ordering = ["decision_id"]

    def __str__(self) -> str:
        return f"Ballot key of {self.decision_id}"


class Objection(TimestampedModel):
    """A consent ballot's objection: it blocks until the proposer or a facilitator resolves it.
    Consent is never anonymous (its kind says so), so this may carry times."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="objection")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="objection_resolution_says_how",
            )
        ]

    def __str__(self) -> str:
        return f"Objection in {self.ballot.decision_id}"


class Advice(TimestampedModel):
    """Advice for an advice decision: from a member (`person`), or from someone outside the group
    the decider asked and records (`source`, in words)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="advice")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="advice_given"
    )
    source = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["decision_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "person"],
                condition=Q(person__isnull=False),
                name="advice_once_per_member",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="advice_has_words"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(source=""), name="advice_says_whose"
            ),
        ]

    def __str__(self) -> str:
        return f"Advice on {self.decision}"


class Outcome(TimestampedModel):
    """The count made once at close (`result`, every ranked-choice round in it), and the group's
    statement of what it decided, with a date to look at it again."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="outcome")
    result = models.JSONField()
    statement = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Outcome of {self.decision}"


class NoticeKind(models.TextChoices):
    OPENED = "opened", "A decision opened"
    CLOSING_SOON = "closing_soon", "A decision closes within a day"
    OUTCOME = "outcome", "A decision has an outcome"


class DecisionNotice(models.Model):
    """News for one member's daily digest (issue 13 point 6): the only three triggers, each at most
    once per person and decision. `taken_on` is the day a digest took it (sent, or dropped because
    the person wants no digest or gave no consent to be contacted)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decision_notices")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    taken_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "decision", "kind"], name="decision_notice_once"),
        ]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(taken_on__isnull=True), name="decision_notice_waiting_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person}"
