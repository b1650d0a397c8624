import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """First step of one alert per invitation: the column, empty until 0003 fills it."""

    dependencies = [
        ("measures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="safeguardingalert",
            name="invitation",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alert",
                to="measures.invitation",
            ),
        ),
    ]
