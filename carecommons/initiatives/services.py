"""Writes for initiatives: starting one, its status, actions, updates, needs and volunteers.

Keyword-only, one transaction each, audited with ids only (never the typed text). Each write locks
the initiative row, so two members following up one action, or answering the last place in one call
for help, at the same moment are served one after the other. Who may ask is `access.py`'s to decide
(any current member of the group); the rules here hold whoever asks.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets.models import Asset
from carecommons.audit.services import record_event
from carecommons.decisions.models import Decision
from carecommons.finances.models import Budget
from carecommons.groups.models import CommunityGroup, GroupMembership, Standing
from carecommons.initiatives.models import (
    TEXT_MAX,
    Initiative,
    InitiativeAction,
    InitiativeNeed,
    InitiativeStatus,
    InitiativeUpdate,
    InitiativeVolunteer,
    NeedKind,
)
from carecommons.lib.action_states import FOLLOWED_UP, ActionStatus
from carecommons.lib.dates import PLANNED, check_date
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person

NOT_A_MEMBER = "{} is not a current member of this group."
CLOSED = "This initiative is closed: change its status before adding to it."
NOT_OUR_BUDGET = "Choose one of this group's own budget lines."


def member_ids(group: CommunityGroup, today: date) -> set[int]:
    return set(
        GroupMembership.objects.current(today)
        .filter(group=group, standing=Standing.MEMBER)
        .values_list("person_id", flat=True)
    )


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _text(
    value: str, field: str, empty: str, errors: dict[str, list[str]], limit: int | None = TEXT_MAX
) -> str:
    value = value.strip()
    if not value:
        errors[field] = [empty]
    elif limit is not None and len(value) > limit:
        errors[field] = [f"Keep it under {limit} characters."]
    return value


def _from_the_lab(
    group: CommunityGroup, themes: Sequence[Theme], issues: Sequence[Issue], assets: Sequence[Asset]
) -> dict[str, list[str]]:
    """Themes, issues and assets must be the group's Care Lab's; a group with no lab has none."""
    lab = group.lab_id
    in_lab = set(
        Issue.objects.filter(pk__in=[i.pk for i in issues], conversation__lab_id=lab).values_list(
            "pk", flat=True
        )
    )
    wrong: dict[str, list[Theme] | list[Issue] | list[Asset]] = {
        "themes": [t for t in themes if t.lab_id != lab],
        "issues": [i for i in issues if i.pk not in in_lab],
        "assets": [a for a in assets if a.lab_id != lab],
    }
    return {
        field: [f"“{row}” is not from this group's Care Lab." for row in rows]
        for field, rows in wrong.items()
        if rows
    }


@transaction.atomic
def start_initiative(
    *,
    group: CommunityGroup,
    title: str,
    purpose: str,
    by: User | None,
    starter: Person | None = None,
    members: Iterable[Person] = (),
    themes: Iterable[Theme] = (),
    issues: Iterable[Issue] = (),
    assets: Iterable[Asset] = (),
    status: str = InitiativeStatus.IDEA,
    decision: Decision | None = None,
    today: date | None = None,
) -> Initiative:
    """A new initiative of the group; whoever starts it is one of its members. `decision`, the
    group's own closed decision it came from."""
    day = today or timezone.localdate()
    CommunityGroup.objects.select_for_update().get(pk=group.pk)
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", "Give the initiative a title.", errors, limit=200)
    purpose = _text(purpose, "purpose", "Say what the initiative is for.", errors, limit=None)
    people = list({p.pk: p for p in ([starter] if starter else []) + list(members)}.values())
    current = member_ids(group, day)
    if outside := [NOT_A_MEMBER.format(p.display_name) for p in people if p.pk not in current]:
        errors["members"] = outside
    if status not in InitiativeStatus.values:
        errors["status"] = ["Choose one of the statuses listed."]
    theme_rows, issue_rows, asset_rows = list(themes), list(issues), list(assets)
    errors |= _from_the_lab(group, theme_rows, issue_rows, asset_rows)
    closed = Decision.objects.filter(group=group, closed_at__isnull=False)
    if decision is not None and not closed.filter(pk=decision.pk).exists():
        errors["decision"] = ["Start it from a decision of this group that has closed."]
    if errors:
        raise ValidationError(errors)
    initiative = Initiative.objects.create(
        group=group,
        title=title,
        purpose=purpose,
        status=status,
        decision=decision,
        started_by=by if by and by.pk else None,
    )
    initiative.members.set(people)
    initiative.themes.set(theme_rows)
    initiative.issues.set(issue_rows)
    initiative.assets.set(asset_rows)
    record_event(
        actor=by,
        action="initiatives.started",
        target=initiative,
        detail={
            "group": str(group.uuid),
            "members": [str(p.uuid) for p in people],
            **({"decision": str(decision.uuid)} if decision is not None else {}),
        },
    )
    return initiative


@transaction.atomic
def change_status(*, initiative: Initiative, status: str, by: User | None) -> Initiative:
    initiative = _lock(initiative)
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": "Choose one of the statuses listed."})
    if status == initiative.status:
        raise ValidationError({"status": f"The initiative is already “{initiative.get_status_display()}”."})
    before = initiative.status
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    record_event(
        actor=by,
        action="initiatives.status_changed",
        target=initiative,
        detail={"from": before, "to": status},
    )
    return initiative


@transaction.atomic
def join_initiative(
    *, initiative: Initiative, person: Person, by: User | None, today: date | None = None
) -> None:
    initiative = _lock(initiative)
    if person.pk not in member_ids(initiative.group, today or timezone.localdate()):
        raise ValidationError(NOT_A_MEMBER.format(person.display_name))
    if initiative.members.filter(pk=person.pk).exists():
        raise ValidationError(f"{person.display_name} is already one of its members.")
    initiative.members.add(person)
    record_event(
        actor=by, action="initiatives.member_joined", target=initiative, detail={"person": str(person.uuid)}
    )


