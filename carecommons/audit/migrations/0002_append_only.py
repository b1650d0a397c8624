"""Make the audit table append-only in the database itself, not only in Python."""

from django.db import migrations

from carecommons.lib.sql import by_vendor

SQLITE = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
POSTGRES = [
    """
    CREATE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change();",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
