"""Home page items: conversation follow-ups that are the user's to do, due within a week or overdue."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.home.attention import Item
from carecommons.listening.access import labs_organised_by
from carecommons.listening.models import Conversation

SOON = timedelta(days=7)
SHOWN = 5
NAME_FIELDS = ("person__given_name", "person__family_name", "person__preferred_name")


def follow_up_items(user: User) -> list[Item]:
    if getattr(user, "person", None) is None:
        return []
    today = timezone.localdate()
    due = (
        Conversation.objects.follow_ups_due()
        .filter(lab__in=labs_organised_by(user).values("id"))
        .filter(follow_up_owner__user=user, follow_up_due__lte=today + SOON)
        .select_related("person", "lab")
        .only("uuid", "follow_up_due", "lab__name", *NAME_FIELDS)
    )
    return [follow_up_item(conversation, today) for conversation in due[:SHOWN]]


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
