"""Is the audit log whole? The hash chain from the first event to the chain head, and the
database triggers that refuse changes."""

from django.db import connection

from carecommons.audit import chain
from carecommons.audit.models import AuditEvent, ChainHead

TRIGGERS = {
    "sqlite": {"audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace"},
    "postgresql": {"audit_event_no_change", "audit_event_no_truncate"},
}


def chain_problem() -> str | None:
    head = ChainHead.objects.filter(pk=1).first()
    events = (
        AuditEvent.objects.order_by("seq")
        .values("id", "prev_hash", "hash", *chain.CHAINED_FIELDS)
        .iterator(chunk_size=5000)
    )
    return chain.first_break(
        events, head_seq=head.seq if head else 0, head_hash=head.hash if head else chain.GENESIS
    )


def missing_triggers() -> list[str]:
    """Names of the refusing triggers that are absent or switched off on the database in use."""
    expected = TRIGGERS.get(connection.vendor, set())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        else:
            return []
        working = {row[0] for row in cursor.fetchall()}
    return sorted(expected - working)


def latest_head() -> tuple[int, str]:
    head = ChainHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, chain.GENESIS)
