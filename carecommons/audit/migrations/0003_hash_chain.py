"""Chain every audit event to the one before by hash, and close the ways round the append-only
rule that migration 0002 left open: TRUNCATE on PostgreSQL, INSERT OR REPLACE on SQLite.

On SQLite, Django rebuilds the table to add columns, and the rebuild drops its triggers; so this
migration removes them first, chains the existing events, and installs every trigger afresh last."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from carecommons.audit import chain
from carecommons.lib.sql import by_vendor

REFUSE = "SELECT RAISE(ABORT, 'audit events are append-only');"
SQLITE = [
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent BEGIN {REFUSE} END;",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent BEGIN {REFUSE} END;",
    # REPLACE deletes the old row without firing delete triggers (unless recursive_triggers is on),
    # so refuse any insert whose id or place in the chain is already taken.
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
    """
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();",
    # ALWAYS: they fire even with session_replication_role = replica.
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_change;",
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_truncate;",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
]
OLD_SQLITE = SQLITE[:2]
OLD_POSTGRES = [POSTGRES[0], POSTGRES[1]]


def chain_existing_events(apps: Any, schema_editor: Any) -> None:
    by_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})(apps, schema_editor)
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "ChainHead")
    prev_hash, seq = chain.GENESIS, 0
    batch: list[Any] = []
    for event in event_model.objects.order_by("at", "id").iterator(chunk_size=2000):
        seq += 1
        event.seq, event.prev_hash = seq, prev_hash
        event.hash = prev_hash = chain.link(prev_hash, {n: getattr(event, n) for n in chain.CHAINED_FIELDS})
        batch.append(event)
        if len(batch) == 500:
            event_model.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    event_model.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    head_model.objects.create(pk=1, seq=seq, hash=prev_hash)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        # Run backwards last, so undoing this migration leaves 0002's triggers in place.
        migrations.RunPython(
            migrations.RunPython.noop,
            by_vendor({"sqlite": OLD_SQLITE, "postgresql": OLD_POSTGRES}),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["id"],
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="audit_one_chain_head")],
            },
        ),
        migrations.RunPython(
            chain_existing_events,
            by_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            by_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
