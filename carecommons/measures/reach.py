"""Relationships in wellbeing measures that open other people's records (see accounts/reach.py)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.accounts.reach import Reach
from carecommons.measures.models import SafeguardingLead


def safeguarding_lead(user: Any) -> QuerySet[SafeguardingLead]:
    return SafeguardingLead.objects.filter(person__user=user)


REACH = [
    Reach(
        "safeguarding_lead",
        "you are a programme's safeguarding lead, so you see its alerts with answers and contact details",
        safeguarding_lead,
    ),
]
