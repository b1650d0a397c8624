"""The daily digest: at most one email per person per day, sent by the worker (issue 13 point 6).

Apps that have news for a person declare a `DIGEST = DigestSource(...)` in their `digest.py`
(found through lib/plugins, decision 0026), so `people` never imports the apps above it:
- `waiting()` answers the ids of people with news not yet taken;
- `take(person, day)` marks that person's news as taken on that day and returns it as items. It
  runs inside the sending transaction, so if the email cannot be sent nothing is marked and the
  next run tries again;
- `prepare(now)`, if given, brings the news up to date before people are queued.

A person gets the digest only if their choice is daily (the default) and they have consented to
be contacted; otherwise their news is taken and dropped, so it does not pile up and arrive stale
when they later say yes. `DigestSent` is unique per person and day, and the person's row is locked
while their digest is made, so two workers, a retry or a second run that day send nothing more.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.email import send
from carecommons.lib.plugins import declared
from carecommons.lib.urls import absolute_url
from carecommons.people.consent import has_consented
from carecommons.people.models import ConsentPurpose, DigestChoice, DigestSent, Person


@dataclass(frozen=True)
class DigestItem:
    heading: str  # what the news is about, e.g. the group's name
    text: str  # one line, plain text
    path: str  # where to read more, from reverse()


@dataclass(frozen=True)
class DigestSource:
    waiting: Callable[[], Iterable[int]]
    take: Callable[[Person, date], list[DigestItem]]
    # Brings the source's news up to date before people are queued (e.g. "closes within a day").
    prepare: Callable[[datetime], object] | None = None


def sources() -> list[DigestSource]:
    return [source for _app, source in declared("digest", "DIGEST")]


def digest_daily(person: Person) -> bool:
    """Their choice; no row means daily."""
    choice = DigestChoice.objects.filter(person=person).values_list("daily", flat=True).first()
    return choice is None or choice


def wants_digest(person: Person) -> bool:
    return (
        digest_daily(person) and bool(person.mail_address) and has_consented(person, ConsentPurpose.CONTACT)
    )


def send_digest(person_id: int, day: date) -> int:
    """The person's digest for that day, if there is news and they want it: 1 if sent, else 0."""
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None or DigestSent.objects.filter(person=person, day=day).exists():
            return 0
        items = [item for source in sources() for item in source.take(person, day)]
        if not items or not wants_digest(person):
            return 0
        DigestSent.objects.create(person=person, day=day, items=len(items))
        headings: dict[str, list[DigestItem]] = {}
        for item in items:
            headings.setdefault(item.heading, []).append(item)
        send(
            to=person.mail_address,
            subject=f"Your groups today: {len(items)} {'item' if len(items) == 1 else 'items'}",
            text_template="people/emails/digest.txt",
            context={
                "person": person,
                "day": day,
                "headings": [
                    (heading, [{"text": i.text, "link": absolute_url(i.path)} for i in group])
                    for heading, group in sorted(headings.items())
                ],
            },
            links={"choices_link": reverse("people:own_consent", kwargs={"person_id": person.uuid})},
        )
        record_event(
            actor=None, action="person.digest_sent", target=person, detail={"items": str(len(items))}
        )
        return 1


def people_waiting() -> list[int]:
    ids: set[int] = set()
    for source in sources():
        ids.update(source.waiting())
    return sorted(ids)


def queue_digests(now: datetime) -> int:
    """Queue one task per person with news; the worker sends them. Returns how many were queued."""
    from carecommons.people.tasks import send_daily_digest

    for source in sources():
        if source.prepare is not None:
            source.prepare(now)
    day = timezone.localdate(now)
    waiting = people_waiting()
    for person_id in waiting:
        send_daily_digest.enqueue(person_id, day.isoformat())
    return len(waiting)


@transaction.atomic
def set_digest_choice(*, person: Person, daily: bool, by: User | None) -> bool:
    """Record the person's choice; True if it changed (no row already means daily)."""
    choice = DigestChoice.objects.select_for_update().filter(person=person).first()
    if (choice.daily if choice is not None else True) == daily:
        return False
    if choice is None:
        DigestChoice.objects.create(person=person, daily=daily)
    else:
        choice.daily = daily
        choice.save(update_fields=["daily", "updated_at"])
    record_event(
        actor=by,
        action="person.digest_choice_changed",
        target=person,
        detail={"daily": "yes" if daily else "no"},
    )
    return True
