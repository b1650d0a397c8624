from typing import Any

from django.db import models

from carecommons.audit.models import AuditEvent
from carecommons.lib.request_context import current_ip


def target_key(target: models.Model) -> tuple[str, str]:
    """How an audit event names a record: app label + model, and its public id."""
    public_id = getattr(target, "uuid", None) or target.pk
    return target._meta.label_lower, str(public_id)


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    target_type, target_id = target_key(target) if target is not None else ("", "")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        ip_address=current_ip.get(),
        detail=detail or {},
    )


def trail_for(target: models.Model, *, also_ids: list[str] | None = None) -> models.QuerySet[AuditEvent]:
    target_type, target_id = target_key(target)
    return AuditEvent.objects.for_target(target_type, [target_id, *(also_ids or [])]).select_related("actor")
