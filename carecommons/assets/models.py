"""Community assets in the ABCD categories, with their status, place, links and moderation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecommons.lib.models import TimestampedModel
from carecommons.listening.models import Issue
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Programme


class AssetCategory(models.TextChoices):
    INDIVIDUAL = "individual", "Individual gifts and skills"
    ASSOCIATION = "association", "Associations"
    INSTITUTION = "institution", "Institutions"
    PHYSICAL = "physical", "Physical spaces"
    ECONOMIC = "economic", "Economic"
    CULTURAL = "cultural", "Cultural"
    NATURAL = "natural", "Natural"
    CONNECTION = "connection", "Connections"


class AssetStatus(models.TextChoices):
    EXISTS = "exists", "Exists"
    SUGGESTED = "suggested", "Suggested"
    LOST = "lost", "Lost"


class Moderation(models.TextChoices):
    PENDING = "pending", "Waiting for an organiser"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted"


class AssetQuerySet(models.QuerySet["Asset"]):
    def accepted(self) -> "AssetQuerySet":
        return self.filter(moderation=Moderation.ACCEPTED)


class Asset(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lab = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(max_length=200)
    name_key = models.CharField(
        max_length=200, editable=False, help_text="The name folded, for prefix search."
    )
    category = models.CharField(max_length=20, choices=AssetCategory.choices)
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.EXISTS)
    description = models.TextField(blank=True)
    postcode = models.CharField(
        max_length=8, blank=True, help_text="A full UK postcode, or just its first half."
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    people = models.ManyToManyField(Person, blank=True, related_name="assets")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="assets")
    issues = models.ManyToManyField(
        Issue, blank=True, related_name="assets", help_text="Issues it could help with."
    )
    moderation = models.CharField(max_length=20, choices=Moderation.choices, default=Moderation.ACCEPTED)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(
        max_length=500, blank=True, help_text="Why it was accepted or not, for the other organisers."
    )

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["name_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="asset_coordinates_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="asset_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="asset_longitude_range",
            ),
            # Someone's own gifts and skills: no coordinates, and at most a postcode district.
            models.CheckConstraint(
                condition=~Q(category=AssetCategory.INDIVIDUAL)
                | (Q(latitude__isnull=True) & ~Q(postcode__contains=" ")),
                name="asset_individual_place_is_a_district",
            ),
        ]
        # The assets page always filters on lab and moderation and orders by name_key, id; each
        # index below serves one of its filters in that order and covers its counts per category
        # (bench/bench_assets.py, bench/README.md).
        indexes = [
            models.Index(
                fields=["lab", "moderation", "name_key", "id", "category", "status"], name="asset_list_idx"
            ),
            models.Index(
                fields=["lab", "moderation", "category", "name_key", "id"], name="asset_category_idx"
            ),
            models.Index(
                fields=["lab", "moderation", "status", "category", "name_key", "id"], name="asset_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name
