from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from carecommons.lib.models import TimestampedModel


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_target(self, target_type: str, target_ids: list[str]) -> "AuditEventQuerySet":
        return self.filter(target_type=target_type, target_id__in=target_ids)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing someone did or saw. Holds ids and field names, never the personal data itself:
    who did it is the `actor` account (never deleted; erasure renames it), not their email.

    The database refuses UPDATE, DELETE, TRUNCATE and REPLACE on this table (migrations 0002 and
    0003). Each event is chained to the one before by `hash` (see chain.py and `check_audit`).
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class ChainHead(TimestampedModel):
    """The one row naming the newest event of the chain. record_event locks it, so two writers
    never chain onto the same event; check_audit compares it with the newest event."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_one_chain_head")]

    def __str__(self) -> str:
        return f"audit chain head at {self.seq}"
