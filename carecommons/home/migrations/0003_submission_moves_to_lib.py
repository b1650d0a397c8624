"""Submission now belongs to `lib`: only the state changes here; `lib` 0001 takes over the table
and its rows (decision 0026)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_worker_heartbeat"),
        ("lib", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Submission")],
            database_operations=[],
        ),
    ]