@transaction.atomic
def add_action(
    *,
    initiative: Initiative,
    owner: Person,
    text: str,
    due_on: date,
    by: User | None,
    today: date | None = None,
) -> InitiativeAction:
    initiative = _lock(initiative)
    day = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if initiative.status == InitiativeStatus.CLOSED:
        errors["__all__"] = [CLOSED]
    text = _text(text, "text", "Say what is to be done.", errors)
    if owner.pk not in member_ids(initiative.group, day):
        errors["owner"] = [NOT_A_MEMBER.format(owner.display_name)]
    if errors:
        raise ValidationError(errors)
    check_date(due_on, PLANNED, field="due_on", today=day)
    action = InitiativeAction.objects.create(initiative=initiative, owner=owner, text=text, due_on=due_on)
    record_event(
        actor=by,
        action="initiatives.action_added",
        target=action,
        detail={"initiative": str(initiative.uuid), "owner": str(owner.uuid), "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def follow_up_action(
    *, action: InitiativeAction, status: str, note: str = "", by: User | None, today: date | None = None
) -> InitiativeAction:
    """Done, partly or not done, with a note: once, as in learning sets."""
    _lock(action.initiative)
    action = InitiativeAction.objects.get(pk=action.pk)
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action was already followed up: reload the page to see how.")
    if status not in FOLLOWED_UP:
        raise ValidationError({"status": "Choose done, partly done or not done."})
    note = note.strip()
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": f"Keep the note under {TEXT_MAX} characters."})
    action.status, action.note = status, note
    action.followed_up_on = today or timezone.localdate()
    action.followed_up_by = by if by and by.pk else None
    action.save(update_fields=["status", "note", "followed_up_on", "followed_up_by", "updated_at"])
    record_event(
        actor=by,
        action="initiatives.action_followed_up",
        target=action,
        detail={"initiative": str(action.initiative.uuid), "status": status},
    )
    return action


@transaction.atomic
def post_update(
    *, initiative: Initiative, author: Person | None, text: str, by: User | None, today: date | None = None
) -> InitiativeUpdate:
    initiative = _lock(initiative)
    errors: dict[str, list[str]] = {}
    text = _text(text, "text", "Write the update.", errors, limit=5000)
    if errors:
        raise ValidationError(errors)
    update = InitiativeUpdate.objects.create(
        initiative=initiative, author=author, text=text, posted_on=today or timezone.localdate()
    )
    record_event(
        actor=by,
        action="initiatives.update_posted",
        target=update,
        detail={"initiative": str(initiative.uuid)},
    )
    return update


@transaction.atomic
def add_need(
    *,
    initiative: Initiative,
    kind: str,
    text: str,
    by: User | None,
    amount_pence: int | None = None,
    people_wanted: int | None = None,
    budget: Budget | None = None,
) -> InitiativeNeed:
    """A money need may sit on a budget line of the group's own books (`initiative.group.books`);
    a call for help never does."""
    initiative = _lock(initiative)
    errors: dict[str, list[str]] = {}
    if initiative.status == InitiativeStatus.CLOSED:
        errors["__all__"] = [CLOSED]
    text = _text(text, "text", "Say what it is for, or what help is asked.", errors)
    if kind == NeedKind.MONEY:
        if not amount_pence or amount_pence < 1:
            errors["amount_pence"] = ["Say how much money is needed."]
        people_wanted = None
    elif kind == NeedKind.PEOPLE:
        if not people_wanted or people_wanted < 1:
            errors["people_wanted"] = ["Say how many people are needed."]
        amount_pence = None
    else:
        errors["kind"] = ["Choose money or people."]
    if budget is not None:
        if kind != NeedKind.MONEY:
            errors["budget"] = ["Only a money need goes on a budget line."]
        elif not Budget.objects.filter(pk=budget.pk, group__group_id=initiative.group_id).exists():
            errors["budget"] = [NOT_OUR_BUDGET]
    if errors:
        raise ValidationError(errors)
    need = InitiativeNeed.objects.create(
        initiative=initiative,
        kind=kind,
        text=text,
        amount_pence=amount_pence,
        people_wanted=people_wanted,
        budget=budget,
    )
    detail = {"initiative": str(initiative.uuid), "kind": kind}
    if budget is not None:
        detail["budget"] = str(budget.uuid)
    record_event(actor=by, action="initiatives.need_added", target=need, detail=detail)
    return need


@transaction.atomic
def volunteer(
    *, need: InitiativeNeed, person: Person, by: User | None, today: date | None = None
) -> InitiativeVolunteer:
    """A member answers a call for help, while it still has places."""
    initiative = _lock(need.initiative)
    day = today or timezone.localdate()
    if need.kind != NeedKind.PEOPLE or need.people_wanted is None:
        raise ValidationError("Only a call for help takes volunteers.")
    if person.pk not in member_ids(initiative.group, day):
        raise ValidationError(NOT_A_MEMBER.format(person.display_name))
    if need.volunteers.filter(person=person).exists():
        raise ValidationError(f"{person.display_name} has already volunteered for this.")
    if need.volunteers.count() >= need.people_wanted:
        raise ValidationError("Enough people have volunteered already: thank you.")
    answer = InitiativeVolunteer.objects.create(need=need, person=person, volunteered_on=day)
    record_event(
        actor=by,
        action="initiatives.volunteered",
        target=need,
        detail={"initiative": str(initiative.uuid), "person": str(person.uuid)},
    )
    return answer
