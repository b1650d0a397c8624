import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Last step: every alert names its invitation, at most one each; the response link goes."""

    dependencies = [
        ("measures", "0003_fold_alerts_per_invitation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="safeguardingalert",
            name="invitation",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="alert", to="measures.invitation"
            ),
        ),
        migrations.RemoveField(model_name="safeguardingalert", name="response"),
        migrations.AlterField(
            model_name="safeguardingalert",
            name="flags",
            field=models.JSONField(
                default=list, help_text="The risk rules the answers met, in any questionnaire."
            ),
        ),
    ]
