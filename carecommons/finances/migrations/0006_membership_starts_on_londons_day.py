# A role's default first day is the site's date (timezone.localdate), not the server clock's.
# The default lives only in Python, so the database is left alone: on SQLite a plain AlterField
# would rebuild the table for nothing.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finances", "0005_posted_wording_can_be_pseudonymised"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="membership",
                    name="starts_on",
                    field=models.DateField(default=django.utils.timezone.localdate),
                ),
            ],
        ),
    ]
