"""Relationships in ripple maps that open other people's records (see accounts/reach.py).

A round's facilitator manages the round and its programme's whole map: they see who was invited
to each of its rounds and the evidence given in them, with the names of those who gave it, so
they need a second factor whatever their site role. People invited to a round see only their
round's ripples and evidence, as members of a cohort see each other, and are not asked.
"""

from typing import Any

from django.db.models import QuerySet

from carecommons.accounts.reach import Reach
from carecommons.ripples.models import MappingRound


def round_facilitation(user: Any) -> QuerySet[MappingRound]:
    return MappingRound.objects.filter(facilitator__user=user)


REACH = [
    Reach(
        "round_facilitator",
        "you facilitate a ripple mapping round, so you see who was invited and the evidence they gave",
        round_facilitation,
    ),
]
