"""A randomised trial of a programme: its design, its statistical analysis plan, who was screened
and allocated, and the reports built from it (issue 14, decision 0032).

An allocation is written once and never changed (database triggers refuse updates, and deletes
from the live list). The sequence behind it is derived from the trial's secret
(`randomisation.py`), which is stored encrypted and shown only to the trial's statistician.
"""

import uuid

from django.conf import settings
from django.db import models

from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.models import TimestampedModel
from carecommons.measures.models import Wave
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, Programme


class TrialStatus(models.TextChoices):
    SETTING_UP = "setting_up", "Setting up (test list only)"
    RECRUITING = "recruiting", "Recruiting (live list)"
    CLOSED = "closed", "Recruitment closed"


class AllocationUnit(models.TextChoices):
    PERSON = "person", "Each person"
    COHORT = "cohort", "Whole cohorts (cluster trial)"


class Method(models.TextChoices):
    BLOCKS = "blocks", "Stratified permuted blocks of random sizes"
    MINIMISATION = "minimisation", "Minimisation (Pocock–Simon, with a random element)"


class ListName(models.TextChoices):
    TEST = "test", "Test list"
    LIVE = "live", "Live list"


SAP_FIELDS: tuple[tuple[str, str], ...] = (
    ("sap_objectives", "Objectives and hypotheses"),
    ("sap_sample_size", "Sample size and how it was worked out"),
    ("sap_primary_analysis", "Primary analysis"),
    ("sap_secondary_analysis", "Secondary analyses"),
    ("sap_missing_data", "Missing data"),
    ("sap_other", "Anything else (subgroups, sensitivity analyses, interim looks)"),
)


