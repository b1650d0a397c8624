"""An allocation is written once: the database refuses to change one. Deleting is refused in Python
for the live list (`AllocationQuerySet`), not by a trigger, so a test database can still be
flushed; the trial's PROTECT keeps the ORM from deleting one by cascade."""

from django.db import migrations

from carecommons.lib.sql import by_vendor

REFUSE_UPDATE = "SELECT RAISE(ABORT, 'allocations cannot be changed');"
SQLITE = [
    f"CREATE TRIGGER trials_allocation_no_update BEFORE UPDATE ON trials_allocation BEGIN {REFUSE_UPDATE} END;",
    "CREATE TRIGGER trials_allocation_no_replace BEFORE INSERT ON trials_allocation "
    "WHEN EXISTS (SELECT 1 FROM trials_allocation WHERE id = NEW.id) "
    f"BEGIN {REFUSE_UPDATE} END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS trials_allocation_no_update;",
    "DROP TRIGGER IF EXISTS trials_allocation_no_replace;",
]
POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION trials_allocation_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'allocations cannot be changed';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER trials_allocation_guard BEFORE UPDATE ON trials_allocation "
    "FOR EACH ROW EXECUTE FUNCTION trials_allocation_refuse();",
    "ALTER TABLE trials_allocation ENABLE ALWAYS TRIGGER trials_allocation_guard;",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS trials_allocation_guard ON trials_allocation;",
    "DROP FUNCTION IF EXISTS trials_allocation_refuse();",
]


class Migration(migrations.Migration):
    dependencies = [("trials", "0001_initial")]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            by_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
