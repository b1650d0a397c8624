"""Abstract bases shared by every domain model, and the one table `lib` keeps: once-only submissions."""

from typing import TypeVar

from django.conf import settings
from django.db import models

M = TypeVar("M", bound=models.Model)


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def fresh_copy(row: M) -> M:
    """The same row again as the database holds it: a form may change the loaded one while it
    validates, and the service should get the row untouched."""
    return type(row)._default_manager.get(pk=row.pk)


class Submission(models.Model):
    """One form submission that created something: a second submit of the same form (double click,
    retry, back-and-resubmit) finds this row and returns what the first one made (`lib/once.py`).
    Moved here from `home` with its rows (decision 0026)."""

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key} -> {self.target_type}:{self.target_id}"
