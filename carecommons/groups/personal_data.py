"""What groups hold about a person: their memberships and the terms they held (decision 0026).

Erasure deletes both (decision 0030 section 5). Neither is something the law or the books need:
the ledger and the expense approvals keep their own record of who handled money, under the
pseudonym. A kept row would only say that an erased person was once in a group, or held a role
the group can see in its own history anyway, while it still names them by their place in it.
Their invitations and requests go too, and so do their convening seats (memberships of standing
`convening`) and their invitations back into a group after its handover, with the log of pages
they opened through them: the group's handover history then no longer names them. Rows they
invited, planned, made or withdrew for others keep their `invited_by` / `planned_by` /
`created_by` / `revoked_by` link to the account, which erasure keeps with no name or email.
"""

from typing import Any

from django.db.models import QuerySet

from carecommons.groups.models import GroupMembership, RoleTerm, StaffInvitation, StaffVisit
from carecommons.people.holdings import Collector, Holding, Row, row
from carecommons.people.models import Person


def groups(person: Person) -> list[Row]:
    memberships = [
        row(
            group=m.group.name,
            standing=m.get_standing_display(),
            state=m.get_state_display(),
            from_day=m.starts_on,
            until=m.ends_on,
        )
        for m in GroupMembership.objects.filter(person=person).select_related("group")
    ]
    terms = [
        row(group=t.role.group.name, role=t.role.name, from_day=t.starts_on, until=t.ends_on)
        for t in RoleTerm.objects.filter(person=person).select_related("role__group")
    ]
    invitations = [
        row(
            group=i.group.name,
            invited_back_for=i.purpose,
            scope=i.get_scope_display(),
            from_time=i.valid_from,
            until=i.valid_until,
            withdrawn=i.revoked_at,
            pages_opened=i.visits.count(),
        )
        for i in StaffInvitation.objects.filter(person=person).select_related("group")
    ]
    return memberships + terms + invitations


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("pages of groups opened as invited staff", StaffVisit.objects.filter(invitation__person=person)),
        ("invitations back into groups", StaffInvitation.objects.filter(person=person)),
        ("roles held in groups", RoleTerm.objects.filter(person=person)),
        (
            "group memberships, invitations and requests to join",
            GroupMembership.objects.filter(person=person),
        ),
    ]


PERSONAL_DATA = Holding(
    covers=("groupmembership.person", "roleterm.person", "staffinvitation.person"),
    sections=(Collector("groups", "Groups, the roles you held in them and invitations back", groups),),
    audited=((GroupMembership, "person"), (RoleTerm, "person"), (StaffInvitation, "person")),
    deleted=deleted,
)
