"""Home page items: open decisions of your groups waiting for your vote, and outcomes whose review
date has come (decision 0030 section 5). Members only: the same current membership the pages ask."""

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.decisions.models import Decision, Outcome, Participation
from carecommons.groups.models import GroupMembership, Standing
from carecommons.lib.attention import Item, Provider


def my_groups(user: User) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.current(timezone.localdate()).filter(
        person__user_id=user.pk, standing=Standing.MEMBER
    )


def waiting_for_vote(user: User) -> list[Item]:
    if not user.is_authenticated:
        return []
    mine = my_groups(user)
    voted = Participation.objects.filter(decision=OuterRef("pk"), person__user_id=user.pk)
    decisions = (
        Decision.objects.filter(
            group_id__in=mine.values("group_id"), closed_at__isnull=True, closes_at__gt=timezone.now()
        )
        .exclude(Exists(voted))
        .select_related("group")
        .order_by("closes_at", "id")
    )
    return [
        Item(
            d.title,
            f"{d.group.name}: open until {timezone.localtime(d.closes_at):%-d %B, %H:%M}.",
            reverse("decisions:decision_detail", args=[d.group.uuid, d.uuid]),
            "Vote",
        )
        for d in decisions
    ]


def due_for_review(user: User) -> list[Item]:
    if not user.is_authenticated:
        return []
    outcomes = (
        Outcome.objects.filter(
            decision__group_id__in=my_groups(user).values("group_id"), review_on__lte=timezone.localdate()
        )
        .select_related("decision__group")
        .order_by("review_on", "id")
    )
    return [
        Item(
            o.decision.title,
            f"{o.decision.group.name}: the outcome was to be reviewed on {o.review_on:%-d %B %Y}.",
            reverse("decisions:decision_detail", args=[o.decision.group.uuid, o.decision.uuid]),
            "Review the outcome",
        )
        for o in outcomes
    ]


ATTENTION = [
    Provider("waiting_for_vote", waiting_for_vote, my_groups),
    Provider("reviews_due", due_for_review, my_groups),
]
