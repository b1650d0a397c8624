"""Every group with books now has its community group (0010), so the link is required, and the
name and treasurer term live there: the books' `name` and `treasurer_term_months` go (decision 0030,
migration path step 5). Going back puts both back from the community group and its treasurer role."""

import django.db.models.deletion
from django.db import migrations, models

KEEP_BOOKS = "keep_books"


def names_and_terms_back(apps, schema_editor):
    Books = apps.get_model("finances", "Group")
    Role = apps.get_model("groups", "Role")
    for books in Books.objects.select_related("group"):
        role = Role.objects.filter(group_id=books.group_id, powers__power=KEEP_BOOKS).order_by("id").first()
        Books.objects.filter(pk=books.pk).update(
            name=books.group.name, treasurer_term_months=role.term_months if role else None
        )


class Migration(migrations.Migration):
    dependencies = [("finances", "0010_books_onto_community_groups"), ("groups", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="group",
            name="group",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="books", to="groups.communitygroup"
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, names_and_terms_back),
        migrations.AlterModelOptions(name="group", options={"ordering": ["group__name", "id"]}),
        # A default (no change in the database) so that going back can add the column again
        # before the names are put back.
        migrations.AlterField(model_name="group", name="name", field=models.CharField(max_length=200, default="")),
        migrations.RemoveField(model_name="group", name="name"),
        migrations.RemoveField(model_name="group", name="treasurer_term_months"),
    ]
