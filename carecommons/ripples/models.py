"""Ripple effects mapping: rounds held for a programme or Care Lab, the ripples named in them (a
tree hanging from the programme), what each ripple affected, its evidence, and a second coder's
capitals (decision 0033).

A programme has one map: ripples named in later rounds may hang from ripples named in earlier ones,
so each round grows the same tree and the change between two rounds is what was added or grew
between them. A ripple merged into another is kept, pointing at the one it became, and left off
every map.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecommons.assets.models import Asset
from carecommons.initiatives.models import Initiative
from carecommons.lib.models import KeptFile, TimestampedModel
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Programme, Session
from carecommons.ripples.capitals import Intent, Valence

TEXT_MAX = 500
QUOTE_MAX = 2000
VALENCES = [(valence.value, valence.label) for valence in Valence]
INTENTS = [(intent.value, intent.label) for intent in Intent]


class CapitalsField(models.CharField):  # type: ignore[type-arg]
    """A list of capital ids stored as "human,social": a map of 5,000 ripples reads them in a
    split each, where a JSON column costs a decoder call per row (decision 0033)."""

    _pyi_private_set_type: list[str]  # type: ignore[assignment]
    _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> list[str]:
        return value.split(",") if value else []

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        return value.split(",") if value else []

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, (list, tuple, set, frozenset)):
            return ",".join(value)
        return str(value or "")


class MappingRound(TimestampedModel):
    """One mapping session: the people invited to it add ripples to the programme's map."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ripple_rounds")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="ripple_rounds_facilitated"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="ripple_rounds"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme_id", "held_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="mappinground_has_a_title")]
        indexes = [models.Index(fields=["programme", "held_on"], name="mappinground_programme_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class InviteeKind(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    STAKEHOLDER = "stakeholder", "Stakeholder"


class RoundInvitee(TimestampedModel):
    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ripple_invitations")
    kind = models.CharField(max_length=20, choices=InviteeKind.choices, default=InviteeKind.PARTICIPANT)

    class Meta:
        ordering = ["round_id", "person__sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="roundinvitee_unique")]

    def __str__(self) -> str:
        return f"{self.person} in {self.round}"


class RippleQuerySet(models.QuerySet["Ripple"]):
    def on_map(self) -> "RippleQuerySet":
        """Ripples still on the map: not merged into another."""
        return self.filter(merged_into__isnull=True)


class Ripple(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The programme is the round's, kept here too so a whole map is one indexed query.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ripples")
    round = models.ForeignKey(MappingRound, on_delete=models.PROTECT, related_name="ripples")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    text = models.CharField(max_length=TEXT_MAX, help_text="The effect, in the words of whoever named it.")
    happened_on = models.DateField(null=True, blank=True)
    valence = models.CharField(max_length=10, choices=VALENCES, default=Valence.POSITIVE.value)
    intent = models.CharField(max_length=12, choices=INTENTS, default=Intent.NOT_KNOWN.value)
    # The first coder's community capitals: ids from capitals.CAPITAL_IDS, in that order.
    capitals = CapitalsField()
    coded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="ripples_coded"
    )
    named_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="ripples_named"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    objects = RippleQuerySet.as_manager()

    class Meta:
        ordering = ["programme_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="ripple_has_words"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="ripple_not_its_own_parent"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_at__isnull=True)
                | Q(merged_into__isnull=False, merged_at__isnull=False),
                name="ripple_merged_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["programme", "merged_into"], name="ripple_map_idx")]

    def __str__(self) -> str:
        return self.text


class SecondCoding(TimestampedModel):
    """A second person's capitals for a ripple, coded apart from the first coder's, so the two can
    be compared (Cohen's kappa per capital, agreement.py)."""

    ripple = models.OneToOneField(Ripple, on_delete=models.CASCADE, related_name="second_coding")
    coder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="ripples_second_coded"
    )
    capitals = CapitalsField()

    class Meta:
        ordering = ["ripple_id"]

    def __str__(self) -> str:
        return f"Second coding of {self.ripple_id}"


class RippleLink(TimestampedModel):
    """Who or what a ripple affected: exactly one person, organisation, initiative or asset Care
    Commons already knows, linked rather than typed again."""

    ripple = models.ForeignKey(Ripple, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="ripple_links"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="ripple_links"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="ripple_links"
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.CASCADE, related_name="ripple_links"
    )

    class Meta:
        ordering = ["ripple_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation=None, initiative=None, asset=None)
                | Q(person=None, organisation__isnull=False, initiative=None, asset=None)
                | Q(person=None, organisation=None, initiative__isnull=False, asset=None)
                | Q(person=None, organisation=None, initiative=None, asset__isnull=False),
                name="ripplelink_names_one_thing",
            ),
            *(
                models.UniqueConstraint(
                    fields=["ripple", kind],
                    condition=Q(**{f"{kind}__isnull": False}),
                    name=f"ripplelink_{kind}_once",
                )
                for kind in ("person", "organisation", "initiative", "asset")
            ),
        ]

    def __str__(self) -> str:
        return f"Link of ripple {self.ripple_id}"


class EvidenceShare(models.TextChoices):
    ROUND = "round", "Only the people in this round"
    BEYOND = "beyond", "Also in reports and exports beyond the round"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"ripples/evidence/{instance.uuid}"


class Evidence(TimestampedModel):
    """A quote or a file that shows a ripple happened, kept with the consent of the person it came
    from: `shared` says how far it may go. Withdrawn consent deletes the row and its file."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ripple = models.ForeignKey(Ripple, on_delete=models.CASCADE, related_name="evidence")
    # The round it was given in: its people see it, whichever ripple a merge later moves it to.
    round = models.ForeignKey(MappingRound, on_delete=models.CASCADE, related_name="evidence")
    quote = models.TextField(blank=True, max_length=QUOTE_MAX)
    file = models.FileField(upload_to=evidence_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    given_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ripple_evidence")
    shared = models.CharField(max_length=10, choices=EvidenceShare.choices, default=EvidenceShare.ROUND)
    consented_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["ripple_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(quote="") | ~Q(file=""), name="evidence_has_a_quote_or_file")
        ]

    def __str__(self) -> str:
        return f"Evidence for ripple {self.ripple_id}"


def kept_evidence_path(kept: "KeptEvidence", filename: str) -> str:
    return f"ripples/kept/{kept.uuid}"


class KeptEvidence(KeptFile):
    """A file that passed its checks on an evidence form that did not (the consent box left
    unticked, say), kept for that person and that form's submission key so they need not choose it
    again; as expenses keeps receipts (lib/kept_files.py). It becomes Evidence or is thrown away."""

    file = models.FileField(upload_to=kept_evidence_path)

    class Meta(KeptFile.Meta):
        indexes = [models.Index(fields=["user", "submission"], name="kept_evidence_form_idx")]
