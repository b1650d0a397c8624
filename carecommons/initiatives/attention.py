"""Actions the user owns in their groups' initiatives, due within a week or overdue: the home page
shows the first few and links to the initiative of each (decision 0030 section 5)."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.models import GroupMembership, Standing
from carecommons.initiatives.models import InitiativeAction, InitiativeStatus
from carecommons.lib.attention import Item, Provider
from carecommons.people.access import own_person

SOON = timedelta(days=7)
SHOWN = 5


def actions_due_for(user: User, today: date) -> QuerySet[InitiativeAction]:
    """Their open actions due by a week from today, soonest first, in groups they are still in."""
    person = own_person(user)
    if person is None:
        return InitiativeAction.objects.none()
    still_member = GroupMembership.objects.current(today).filter(
        group=OuterRef("initiative__group"), person=person, standing=Standing.MEMBER
    )
    return (
        InitiativeAction.objects.still_open()
        .filter(owner=person, due_on__lte=today + SOON)
        .exclude(initiative__status=InitiativeStatus.CLOSED)
        .filter(Exists(still_member))
        .select_related("initiative__group")
        .order_by("due_on", "id")
    )


def action_item(action: InitiativeAction, today: date) -> Item:
    initiative = action.initiative
    overdue = action.due_on < today
    when = (
        f"was due on {action.due_on:%A %d %B}: it is overdue"
        if overdue
        else f"is due on {action.due_on:%A %d %B}"
    )
    return Item(
        f"Action overdue: {action.text}" if overdue else f"Action due: {action.text}",
        f"Your action for “{initiative.title}” ({initiative.group.name}) {when}.",
        reverse("initiatives:initiative_detail", args=[initiative.group.uuid, initiative.uuid]),
        f"Open “{initiative.title}”",
    )


def action_items(user: User) -> list[Item]:
    today = timezone.localdate()
    due = actions_due_for(user, today)
    first = list(due[: SHOWN + 1])
    items = [action_item(action, today) for action in first[:SHOWN]]
    if len(first) > SHOWN:
        total = due.count()
        items.append(
            Item(
                f"{total} actions due this week or overdue",
                f"Only the first {SHOWN}, the soonest due, are shown above; each initiative lists the rest.",
                reverse(
                    "initiatives:initiative_detail",
                    args=[first[0].initiative.group.uuid, first[0].initiative.uuid],
                ),
                "Open the initiative of the soonest",
            )
        )
    return items


def pending_actions(user: User) -> QuerySet[InitiativeAction]:
    return actions_due_for(user, timezone.localdate())


ATTENTION = [Provider("actions_due", action_items, pending_actions)]
