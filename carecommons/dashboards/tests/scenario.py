"""Cohorts with registers already taken, made through the real services."""

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.people.models import Organisation, Person
from carecommons.people.services import create_organisation, create_person
from carecommons.programmes import services
from carecommons.programmes.models import Cohort, Enrolment, Programme
from carecommons.programmes.tests.factories import make_cohort, make_session

A, P, X = "attended", "apologies", "absent"


def organisation(name: str) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    return existing or create_organisation(by=None, name=name, kind="grassroots")


def cohort_with_registers(
    programme: Programme,
    registers: Sequence[Sequence[str]],
    *,
    name: str,
    facilitator: User | None = None,
    organisations: Sequence[str | None] = (),
    ended: bool = True,
) -> tuple[Cohort, list[Person]]:
    """One accepted person per column of `registers`; row k is the register of curriculum step k+1,
    held weeks ago in order ('' leaves someone unmarked). organisations[i] is person i's organisation.
    The cohort ended yesterday, or, with ended=False, runs for another ten weeks."""
    today = timezone.localdate()
    cohort = make_cohort(
        programme,
        facilitator=facilitator,
        name=name,
        starts_on=today - timedelta(weeks=len(registers) + 1),
        ends_on=today - timedelta(days=1) if ended else today + timedelta(weeks=10),
    )
    people = []
    for i in range(len(registers[0]) if registers else 0):
        person = create_person(by=None, given_name=f"{name} {i + 1}", family_name="Member")
        org_name = organisations[i] if i < len(organisations) else None
        services.enrol_person(
            cohort=cohort, person=person, by=None, organisation=organisation(org_name) if org_name else None
        )
        people.append(person)
    steps = list(programme.curriculum.order_by("position"))
    for k, register in enumerate(registers):
        starts_at = timezone.now() - timedelta(weeks=len(registers) - k)
        session = make_session(cohort, starts_at=starts_at, title=f"Workshop {k + 1}", template=steps[k])
        for person, mark in zip(people, register, strict=True):
            if mark:
                services.record_attendance(session=session, person=person, status=mark, by=None)
    return cohort, people


def add_place(cohort: Cohort, given_name: str, status: str) -> Person:
    person = create_person(by=None, given_name=given_name, family_name="Applicant")
    services.enrol_person(cohort=cohort, person=person, by=None, status=status)
    return person


def withdraw(cohort: Cohort, person: Person) -> None:
    # No service withdraws a place yet (sign-ups will); the dashboard only reads the status.
    Enrolment.objects.filter(cohort=cohort, person=person).update(status="withdrawn")
