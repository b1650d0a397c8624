import uuid

from django.conf import settings
from django.db import models

from carecommons.lib.models import TimestampedModel


class ImportKind(models.TextChoices):
    PEOPLE = "people", "People"
    ORGANISATIONS = "organisations", "Organisations"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, not yet imported"
    QUEUED = "queued", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Import failed"
    DISCARDED = "discarded", "Discarded"


class ImportBatch(TimestampedModel):
    """One uploaded CSV file: its dry-run report and, once imported, what the import did."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    filename = models.CharField(max_length=255, blank=True)
    content = models.TextField(blank=True, help_text="The decoded CSV; cleared once imported or discarded.")
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    report = models.JSONField(default=list, blank=True, help_text='[{"line": 7, "reason": "..."}]')
    row_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    skip_bad_rows = models.BooleanField(default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.uuid}"

    @property
    def header_ok(self) -> bool:
        return all(problem["line"] > 1 for problem in self.report)

    @property
    def bad_row_count(self) -> int:
        return len({problem["line"] for problem in self.report if problem["line"] > 1})

    @property
    def good_row_count(self) -> int:
        return max(self.row_count - self.bad_row_count, 0) if self.header_ok else 0
