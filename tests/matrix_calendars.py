"""Expected statuses for the calendars app's URLs (see tests/matrix.py for what each field means)."""

from typing import Any

from carecommons.calendars import services
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import make_cohort, make_session
from tests.matrix import CONVENOR_ONLY, EVERYONE, SIGNED_IN, Case


def revoked_feed_args() -> dict[str, Any]:
    """Someone else's feed, since turned off: the token is the secret, so it is a 404 for everyone."""
    person = create_person(by=None, given_name="Target", family_name="Person")
    feed = services.create_feed(person=person, by=None)
    services.revoke_feed(person=person, by=None)
    return {"token": feed.token}


def session_args() -> dict[str, Any]:
    """A session of a cohort none of the cast belongs to or facilitates."""
    return {"session_id": make_session(make_cohort(name="Elsewhere")).uuid}


MATRIX: dict[str, Case] = {
    "calendars:feed_settings": Case(SIGNED_IN),
    "calendars:feed": Case(EVERYONE, ok=404, anon=404, args=revoked_feed_args),
    "calendars:session_ics": Case(CONVENOR_ONLY, args=session_args),
}
