"""For convenors and the facilitators of a programme's rounds: the next ripple mapping round is due
when the programme's latest round is three months old, and overdue after four (rounds.py). A
round planned for a later day is the latest, so planning it ends the reminder. One query. And for
the people invited to an open round: the round, to add what they have seen."""

from datetime import timedelta

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from carecommons.accounts.models import User
from carecommons.lib.attention import Item, Provider
from carecommons.programmes.access import is_convenor
from carecommons.programmes.models import Programme
from carecommons.ripples.models import MappingRound
from carecommons.ripples.rounds import due_next, overdue_from

# No three months are shorter than this, so the query keeps every programme that may be due and
# rounds.due_next decides, by the calendar, which are.
SHORTEST_THREE_MONTHS = timedelta(days=89)


def rounds_due(user: User) -> list[Item]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    programmes = Programme.objects.annotate(last_round=Max("ripple_rounds__held_on")).filter(
        last_round__lte=today - SHORTEST_THREE_MONTHS
    )
    if not is_convenor(user):
        facilitated = MappingRound.objects.filter(facilitator__user=user).values("programme_id")
        programmes = programmes.filter(pk__in=facilitated)
    items = []
    rows = programmes.order_by("last_round", "name", "id").values_list("uuid", "name", "last_round")
    for uuid, name, last in rows:
        if due_next(last) > today:
            continue
        overdue = overdue_from(last) <= today
        items.append(
            Item(
                f"The next ripple mapping round for {name} is "
                f"{'overdue' if overdue else 'due'} (last held {format_date(last, 'j F Y')})",
                "Ripple effects maps are made again every three to four months, so what spread "
                "since the last round is remembered while it is fresh."
                + ("" if overdue else f" It is overdue from {format_date(overdue_from(last), 'j F Y')}."),
                reverse("ripples:map_detail", args=[uuid]),
                f"The ripple map of {name}",
            )
        )
    return items


def rounds_old_enough(user: User) -> QuerySet[MappingRound]:
    """Rounds held three months ago or more, of programmes the user maps: none, no round is due."""
    rounds = MappingRound.objects.filter(held_on__lte=timezone.localdate() - SHORTEST_THREE_MONTHS)
    if is_convenor(user):
        return rounds
    facilitated = MappingRound.objects.filter(facilitator__user=user).values("programme_id")
    return rounds.filter(programme_id__in=facilitated)


def open_to(user: User) -> QuerySet[MappingRound]:
    return MappingRound.objects.filter(invitees__person__user=user, closed_at__isnull=True)


def rounds_open(user: User) -> list[Item]:
    """Open rounds this person is invited to: where to add the ripples they have seen. One query."""
    if not user.is_authenticated:
        return []
    rows = open_to(user).select_related("programme").order_by("-held_on", "-id")
    return [
        Item(
            f"Ripple mapping round open: {found.title}",
            f"{found.programme.name}, {format_date(found.held_on, 'j F Y')}. Add the effects you have "
            "seen spread from it, in your own words.",
            reverse("ripples:round_detail", args=[found.uuid]),
            f"Open {found.title}",
        )
        for found in rows
    ]


ATTENTION = [
    Provider("rounds_due", rounds_due, rounds_old_enough),
    Provider("rounds_open", rounds_open, open_to),
]
