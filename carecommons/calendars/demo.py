"""Demo data for calendars: a feed address for the people given (called by the demo loader)."""

from collections.abc import Iterable

from carecommons.calendars.services import create_feed
from carecommons.people.models import Person


def load(*, people: Iterable[Person]) -> None:
    for person in people:
        create_feed(person=person, by=None)
