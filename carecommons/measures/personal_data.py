"""What measures hold about a person: questionnaire invitations and answers, safeguarding alerts
and the follow-ups about them, safeguarding lead roles (decision 0026)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.measures.models import Invitation, Response, SafeguardingAlert, SafeguardingLead
from carecommons.people.holdings import Collector, Holding, Row, row
from carecommons.people.models import Person


def questionnaires(person: Person) -> list[Row]:
    invitations = [
        row(
            invitation=str(i.wave),
            cohort=i.cohort.name,
            opens_at=i.opens_at,
            expires_at=i.expires_at,
            completed_at=i.completed_at,
        )
        for i in Invitation.objects.filter(person=person).select_related("wave", "cohort")
    ]
    answers = [
        row(
            questionnaire=r.instrument,
            version=r.instrument_version,
            wave=str(r.wave),
            status=r.get_status_display(),
            how=r.get_mode_display(),
            answered_on=r.answered_on,
            answers=r.answers,
            scores=r.scores,
            bands=r.bands,
            flags=r.flags,
        )
        for r in Response.objects.filter(person=person).select_related("wave")
    ]
    return invitations + answers


def safeguarding(person: Person) -> list[Row]:
    return [
        row(
            raised_at=a.raised_at,
            what_was_flagged=a.flags,
            follow_up_due=a.due_at,
            closed_at=a.closed_at,
            follow_ups=[
                row(
                    contacted_at=f.contacted_at,
                    how=f.get_method_display(),
                    note=f.note,
                    closed_it=f.closes_alert,
                )
                for f in a.follow_ups.all()
            ],
        )
        for a in SafeguardingAlert.objects.filter(person=person).prefetch_related("follow_ups")
    ]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("safeguarding alerts and follow-up notes", SafeguardingAlert.objects.filter(person=person)),
        ("questionnaire answers and scores", Response.objects.filter(person=person)),
        ("questionnaire invitations", Invitation.objects.filter(person=person)),
        ("safeguarding lead roles", SafeguardingLead.objects.filter(person=person)),
    ]


def blockers(person: Person) -> list[str]:
    if SafeguardingAlert.objects.filter(person=person, closed_at__isnull=True).exists():
        return [
            "A safeguarding follow-up about them is still open: log the contact and close it first, "
            "so no one is left without the call they were promised."
        ]
    return []


FOLLOW_UP_NOTE = (
    "Notes written by the people who followed up are included: they are about you, and you have a "
    "right to them. The names of the staff who wrote them are left out."
)

PERSONAL_DATA = Holding(
    covers=(
        "invitation.person",
        "response.person",
        "safeguardinglead.person",
        "safeguardingalert.person",
    ),
    sections=(
        Collector(
            "questionnaires", "Wellbeing questionnaires: invitations, answers and scores", questionnaires
        ),
        Collector("safeguarding", "Safeguarding follow-ups about you", safeguarding, FOLLOW_UP_NOTE),
    ),
    audited=((Invitation, "person"), (Response, "person"), (SafeguardingAlert, "person")),
    deleted=deleted,
    blockers=blockers,
)
