from django.db import models

from carecommons.lib.models import TimestampedModel


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
