"""Home page items: members' asset suggestions waiting for one of the lab's organisers."""

from django.db.models import Count, QuerySet
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.assets.models import Asset, Moderation
from carecommons.lib.attention import Item, Provider
from carecommons.programmes.labs import labs_organised_by

SHOWN = 5


def waiting_suggestions(user: User) -> QuerySet[Asset]:
    return Asset.objects.filter(lab__in=labs_organised_by(user).values("id"), moderation=Moderation.PENDING)


def suggestion_items(user: User) -> list[Item]:
    waiting = (
        waiting_suggestions(user)
        .values("lab__uuid", "lab__name")
        .annotate(n=Count("*"))
        .order_by("lab__name", "lab__uuid")
    )
    return [
        Item(
            f"Asset suggestions waiting: {row['lab__name']}",
            f"{row['n']} suggestion{'s' if row['n'] != 1 else ''} from members of the Care Lab "
            f"{'are' if row['n'] != 1 else 'is'} waiting for an organiser to accept or not.",
            reverse("assets:moderation_queue", args=[row["lab__uuid"]]),
            "Review the suggestions",
        )
        for row in waiting[:SHOWN]
    ]


ATTENTION = [Provider("suggestions", suggestion_items, waiting_suggestions)]
