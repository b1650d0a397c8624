import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecommons.lib.models import TimestampedModel
from carecommons.lib.search_terms import prefix_upper_bound, query_words

if TYPE_CHECKING:
    from carecommons.accounts.models import User


class Tag(TimestampedModel):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    GRASSROOTS = "grassroots", "Grassroots group"
    CHARITY = "charity", "Charity"
    STATUTORY = "statutory", "Statutory body"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    FAITH = "faith", "Faith group"
    MUTUAL_AID = "mutual_aid", "Mutual aid group"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def search(self, query: str) -> "OrganisationQuerySet":
        return self.filter(name__icontains=query.strip()) if query.strip() else self


class Organisation(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    area = models.CharField(max_length=120, blank=True, help_text="Town, borough or neighbourhood.")
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="organisations")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: "User") -> "PersonQuerySet":
        from carecommons.people.access import can_use_directory

        if not user.is_authenticated:
            return self.none()
        if can_use_directory(user):
            return self
        return self.filter(user=user)

    def shared_emails(self) -> "models.QuerySet[Person, dict[str, object]]":
        """Email addresses held by more than one person (rows of {"email", "n"}), for merging."""
        return (
            self.exclude(email="")
            .values("email")
            .annotate(n=models.Count("id"))
            .filter(n__gt=1)
            .order_by("email")
        )

    def search(self, query: str) -> "PersonQuerySet":
        """People with a search term starting with every word typed (name, email, organisation)."""
        result = self
        for word in query_words(query)[:4]:
            terms = SearchTerm.objects.filter(term__gte=word)
            upper = prefix_upper_bound(word)
            if upper is not None:
                terms = terms.filter(term__lt=upper)
            result = result.filter(id__in=terms.values("person_id"))
        return result


