from django.conf import settings
from django.db import models

from carecommons.lib.models import TimestampedModel


class Submission(models.Model):
    """One form submission that created something: a second submit of the same form (double click,
    retry, back-and-resubmit) finds this row and returns what the first one made."""

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


class WorkerHeartbeat(TimestampedModel):
    """One row per running worker process, upserted every few seconds: the newest `beat_at` says
    whether anything is sending the emails and running the imports that pages promise."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
