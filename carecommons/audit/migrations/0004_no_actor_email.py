"""The audit log stops keeping the actor's email: the `actor` account already says who acted, and
accounts are never deleted (erasure renames them), so the log holds ids and never a personal value.

The chain is re-linked without the column, and the refusing triggers are dropped around the table
change and installed afresh last, as migration 0003 does (a SQLite table rebuild drops them)."""

from typing import Any

from django.db import migrations

from carecommons.audit import chain
from carecommons.lib.sql import by_vendor

REFUSE = "SELECT RAISE(ABORT, 'audit events are append-only');"
SQLITE = [
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent BEGIN {REFUSE} END;",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent BEGIN {REFUSE} END;",
    "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_auditevent "
    "WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id OR seq = NEW.seq) "
    f"BEGIN {REFUSE} END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    "DROP TRIGGER IF EXISTS audit_event_no_replace;",
]
POSTGRES = [
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();",
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_change;",
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_truncate;",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
]
DROP = by_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
CREATE = by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES})


def relink(apps: Any, schema_editor: Any) -> None:
    """Each event's hash again, over the fields chain.py names now (no email)."""
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "ChainHead")
    prev_hash, seq, batch = chain.GENESIS, 0, []
    for event in event_model.objects.order_by("seq").iterator(chunk_size=2000):
        seq = event.seq
        event.prev_hash = prev_hash
        event.hash = prev_hash = chain.link(prev_hash, {n: getattr(event, n) for n in chain.CHAINED_FIELDS})
        batch.append(event)
        if len(batch) == 500:
            event_model.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    event_model.objects.bulk_update(batch, ["prev_hash", "hash"])
    if seq:
        head_model.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev_hash})


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [
        migrations.RunPython(DROP, CREATE),
        migrations.RemoveField(model_name="auditevent", name="actor_email"),
        migrations.RunPython(relink, migrations.RunPython.noop),
        migrations.RunPython(CREATE, DROP),
    ]
