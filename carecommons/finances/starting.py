"""A host starts groups: one at a time (a page, `create_group`) or many from a CSV file (a page,
`import_groups`). Each group gets the usual accounts and its first treasurer; a treasurer not in
the directory is added, and one without an account is invited to choose a password."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.finances.groupcsv import NewGroup, check_groups_csv
from carecommons.finances.models import Group, Host
from carecommons.finances.services import add_first_treasurer, create_group
from carecommons.lib.spreadsheets import Problem, shown
from carecommons.people.models import Person
from carecommons.people.services import create_person, give_account


def treasurer_for(*, email: str, name: str, by: User | None) -> Person:
    """The person with this email, added to the directory (named `name`) if nobody has it, with an
    account: an invitation is emailed to anyone who has none."""
    email = email.strip().lower()
    people = list(Person.objects.filter(email=email).order_by("id")[:2])
    if len(people) > 1:
        raise ValidationError(
            {"treasurer_email": "Several people in the directory have this email: merge them first."}
        )
    if people:
        person = people[0]
    elif not name.strip():
        raise ValidationError({"treasurer_name": "Nobody in the directory has this email: give their name."})
    else:
        given, _, family = name.strip().partition(" ")
        person = create_person(by=by, given_name=given, family_name=family.strip(), email=email)
    if person.user_id is None:
        user = User.objects.filter(email=email, person__isnull=True).first()
        if user is not None:
            Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user)
        else:
            give_account(person=person, roles=[], by=by)
    return person


@transaction.atomic
def start_group(*, host: Host, new: NewGroup, by: User | None) -> Group:
    """One group of this host with its first treasurer, or nothing."""
    if Group.objects.filter(slug=new.slug).exists():
        raise ValidationError({"slug": f"The address “{new.slug}” is taken: choose another."})
    treasurer = treasurer_for(email=new.treasurer_email, name=new.treasurer_name, by=by)
    group = create_group(
        name=new.name,
        slug=new.slug,
        by=by,
        host=host,
        approval_threshold_pence=new.approval_threshold_pence,
        approvals_over_threshold=new.approvals_over_threshold,
        treasurer_term_months=new.treasurer_term_months,
    )
    add_first_treasurer(group=group, person=treasurer, by=by)
    return group


@dataclass
class Plan:
    """What importing a file would do: its dry-run report."""

    create: list[tuple[int, NewGroup]] = field(default_factory=list)
    already: list[tuple[int, NewGroup]] = field(default_factory=list)  # this host started them before
    problems: list[Problem] = field(default_factory=list)
    invitations: int = 0  # treasurers who have no account yet

    @property
    def bad_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.problems})


def plan_import(*, host: Host, text: str) -> Plan:
    """Check a file of groups against itself and the database, writing nothing. Four queries
    whatever the number of rows."""
    checked = check_groups_csv(text)
    plan = Plan(problems=list(checked.problems))
    slugs = {new.slug for _, new in checked.rows}
    emails = {new.treasurer_email for _, new in checked.rows}
    taken = dict(Group.objects.filter(slug__in=slugs).values_list("slug", "host_id"))
    people: dict[str, list[int | None]] = defaultdict(list)
    for email, user_id in Person.objects.filter(email__in=emails).values_list("email", "user_id"):
        people[email].append(user_id)
    users = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    invited: set[str] = set()
    named = {new.treasurer_email for _, new in checked.rows if new.treasurer_name}
    for line, new in checked.rows:
        found = people.get(new.treasurer_email, [])
        if new.slug in taken:
            if taken[new.slug] == host.pk:
                plan.already.append((line, new))
            else:
                plan.problems.append(
                    Problem(line, f"slug {shown(new.slug)} is already used by another group")
                )
        elif len(found) > 1:
            reason = f"{len(found)} people in the directory have the email {shown(new.treasurer_email)}"
            plan.problems.append(Problem(line, reason + "; merge them first"))
        elif not found and new.treasurer_email not in named:
            reason = (
                f"nobody in the directory has the email {shown(new.treasurer_email)}: fill in treasurer_name"
            )
            plan.problems.append(Problem(line, reason))
        else:
            plan.create.append((line, new))
            if not any(found) and new.treasurer_email not in users:
                invited.add(new.treasurer_email)
    plan.problems.sort(key=lambda problem: problem.line)
    plan.invitations = len(invited)
    return plan


@transaction.atomic
def import_groups(*, host: Host, text: str, by: User | None) -> Plan:
    """Start every new group in the file in one transaction, or none if any row is bad. Groups
    this host already started from the same slugs are left as they are, so a file can be run again."""
    plan = plan_import(host=host, text=text)
    if plan.problems:
        lines = ", ".join(str(line) for line in plan.bad_lines)
        raise ValidationError(f"Nothing was imported: fix the rows on line(s) {lines} first.")
    for _, new in plan.create:
        start_group(host=host, new=new, by=by)
    record_event(
        actor=by,
        action="finances.groups_imported",
        target=host,
        detail={"created": len(plan.create), "already": len(plan.already)},
    )
    return plan
