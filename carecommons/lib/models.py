"""Abstract bases shared by every domain model, and the one table `lib` keeps: once-only submissions."""

import uuid
from typing import TypeVar

from django.conf import settings
from django.db import models

M = TypeVar("M", bound=models.Model)


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class KeptFile(TimestampedModel):
    """A file that passed its checks on a form that did not, kept for that person and that form's
    submission key so they need not choose it again (lib/kept_files.py, decision 0018). Each app's
    model says where its `file` is stored and names its own index on (user, submission)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission = models.UUIDField(help_text="The form's submission key (lib/once.py).")
    file = models.FileField()
    name = models.CharField(max_length=200, help_text="The file's name as it was uploaded.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


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
