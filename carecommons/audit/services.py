from typing import Any

from django.db import models, transaction
from django.utils import timezone

from carecommons.audit import chain
from carecommons.audit.models import AuditEvent, ChainHead
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
    ip = current_ip.get()
    event = AuditEvent(
        actor=actor if authenticated else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        ip_address=AuditEvent._meta.get_field("ip_address").to_python(ip) if ip else None,
        detail=detail or {},
        at=timezone.now(),
    )
    with transaction.atomic():
        # The lock makes writers queue on PostgreSQL; SQLite's IMMEDIATE transactions already do.
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1, seq=0, hash=chain.GENESIS)
        event.seq, event.prev_hash = head.seq + 1, head.hash
        event.hash = chain.link(head.hash, chain_fields(event))
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash, updated_at=event.at)
    return event


def chain_fields(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in chain.CHAINED_FIELDS}


def trail_for(target: models.Model, *, also_ids: list[str] | None = None) -> models.QuerySet[AuditEvent]:
    target_type, target_id = target_key(target)
    return AuditEvent.objects.for_target(target_type, [target_id, *(also_ids or [])]).select_related("actor")
