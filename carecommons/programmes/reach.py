"""Relationships in programmes that open other people's records (see accounts/reach.py)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.accounts.reach import Reach
from carecommons.programmes.models import CohortFacilitator, Session


def cohort_facilitation(user: Any) -> QuerySet[CohortFacilitator]:
    return CohortFacilitator.objects.filter(person__user=user)


def session_facilitation(user: Any) -> QuerySet[Session]:
    return Session.objects.filter(facilitators__user=user)


REACH = [
    Reach(
        "cohort_facilitator",
        "you facilitate a cohort, so you see its registers, questionnaire answers and safeguarding alerts",
        cohort_facilitation,
    ),
    Reach(
        "session_facilitator",
        "you are named to facilitate a session, so you see who takes part",
        session_facilitation,
    ),
]