class Person(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField("first name", max_length=100)
    family_name = models.CharField("last name", max_length=100, blank=True)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What they like to be called, if different."
    )
    pronouns = models.CharField(max_length=40, blank=True, help_text="For example: she/her, they/them.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    postal_address = models.TextField(blank=True)
    preferred_language = models.CharField(max_length=60, blank=True, default="English")
    accessibility_needs = models.TextField(
        blank=True, help_text="Anything that helps them take part: access, format, support."
    )
    sort_key = models.CharField(max_length=210, editable=False, db_index=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["email"], name="person_email_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def mail_address(self) -> str:
        """Where to email this person: their own email; failing that, the address they sign in with."""
        if self.email:
            return self.email
        return self.user.email if self.user is not None else ""

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class SearchTerm(models.Model):
    """One search key of a person: a word of their name, email or an organisation's name."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=64)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], name="searchterm_term_person_unique")
        ]


class Affiliation(TimestampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    role = models.CharField(
        max_length=100, blank=True, help_text="For example: representative, volunteer, founder."
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "role"], name="affiliation_unique"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="affiliation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.role or 'member'} of {self.organisation}"


class RelationshipKind(models.TextChoices):
    FAMILY = "family", "Family"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    COLLEAGUE = "colleague", "Colleague"
    CARER = "carer", "Cares for"
    MENTOR = "mentor", "Mentors"
    INTRODUCED = "introduced", "Introduced"
    OTHER = "other", "Other"


class Relationship(TimestampedModel):
    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_out")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_in")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="relationship_unique"),
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} {self.get_kind_display().lower()} {self.to_person}"


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", "Being contacted"
    PROGRAMME = "programme", "Taking part in a programme"
    RESEARCH = "research", "Research and evaluation"
    SHARING = "sharing", "Sharing with a named partner"
    CONVERSATION = "conversation", "Notes of our conversations"
    QUOTES = "quotes", "Quoting my words, without my name"


class ConsentMethod(models.TextChoices):
    ONLINE = "online", "Online form"
    PAPER = "paper", "Paper form"
    VERBAL = "verbal", "Said in person or by phone"
    EMAIL = "email", "By email"


class ConsentWording(TimestampedModel):
    """The exact words a person was shown when asked; never edited, only superseded."""

    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["purpose", "-version"]
        constraints = [models.UniqueConstraint(fields=["purpose", "version"], name="consentwording_unique")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self) -> "ConsentQuerySet":
        """The latest decision for each person, purpose and (for sharing) partner."""
        outer = models.OuterRef
        later = Consent.objects.filter(
            Q(decided_at__gt=outer("decided_at")) | Q(decided_at=outer("decided_at"), id__gt=outer("id")),
            ~Q(purpose=ConsentPurpose.SHARING) | Q(partner=outer("partner")),
            person=outer("person"),
            purpose=outer("purpose"),
        )
        return self.exclude(models.Exists(later))

    def decided_now(self, purpose: str, *, partner: Organisation | int | None = None) -> "ConsentQuerySet":
        """Each person's latest decision for `purpose` (for sharing: with `partner`), yes or no."""
        if (purpose == ConsentPurpose.SHARING) != (partner is not None):
            raise ValueError("Consent to sharing is decided per partner; other purposes name none.")
        return self.current().filter(purpose=purpose, partner=partner)

    def given_now(self, purpose: str, *, partner: Organisation | int | None = None) -> "ConsentQuerySet":
        """The people who have consented to `purpose` right now: their latest decision is a yes.
        Never asked is not a yes. At most one row per person."""
        return self.decided_now(purpose, partner=partner).filter(given=True)


class Consent(models.Model):
    """One decision, appended: giving or withdrawing consent. History is never rewritten."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    partner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given = models.BooleanField(help_text="True when consent was given, False when withdrawn.")
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    wording = models.ForeignKey(ConsentWording, on_delete=models.PROTECT, related_name="consents")
    decided_at = models.DateTimeField(help_text="When the person gave or withdrew it.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "recorded_at"], name="consent_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="sharing", partner__isnull=False)
                | (~Q(purpose="sharing") & Q(partner__isnull=True)),
                name="consent_partner_only_for_sharing",
            )
        ]

    def __str__(self) -> str:
        verb = "gave" if self.given else "withdrew"
        return f"{self.person} {verb} consent: {self.get_purpose_display()}"


class PersonMerge(TimestampedModel):
    """What was folded into a surviving person, kept so a merge loses nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survivor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges")
    absorbed_uuid = models.UUIDField(db_index=True)
    absorbed_fields = models.JSONField(help_text="The absorbed person's fields as they were.")
    set_aside = models.JSONField(
        default=list, help_text="Rows that duplicated the survivor's own, as they were."
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.absorbed_uuid} merged into {self.survivor}"


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a convenor"
    ERASED = "erased", "Erased"


class ErasureRequest(TimestampedModel):
    """A person's request to have what is held about them erased, and, once done, the receipt.

    Kept after erasure (pointing at the pseudonymised person) as the record that it was done."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="erasure_requests")
    status = models.CharField(max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was erased, as the convenor or command gave it.")
    receipt = models.JSONField(default=dict, blank=True, help_text="What was deleted and what was kept, why.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="requested"), name="erasurerequest_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status="requested", erased_at__isnull=True)
                | Q(status="erased", erased_at__isnull=False),
                name="erasurerequest_erased_with_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure of {self.person} ({self.get_status_display()})"


class DigestChoice(TimestampedModel):
    """Whether a person wants the daily digest (issue 13 point 6). No row means daily, the default;
    whatever the choice, nothing is emailed without consent to be contacted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="digest_choices")
    daily = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person"], name="one_digest_choice_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {'daily digest' if self.daily else 'no digest'}"


class DigestSent(models.Model):
    """One row per person per day a digest went out: the rule "at most one email a day" as a
    unique key, written in the transaction that sends it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="digests_sent")
    day = models.DateField()
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="one_digest_per_person_per_day")
        ]

    def __str__(self) -> str:
        return f"Digest to {self.person} on {self.day}"
