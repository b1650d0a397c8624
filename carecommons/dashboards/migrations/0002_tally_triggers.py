"""Triggers that raise a cohort's CohortTally.version on every write to the rows its dashboard
figures come from: its sessions, their registers, its places, and the cohort itself. In the
database, so that no write (a service, an import, the admin, a cascade, bulk_create, update())
can leave a tally looking fresh."""

from django.db import migrations

# (table, how to find the cohort id from a row given as NEW or OLD)
WATCHED = [
    ("programmes_attendance", "(SELECT cohort_id FROM programmes_session WHERE id = {row}.session_id)"),
    ("programmes_session", "{row}.cohort_id"),
    ("programmes_enrolment", "{row}.cohort_id"),
    ("programmes_cohort", "{row}.id"),
]
BUMP = "UPDATE dashboards_cohorttally SET version = version + 1 WHERE cohort_id = {cohort}"


# An organisation's new name: every cohort with a place naming it (a deletion empties those places'
# organisation, which the enrolment triggers see).
RENAMED = (
    "UPDATE dashboards_cohorttally SET version = version + 1 "
    "WHERE cohort_id IN (SELECT cohort_id FROM programmes_enrolment WHERE organisation_id = NEW.id)"
)


def sqlite_triggers() -> list[str]:
    statements = [
        "CREATE TRIGGER dashboards_people_organisation_renamed AFTER UPDATE OF name ON people_organisation "
        f"FOR EACH ROW WHEN OLD.name IS NOT NEW.name BEGIN {RENAMED}; END"
    ]
    for table, cohort in WATCHED:
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
            if table == "programmes_cohort" and event != "UPDATE":
                continue  # a new cohort has no tally yet; a deleted one takes its tally with it
            body = " ".join(BUMP.format(cohort=cohort.format(row=row)) + ";" for row in rows)
            statements.append(
                f"CREATE TRIGGER dashboards_{table}_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {body} END"
            )
    return statements


def postgresql_triggers() -> list[str]:
    statements = [
        f"""CREATE FUNCTION dashboards_people_organisation_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {RENAMED};
    RETURN NULL;
END $$""",
        "CREATE TRIGGER dashboards_people_organisation_renamed AFTER UPDATE OF name ON people_organisation "
        "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) "
        "EXECUTE FUNCTION dashboards_people_organisation_renamed()",
    ]
    for table, cohort in WATCHED:
        events = "UPDATE" if table == "programmes_cohort" else "INSERT OR UPDATE OR DELETE"
        statements += [
            f"""CREATE FUNCTION dashboards_{table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN {BUMP.format(cohort=cohort.format(row="OLD"))}; END IF;
    IF TG_OP <> 'DELETE' THEN {BUMP.format(cohort=cohort.format(row="NEW"))}; END IF;
    RETURN NULL;
END $$""",
            f"CREATE TRIGGER dashboards_{table}_changed AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION dashboards_{table}_changed()",
        ]
    return statements


def drop(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            "DROP FUNCTION IF EXISTS dashboards_people_organisation_renamed() CASCADE",
            *(f"DROP FUNCTION IF EXISTS dashboards_{table}_changed() CASCADE" for table, _ in WATCHED),
        ]
    return [
        "DROP TRIGGER IF EXISTS dashboards_people_organisation_renamed",
        *(
            f"DROP TRIGGER IF EXISTS dashboards_{table}_{event}"
            for table, _ in WATCHED
            for event in ("insert", "update", "delete")
        ),
    ]


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in postgresql_triggers() if vendor == "postgresql" else sqlite_triggers():
        schema_editor.execute(statement)


def remove(apps, schema_editor) -> None:
    for statement in drop(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_cohort_tally"),
        ("programmes", "0005_session_where_to_meet"),
        ("people", "0004_daily_digests"),
    ]

    operations = [migrations.RunPython(create, remove)]
