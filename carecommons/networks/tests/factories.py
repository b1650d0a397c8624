"""A small Care Lab network, made through the real services.

organiser (listener) ── listened ── Amira ── introduced ── Bea
                                      │ friend, suggested, attended together
                                    Cal ── attended together ── Bea
Amira ── affiliated ── Library Friends;  Dev is a member with no ties.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
from carecommons.networks import services
from carecommons.networks.models import Snapshot
from carecommons.people.models import Organisation, Person
from carecommons.people.services import add_affiliation, add_relationship, create_organisation
from carecommons.programmes.models import Programme
from carecommons.programmes.services import record_attendance
from carecommons.programmes.tests.factories import make_session, person_of


@dataclass
class Network:
    lab: Programme
    organiser: Person
    amira: Person
    bea: Person
    cal: Person
    dev: Person
    library: Organisation


def make_network(organiser: User, *, name: str = "Riverside Care Lab") -> Network:
    amira, bea = make_person("Amira", "Khan"), make_person("Bea", "Osei")
    cal, dev = make_person("Cal", "Reyes"), make_person("Dev", "Patel")
    lab = make_lab(name, organiser=organiser, members=[amira, bea, cal, dev])
    record_conversation(lab, by=organiser, person=amira, introduced_by=bea, suggested_people=[cal])
    library = create_organisation(by=None, name=f"Library Friends of {name}", kind="grassroots")
    add_affiliation(person=amira, organisation=library, role="volunteer", by=None)
    add_relationship(from_person=amira, to_person=cal, kind="friend", by=None)
    session = make_session(lab.cohorts.get(), starts_at=timezone.now() - timedelta(days=3))
    for person, status in ((amira, "attended"), (bea, "attended"), (cal, "attended"), (dev, "absent")):
        record_attendance(session=session, person=person, status=status, by=None)
    return Network(lab, person_of(organiser), amira, bea, cal, dev, library)


def key(row: Person | Organisation) -> str:
    kind = "person" if isinstance(row, Person) else "organisation"
    return f"{kind}:{row.uuid}"


def snapshot_of(lab: Programme, *, by: User | None = None, days_ago: int = 0) -> Snapshot:
    taken_at = timezone.now() - timedelta(days=days_ago) if days_ago else None
    return services.take_snapshot(lab=lab, by=by, taken_at=taken_at)
