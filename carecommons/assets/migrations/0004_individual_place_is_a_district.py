# Someone's own gifts and skills keep no place more exact than a postcode district: existing rows
# are cut down to it first, then the database refuses anything more exact.

from django.db import migrations, models


def keep_only_the_district(apps, schema_editor):
    Asset = apps.get_model("assets", "Asset")
    for asset in Asset.objects.filter(category="individual").exclude(
        models.Q(latitude__isnull=True) & ~models.Q(postcode__contains=" ")
    ):
        asset.postcode = asset.postcode.split(" ", 1)[0]
        asset.latitude = None
        asset.longitude = None
        asset.save(update_fields=["postcode", "latitude", "longitude"])


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0003_moderation_note_and_list_indexes"),
    ]

    operations = [
        migrations.RunPython(keep_only_the_district, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="asset",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("category", "individual"), _negated=True),
                    models.Q(("latitude__isnull", True), models.Q(("postcode__contains", " "), _negated=True)),
                    _connector="OR",
                ),
                name="asset_individual_place_is_a_district",
            ),
        ),
    ]