class Trial(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="trials")
    title = models.CharField(max_length=200)
    registration = models.CharField(max_length=60, blank=True, help_text="For example ISRCTN11568927.")
    status = models.CharField(max_length=20, choices=TrialStatus.choices, default=TrialStatus.SETTING_UP)
    unit = models.CharField(max_length=10, choices=AllocationUnit.choices, default=AllocationUnit.PERSON)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.BLOCKS)
    block_multiples = models.JSONField(
        default=list, help_text="Block sizes as multiples of the ratio's total, drawn at random."
    )
    best_probability = models.FloatField(
        default=0.8, help_text="Minimisation: the chance of the arm that balances best."
    )
    baseline_wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="+")
    received_min_sessions = models.PositiveSmallIntegerField(
        default=4, help_text="Sessions attended to count as having received the programme."
    )
    secret = EncryptedTextField(editable=False, help_text="The randomisation secret (hex), encrypted.")
    statistician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trials_as_statistician"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    live_from = models.DateTimeField(null=True, blank=True, editable=False)
    sap_objectives = models.TextField(blank=True)
    sap_sample_size = models.TextField(blank=True)
    sap_primary_analysis = models.TextField(blank=True)
    sap_secondary_analysis = models.TextField(blank=True)
    sap_missing_data = models.TextField(blank=True)
    sap_other = models.TextField(blank=True)
    sap_locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    sap_hash = models.CharField(max_length=64, blank=True, editable=False)
    sap_locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(best_probability__gt=0.5, best_probability__lte=1),
                name="trial_best_probability_range",
            ),
            models.CheckConstraint(
                condition=models.Q(sap_locked_at__isnull=True) | ~models.Q(sap_hash=""),
                name="trial_locked_sap_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sap_locked(self) -> bool:
        return self.sap_locked_at is not None

    @property
    def current_list(self) -> str:
        return ListName.TEST if self.status == TrialStatus.SETTING_UP else ListName.LIVE


class TrialArm(TimestampedModel):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="arms")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    ratio = models.PositiveSmallIntegerField(default=1)
    is_treatment = models.BooleanField(
        default=False, help_text="Differences are this arm minus the other (the programme arm)."
    )
    blind_label = models.CharField(max_length=1, editable=False)

    class Meta:
        ordering = ["trial", "position"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "position"], name="trial_arm_position_once"),
            models.UniqueConstraint(fields=["trial", "name"], name="trial_arm_name_once"),
            models.UniqueConstraint(fields=["trial", "blind_label"], name="trial_arm_label_once"),
            models.UniqueConstraint(
                fields=["trial"], condition=models.Q(is_treatment=True), name="trial_one_treatment_arm"
            ),
            models.CheckConstraint(
                condition=models.Q(ratio__gte=1, ratio__lte=9), name="trial_arm_ratio_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrialFactor(TimestampedModel):
    """A stratification factor (site, say) with its levels; blocks are kept per combination."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="factors")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    levels = models.JSONField(default=list)

    class Meta:
        ordering = ["trial", "position"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "position"], name="trial_factor_position_once"),
            models.UniqueConstraint(fields=["trial", "name"], name="trial_factor_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class TrialOutcome(TimestampedModel):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    instrument = models.CharField(max_length=40)
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="+")
    primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["trial", "-primary", "position"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "instrument", "wave"], name="trial_outcome_once"),
            models.UniqueConstraint(
                fields=["trial"], condition=models.Q(primary=True), name="trial_one_primary_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} at {self.wave}"


class EligibilityQuestion(TimestampedModel):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="eligibility_questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    eligible_answer = models.BooleanField(default=True, help_text="The answer that keeps someone eligible.")

    class Meta:
        ordering = ["trial", "position"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "position"], name="trial_question_position_once"),
        ]

    def __str__(self) -> str:
        return self.text


class Screening(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Did not meet the criteria"
    DECLINED = "declined", "Declined to take part"
    OTHER = "other", "Other reason"


class TrialParticipantQuerySet(models.QuerySet["TrialParticipant"]):
    def on_list(self, list_name: str) -> "TrialParticipantQuerySet":
        return self.filter(list_name=list_name)


class TrialParticipant(TimestampedModel):
    """Someone assessed for the trial: screened, then (if eligible) allocated once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person,
        null=True,
        on_delete=models.SET_NULL,
        related_name="trial_places",
        help_text="Empty once the person is erased: they stay counted where they were allocated.",
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="trial_participants")
    list_name = models.CharField(max_length=4, choices=ListName.choices)
    screening = models.CharField(max_length=20, choices=Screening.choices)
    excluded_because = models.CharField(max_length=300, blank=True)
    answers = models.JSONField(default=dict, help_text="Eligibility question id → answer.")
    levels = models.JSONField(default=dict, help_text="Stratification factor id → level.")
    screened_at = models.DateTimeField()
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    discontinued_on = models.DateField(null=True, blank=True)
    discontinued_because = models.CharField(max_length=300, blank=True)

    objects = TrialParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["trial", "screened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial", "person", "list_name"], name="trial_person_once_per_list"
            ),
            models.CheckConstraint(
                condition=models.Q(screening="eligible", excluded_because="")
                | (~models.Q(screening="eligible") & ~models.Q(excluded_because="")),
                name="trial_exclusion_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(discontinued_on__isnull=True, discontinued_because="")
                | (models.Q(discontinued_on__isnull=False) & ~models.Q(discontinued_because="")),
                name="trial_discontinuation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.trial}"


class AllocationQuerySet(models.QuerySet["Allocation"]):
    def update(self, **kwargs: object) -> int:
        raise ValueError("Allocations cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(list_name=ListName.LIVE).exists():
            raise ValueError("Live allocations cannot be deleted.")
        return super().delete()


class Allocation(TimestampedModel):
    """One slot of one stratum's sequence, taken once. For a cluster trial the unit is the cohort.
    The database refuses updates (migration 0002); Python refuses deleting a live one."""

    trial = models.ForeignKey(Trial, on_delete=models.PROTECT, related_name="allocations")
    list_name = models.CharField(max_length=4, choices=ListName.choices)
    stratum = models.CharField(max_length=300)
    levels = models.JSONField(default=dict, help_text="The unit's factor levels (factor id → level).")
    slot = models.PositiveIntegerField()
    arm = models.ForeignKey(TrialArm, on_delete=models.PROTECT, related_name="allocations")
    participant = models.OneToOneField(
        TrialParticipant, null=True, blank=True, on_delete=models.PROTECT, related_name="allocation"
    )
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["trial", "list_name", "allocated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial", "list_name", "stratum", "slot"], name="allocation_slot_once"
            ),
            models.UniqueConstraint(
                fields=["trial", "list_name", "cohort"],
                condition=models.Q(cohort__isnull=False),
                name="allocation_cohort_once",
            ),
            models.CheckConstraint(
                condition=models.Q(participant__isnull=True) ^ models.Q(cohort__isnull=True),
                name="allocation_one_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stratum} #{self.slot}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Allocations cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.list_name == ListName.LIVE:
            raise ValueError("Live allocations cannot be deleted.")
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]


class PlanChange(TimestampedModel):
    """A change to the analysis plan after it was locked: shown in the report as a deviation."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="plan_changes")
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["trial", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.field} changed {self.changed_at:%Y-%m-%d}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class TrialReport(TimestampedModel):
    """An evaluation report, built by the worker: the full version for the evaluation team and a
    shared one (small counts hidden) for convenors."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="reports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    blinded = models.BooleanField(
        default=True, help_text="Built before the plan was locked: arms are A and B."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    html = models.TextField(blank=True)
    html_shared = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    pdf_shared = models.BinaryField(blank=True, default=b"")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["trial", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="trial_report_progress_range"),
        ]

    def __str__(self) -> str:
        return f"Report {self.created_at:%Y-%m-%d %H:%M}"
