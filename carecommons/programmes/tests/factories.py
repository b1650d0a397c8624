"""Programme fixtures, made through the real services."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.people.models import Person
from carecommons.people.services import create_person
from carecommons.programmes import services
from carecommons.programmes.models import IN_PERSON_MODES, Cohort, Enrolment, Programme, Session, SessionMode


def make_programme(name: str = "Radical Self-Care", *, workshops: int = 8) -> Programme:
    programme = services.create_programme(by=None, name=name, description="Eight workshops on self-care.")
    for n in range(1, workshops + 1):
        services.add_session_template(programme=programme, by=None, title=f"Workshop {n}", aims=f"Aim {n}")
    return programme


def make_cohort(
    programme: Programme | None = None,
    *,
    facilitator: User | None = None,
    capacity: int = 30,
    name: str = "Cohort 1",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Cohort:
    programme = programme or make_programme()
    start = starts_on or timezone.localdate()
    cohort = services.create_cohort(
        programme=programme,
        by=None,
        name=name,
        starts_on=start,
        ends_on=ends_on or start + timedelta(days=70),
        capacity=capacity,
    )
    if facilitator is not None:
        services.add_facilitator(
            cohort=cohort, person=person_of(facilitator), lived_experience_leader=False, by=None
        )
    return cohort


def person_of(user: User) -> Person:
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = create_person(by=None, given_name=user.email.split("@")[0].title(), email=user.email)
        Person.objects.filter(pk=person.pk).update(user=user)
        person.refresh_from_db()
    return person


def enrol(cohort: Cohort, who: User | Person, status: str = "accepted") -> Enrolment:
    person = who if isinstance(who, Person) else person_of(who)
    return services.enrol_person(cohort=cohort, person=person, by=None, status=status)


def make_session(
    cohort: Cohort, *, starts_at: datetime | None = None, title: str = "Workshop 1", **extra: object
) -> Session:
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    if extra.get("mode", SessionMode.IN_PERSON) in IN_PERSON_MODES:
        extra.setdefault("location", "Community hall")  # a session in person needs a place
    return services.schedule_session(
        cohort=cohort,
        by=None,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **extra,  # type: ignore[arg-type]
    )
