"""Follow-ups that are the user's to do, due within a week or overdue: the home page shows the first
few and links to the follow-ups page, which lists them all."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.lib.attention import Item, Provider
from carecommons.listening.models import Conversation
from carecommons.people.access import own_person
from carecommons.programmes.labs import labs_organised_by

SOON = timedelta(days=7)
SHOWN = 5
NAME_FIELDS = ("person__given_name", "person__family_name", "person__preferred_name")


def follow_ups_for(user: User, today: date) -> QuerySet[Conversation]:
    """The user's open follow-ups in the labs they organise, due by a week from today, soonest first."""
    if own_person(user) is None:
        return Conversation.objects.none()
    return (
        Conversation.objects.follow_ups_due()
        .filter(lab__in=labs_organised_by(user).values("id"))
        .filter(follow_up_owner__user=user, follow_up_due__lte=today + SOON)
        .select_related("person", "lab")
        .only("uuid", "follow_up_due", "lab__uuid", "lab__name", *NAME_FIELDS)
        .order_by("follow_up_due", "id")
    )


def follow_up_items(user: User) -> list[Item]:
    today = timezone.localdate()
    due = follow_ups_for(user, today)
    first = list(due[: SHOWN + 1])
    items = [follow_up_item(conversation, today) for conversation in first[:SHOWN]]
    if len(first) > SHOWN:
        total = due.count()
        items.append(
            Item(
                f"{total} follow-ups due this week or overdue",
                f"Only the first {SHOWN}, the soonest due, are shown above.",
                reverse("listening:follow_ups"),
                f"See all {total} follow-ups",
            )
        )
    return items


def follow_up_item(conversation: Conversation, today: date) -> Item:
    name, due = conversation.person.display_name, conversation.follow_up_due
    assert due is not None
    overdue = due < today
    return Item(
        f"Follow-up overdue: {name}" if overdue else f"Follow-up due: {name}",
        f"Your follow-up with {name} ({conversation.lab.name}) "
        + (f"was due on {due:%A %d %B}: it is overdue." if overdue else f"is due on {due:%A %d %B}."),
        reverse("listening:conversation_detail", args=[conversation.uuid]),
        f"Open the conversation with {name}",
    )


def pending_follow_ups(user: User) -> QuerySet[Conversation]:
    return follow_ups_for(user, timezone.localdate())


ATTENTION = [Provider("follow_ups", follow_up_items, pending_follow_ups)]
