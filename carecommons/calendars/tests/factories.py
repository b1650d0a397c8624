"""Calendar test helpers: cohort members who did or did not agree to be contacted, and an .ics reader."""

from carecommons.accounts.models import User
from carecommons.calendars.ics import unfold
from carecommons.people import services
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import enrol, person_of


def contact_consent(who: User | Person, *, given: bool = True) -> Person:
    person = who if isinstance(who, Person) else person_of(who)
    wording = services.publish_wording(purpose="contact", text="You may contact me about sessions.", by=None)
    services.record_consent(
        person=person, purpose="contact", given=given, method="online", wording=wording, by=None
    )
    return person


def member(cohort: Cohort, name: str, *, consents: bool = True, status: str = "accepted") -> Person:
    person = services.create_person(
        by=None, given_name=name, family_name="Member", email=f"{name.lower()}@example.org"
    )
    enrol(cohort, person, status=status)
    if consents:
        contact_consent(person)
    return person


def parse(text: str) -> list[dict[str, str]]:
    """A tiny iCalendar reader for tests: each VEVENT as {property name: value}."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name.split(";")[0]] = value
    assert current is None
    return found
