"""Abstract bases shared by every domain model."""

from typing import TypeVar

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
