"""Existing books get their purposes from the names and kinds `create_group` gave them (decision
0023). An account renamed or made by hand keeps no purpose; a treasurer adds or marks one."""

from django.db import migrations

# Frozen here: the names of the starting accounts as they were when this migration was written.
DEFAULTS = {
    ("Bank account", "bank"): "bank",
    ("Cash box", "cash"): "cash_box",
    ("Donations", "income"): "donations",
    ("Grants", "income"): "grants",
}


def set_purposes(apps, schema_editor):
    Account = apps.get_model("finances", "Account")
    for (name, kind), purpose in DEFAULTS.items():
        # Names are unique per group, so each group gets at most one account per purpose.
        Account.objects.filter(name=name, kind=kind).update(purpose=purpose)


def clear_purposes(apps, schema_editor):
    apps.get_model("finances", "Account").objects.update(purpose=None)


class Migration(migrations.Migration):
    dependencies = [("finances", "0007_account_purpose")]

    operations = [migrations.RunPython(set_purposes, clear_purposes)]
