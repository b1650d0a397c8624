"""Finding the host a command names."""

from uuid import UUID

from django.core.management.base import CommandError

from carecommons.finances.models import Host


def host_named(value: str) -> Host:
    """A host by its id (as in the address of its page) or its exact name."""
    try:
        host = Host.objects.filter(uuid=UUID(value)).first()
    except ValueError:
        host = Host.objects.filter(name=value).first()
    if host is None:
        raise CommandError(f"No host {value!r} here: give its name or the id in the address of its page.")
    return host
