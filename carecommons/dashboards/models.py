from django.db import models

from carecommons.lib.models import TimestampedModel
from carecommons.programmes.models import Cohort


class CohortTally(TimestampedModel):
    """One cohort's dashboard figures, counted from its raw rows (dashboards/tallies.py).

    `version` is raised by database triggers (migration 0002) on every insert, update or delete of
    the cohort's sessions, registers and places and of the cohort itself, whatever code made it;
    the figures are used only while `computed_version` still equals it and `now` is before
    `valid_until` (the next session start, or the day after the cohort's last day), since time
    alone changes which sessions are held and who finished. Otherwise they are counted again."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.BigIntegerField(default=1)
    computed_version = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True)
    valid_until = models.DateTimeField(null=True, help_text="None: nothing scheduled changes them.")
    figures = models.JSONField(default=dict)  # the cohort's totals, for any view
    detail = models.JSONField(default=dict)  # its sessions and places: read only when it is chosen

    class Meta:
        ordering = ["cohort_id"]

    def __str__(self) -> str:
        return f"Dashboard tally of cohort {self.cohort_id} (version {self.computed_version}/{self.version})"
