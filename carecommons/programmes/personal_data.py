"""What programmes hold about a person: applications, facilitator places, attendance (decision 0026)."""

from typing import Any

from django.db.models import QuerySet

from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person
from carecommons.programmes.models import Attendance, CohortFacilitator, Enrolment, Session, SignupQuestion


def enrolments(person: Person) -> list[Row]:
    rows = list(Enrolment.objects.filter(person=person).select_related("cohort__programme", "organisation"))
    questions = {
        str(q.pk): q.text for q in SignupQuestion.objects.filter(cohort__in=[e.cohort_id for e in rows])
    }
    return [
        row(
            programme=e.cohort.programme.name,
            cohort=e.cohort.name,
            status=e.get_status_display(),
            organisation=e.organisation.name if e.organisation else "",
            access_needs=e.access_needs,
            answers={questions.get(k, k): v for k, v in e.answers.items()},
            details_typed_on_the_form=e.submitted,
            applied_at=e.applied_at,
            decided_at=e.decided_at,
        )
        for e in rows
    ]


def facilitation(person: Person) -> list[Row]:
    return [
        row(cohort=str(link.cohort), lived_experience_leader=link.lived_experience_leader)
        for link in CohortFacilitator.objects.filter(person=person).select_related("cohort__programme")
    ]


def attendance(person: Person) -> list[Row]:
    return [
        row(
            session=a.session.title, starts_at=a.session.starts_at, status=a.get_status_display(), late=a.late
        )
        for a in Attendance.objects.filter(person=person).select_related("session")
    ]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("applications and sign-up answers", Enrolment.objects.filter(person=person)),
        ("attendance marks", Attendance.objects.filter(person=person)),
        ("facilitator places", CohortFacilitator.objects.filter(person=person)),
    ]


def unlink(person: Person, erasing: Erasing) -> None:
    Session.facilitators.through.objects.filter(person_id=person.pk).delete()


PERSONAL_DATA = Holding(
    covers=(
        "enrolment.person",
        "cohortfacilitator.person",
        "cohort.facilitators",
        "attendance.person",
        "session.facilitators",
    ),
    sections=(
        Collector("enrolments", "Programmes you applied to, and your sign-up answers", enrolments),
        Collector("facilitation", "Cohorts you facilitate", facilitation),
        Collector("attendance", "Sessions you attended", attendance),
    ),
    audited=((Enrolment, "person"),),
    deleted=deleted,
    unlink=unlink,
)
