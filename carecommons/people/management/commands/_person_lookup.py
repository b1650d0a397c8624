"""Finding the person a command names, by email address or by id."""

from uuid import UUID

from django.core.management.base import CommandError

from carecommons.people.models import Person


def person_named(who: str) -> Person:
    try:
        people = Person.objects.filter(uuid=UUID(who.strip()))
    except ValueError:
        people = Person.objects.filter(email=who.strip().lower())
    found = list(people[:5])
    if not found:
        raise CommandError(f"No one in Care Commons matches {who}.")
    if len(found) > 1:
        ids = ", ".join(str(p.uuid) for p in found)
        raise CommandError(f"More than one person has that email address; give one of their ids: {ids}")
    return found[0]
