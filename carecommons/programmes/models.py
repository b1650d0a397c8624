import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Organisation, Person


class ProgrammeKind(models.TextChoices):
    PROGRAMME = "programme", "Programme of workshops"
    CARE_LAB = "care_lab", "Care Lab"


class Programme(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.PROGRAMME)
    description = models.TextField(help_text="In plain language: who it is for and what happens.")
    partners = models.ManyToManyField(Organisation, blank=True, related_name="programmes")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SessionTemplate(TimestampedModel):
    """One step of the curriculum, e.g. workshop 3 of 8."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="curriculum")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    aims = models.TextField(blank=True)
    practice = models.TextField(blank=True, help_text="What people try between sessions.")
    duration_minutes = models.PositiveSmallIntegerField(default=120)

    class Meta:
        ordering = ["programme_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="sessiontemplate_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Cohort(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    capacity = models.PositiveIntegerField(help_text="How many places there are.")
    signup_open = models.BooleanField(default=False, help_text="Show the public sign-up page.")
    signup_closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signup_intro = models.TextField(
        blank=True, help_text="Plain-language words at the top of the sign-up page."
    )
    facilitators: models.ManyToManyField[Person, "CohortFacilitator"] = models.ManyToManyField(
        Person, through="CohortFacilitator", related_name="facilitated_cohorts"
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}: {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The cohort must end on or after the day it starts."})


class CohortFacilitator(TimestampedModel):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="facilitator_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="facilitator_links")
    lived_experience_leader = models.BooleanField(default=False)

    class Meta:
        ordering = ["cohort_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="cohortfacilitator_unique")]


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    ACCEPTED = "accepted", "Accepted"
    WAITLISTED = "waitlisted", "On the waiting list"
    OFFERED = "offered", "Offered a place"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses that hold one of the cohort's places.
PLACE_HOLDING = (EnrolmentStatus.ACCEPTED, EnrolmentStatus.OFFERED)
# Statuses an application can be withdrawn from: still hoped for or held. Declined and withdrawn are closed.
WITHDRAWABLE = (*PLACE_HOLDING, EnrolmentStatus.APPLIED, EnrolmentStatus.WAITLISTED)


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def holding_places(self) -> "EnrolmentQuerySet":
        return self.filter(status__in=PLACE_HOLDING)

    def waiting(self) -> "EnrolmentQuerySet":
        return self.filter(status=EnrolmentStatus.WAITLISTED).order_by("applied_at", "id")

    def withdrawable(self) -> "EnrolmentQuerySet":
        return self.filter(status__in=WITHDRAWABLE)


class Enrolment(TimestampedModel):
    """A person's place (or hope of one) in a cohort."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.APPLIED)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    access_needs = models.TextField(blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Question id -> answer, as given.")
    submitted = models.JSONField(
        default=dict,
        blank=True,
        help_text="Details and consents typed on the public form for someone already in the directory: "
        "kept here, unconfirmed, because anyone can type anyone's email address.",
    )
    applied_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    response_token = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="For the emailed link."
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort_id", "applied_at", "id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_unique")]
        indexes = [models.Index(fields=["cohort", "status"], name="enrolment_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort} ({self.get_status_display()})"

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in WITHDRAWABLE

    @property
    def holds_place(self) -> bool:
        return self.status in PLACE_HOLDING


class SignupQuestion(TimestampedModel):
    class Kind(models.TextChoices):
        TEXT = "text", "Free text"
        CHOICE = "choice", "One of several choices"
        YES_NO = "yes_no", "Yes or no"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True, help_text="For 'one of several choices'.")
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["cohort_id", "position"]
        constraints = [models.UniqueConstraint(fields=["cohort", "position"], name="signupquestion_unique")]

    def __str__(self) -> str:
        return self.text


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid"


ONLINE_MODES = (SessionMode.ONLINE, SessionMode.HYBRID)
IN_PERSON_MODES = (SessionMode.IN_PERSON, SessionMode.HYBRID)


def where_to_meet_errors(mode: str, location: str, meeting_link: str) -> dict[str, str]:
    """Online and hybrid sessions need a meeting link; in-person and hybrid ones a place.
    Kept by the database too (`session_online_has_link`, `session_in_person_has_place`)."""
    errors = {}
    if mode in ONLINE_MODES and not meeting_link:
        errors["meeting_link"] = "Online and hybrid sessions need a meeting link."
    if mode in IN_PERSON_MODES and not location:
        errors["location"] = "In-person and hybrid sessions need a place."
    return errors


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self) -> "SessionQuerySet":
        from django.utils import timezone

        return self.filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True).order_by("starts_at")


class Session(TimestampedModel):
    """One gathering of a cohort: a workshop, a Care Lab gathering."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    template = models.ForeignKey(
        SessionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    location = models.CharField(max_length=300, blank=True, help_text="Address or room, for in person.")
    meeting_link = models.URLField(blank=True, help_text="Shown only to the cohort and facilitators.")
    agenda = models.TextField(blank=True)
    facilitators = models.ManyToManyField(Person, blank=True, related_name="facilitated_sessions")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Closing report
    notes = models.TextField(blank=True)
    reflections = models.TextField(blank=True)
    follow_ups = models.TextField(blank=True)
    report_completed_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(mode__in=ONLINE_MODES) | ~Q(meeting_link=""), name="session_online_has_link"
            ),
            models.CheckConstraint(
                condition=~Q(mode__in=IN_PERSON_MODES) | ~Q(location=""), name="session_in_person_has_place"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="session_cohort_start_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"

    def clean(self) -> None:
        errors = where_to_meet_errors(self.mode, self.location, self.meeting_link)
        if errors:
            raise ValidationError(errors)


class Material(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="materials/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "title"]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"


class Attendance(TimestampedModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    late = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_unique")]
        indexes = [models.Index(fields=["person", "session"], name="attendance_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display().lower()} {self.session}"

    @property
    def choice(self) -> str:
        """The register button this mark corresponds to."""
        return "late" if self.late else self.status
