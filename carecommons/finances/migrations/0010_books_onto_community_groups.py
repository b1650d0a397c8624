"""Every group with books becomes a community group that has them (decision 0030, migration path
step 3): the group itself, its "Treasurer" and "Approver" roles, one membership per person covering
every day any of their rows covered, and one term per treasurer or approver row, same dates.

Everything the rules need is frozen here as it was when this was written, not imported."""

from django.db import migrations

TREASURER = "Treasurer"
APPROVER = "Approver"
# What a treasurer could do before roles were named by the group: keep the books, give roles
# (money roles among them) and bring people in.
TREASURER_POWERS = ("give_money_roles", "give_roles", "invite_people", "keep_books")
APPROVER_POWERS = ("approve_spending",)
ROLE_OF = {"treasurer": TREASURER, "approver": APPROVER}


def merged(spans):
    """Overlapping or touching (start, end) spans joined; an end of None is open. A row ends at the
    start of its end day, so one ending on the day the next starts touches it."""
    out = []
    for start, end in sorted(spans, key=lambda s: s[0]):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            last_start, last_end = out[-1]
            out[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
        else:
            out.append((start, end))
    return out


def onto_community_groups(apps, schema_editor):
    Books = apps.get_model("finances", "Group")
    OldMembership = apps.get_model("finances", "Membership")
    CommunityGroup = apps.get_model("groups", "CommunityGroup")
    GroupMembership = apps.get_model("groups", "GroupMembership")
    Role = apps.get_model("groups", "Role")
    RolePower = apps.get_model("groups", "RolePower")
    RoleTerm = apps.get_model("groups", "RoleTerm")
    for books in Books.objects.filter(group__isnull=True).order_by("id"):
        group = CommunityGroup.objects.create(name=books.name)
        CommunityGroup.objects.filter(pk=group.pk).update(created_at=books.created_at)
        Books.objects.filter(pk=books.pk).update(group=group)
        treasurer = Role.objects.create(group=group, name=TREASURER, term_months=books.treasurer_term_months)
        approver = Role.objects.create(group=group, name=APPROVER)
        RolePower.objects.bulk_create(
            [RolePower(role=treasurer, power=p) for p in TREASURER_POWERS]
            + [RolePower(role=approver, power=p) for p in APPROVER_POWERS]
        )
        roles = {TREASURER: treasurer, APPROVER: approver}
        spans = {}
        for row in OldMembership.objects.filter(group=books).order_by("starts_on", "id"):
            spans.setdefault(row.person_id, []).append((row.starts_on, row.ends_on))
            # A role ended the day it started was never held on any day: a term cannot be empty.
            if row.role in ROLE_OF and (row.ends_on is None or row.ends_on > row.starts_on):
                RoleTerm.objects.create(
                    role=roles[ROLE_OF[row.role]], person_id=row.person_id, starts_on=row.starts_on, ends_on=row.ends_on
                )
        GroupMembership.objects.bulk_create(
            GroupMembership(
                group=group, person_id=person_id, standing="member", state="active", starts_on=start, ends_on=end
            )
            for person_id, person_spans in spans.items()
            for start, end in merged(person_spans)
        )


def back_to_books_only(apps, schema_editor):
    """The linked groups and everything hanging off them go; `finances_membership` was never touched."""
    Books = apps.get_model("finances", "Group")
    CommunityGroup = apps.get_model("groups", "CommunityGroup")
    GroupMembership = apps.get_model("groups", "GroupMembership")
    Role = apps.get_model("groups", "Role")
    RolePower = apps.get_model("groups", "RolePower")
    RoleTerm = apps.get_model("groups", "RoleTerm")
    linked = list(Books.objects.filter(group__isnull=False).values_list("group_id", flat=True))
    Books.objects.update(group=None)
    RoleTerm.objects.filter(role__group_id__in=linked).delete()
    RolePower.objects.filter(role__group_id__in=linked).delete()
    Role.objects.filter(group_id__in=linked).delete()
    GroupMembership.objects.filter(group_id__in=linked).delete()
    CommunityGroup.objects.filter(pk__in=linked).delete()


class Migration(migrations.Migration):
    dependencies = [("finances", "0009_group_is_a_community_group"), ("groups", "0001_initial")]

    operations = [migrations.RunPython(onto_community_groups, back_to_books_only)]
