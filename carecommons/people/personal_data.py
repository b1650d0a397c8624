"""What the people app holds about a person: their record, links, consents, merges, erasure
requests, and the audit events about any of their rows (decision 0026)."""

from typing import Any

from django.db.models import Q, QuerySet

from carecommons.people.holdings import Collector, Holding, Kept, Row, row
from carecommons.people.models import (
    Affiliation,
    Consent,
    DigestChoice,
    DigestSent,
    ErasureRequest,
    Person,
    PersonMerge,
    Relationship,
)
from carecommons.people.services import PERSON_FIELDS


def record(person: Person) -> list[Row]:
    user = person.user
    return [
        row(
            uuid=person.uuid,
            first_name=person.given_name,
            last_name=person.family_name,
            preferred_name=person.preferred_name,
            pronouns=person.pronouns,
            email=person.email,
            phone=person.phone,
            postal_address=person.postal_address,
            preferred_language=person.preferred_language,
            accessibility_needs=person.accessibility_needs,
            tags=sorted(person.tags.values_list("name", flat=True)),
            account_email=user.email if user else "",
            account_roles=sorted(user.roles) if user else [],
            account_since=user.date_joined if user else None,
            last_signed_in=user.last_login if user else None,
            added_on=person.created_at,
        )
    ]


def affiliations(person: Person) -> list[Row]:
    return [
        row(organisation=a.organisation.name, role=a.role, started_on=a.started_on, ended_on=a.ended_on)
        for a in person.affiliations.select_related("organisation")
    ]


def relationships(person: Person) -> list[Row]:
    out = [
        row(
            who=r.to_person.display_name,
            relationship=r.get_kind_display(),
            recorded_as="you to them",
            note=r.note,
        )
        for r in person.relationships_out.select_related("to_person")
    ]
    back = [
        row(
            who=r.from_person.display_name,
            relationship=r.get_kind_display(),
            recorded_as="them to you",
            note=r.note,
        )
        for r in person.relationships_in.select_related("from_person")
    ]
    return out + back


def consents(person: Person) -> list[Row]:
    return [
        row(
            purpose=c.get_purpose_display(),
            partner=c.partner.name if c.partner else "",
            decision="given" if c.given else "withdrawn",
            how=c.get_method_display(),
            decided_at=c.decided_at,
            wording_version=c.wording.version,
            wording=c.wording.text,
        )
        for c in Consent.objects.filter(person=person).select_related("wording", "partner")
    ]


MERGED_FIELDS = (*PERSON_FIELDS, "tags")


def merges(person: Person) -> list[Row]:
    return [
        row(
            merged_on=m.created_at,
            record_merged_in={k: v for k, v in m.absorbed_fields.items() if k in MERGED_FIELDS},
            rows_set_aside=len(m.set_aside),
        )
        for m in person.merges.all()
    ]


def audit(person: Person) -> list[Row]:
    from carecommons.people.own_data import actor_words, audit_events

    return [
        row(
            at=e.at,
            action=e.action,
            by=actor_words(e.actor),
            about=f"{e.target_type} {e.target_id}".strip(),
            detail=e.detail,
        )
        for e in audit_events(person).select_related("actor").order_by("at", "id")
    ]


def erasure_requests(person: Person) -> list[Row]:
    return [
        row(
            requested_at=r.requested_at, status=r.get_status_display(), erased_at=r.erased_at, reason=r.reason
        )
        for r in ErasureRequest.objects.filter(person=person)
    ]


def digests(person: Person) -> list[Row]:
    choice = DigestChoice.objects.filter(person=person).first()
    rows = [row(daily_digest="yes" if choice is None or choice.daily else "no")]
    return rows + [row(digest_sent_on=d.day, items=d.items) for d in DigestSent.objects.filter(person=person)]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("daily digest choice", DigestChoice.objects.filter(person=person)),
        ("days a digest was emailed", DigestSent.objects.filter(person=person)),
        ("consent decisions", Consent.objects.filter(person=person)),
        ("organisation links", Affiliation.objects.filter(person=person)),
        ("relationships", Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))),
        ("records merged into yours", PersonMerge.objects.filter(survivor=person)),
    ]


def audit_event_count(person: Person) -> int:
    from carecommons.people.own_data import audit_events

    return audit_events(person).count()


PERSON_REASON = (
    "Your record stays as the pseudonym, with every personal detail blank, so that what must be "
    "kept still balances, and as the record that your data was erased."
)
AUDIT_REASON = (
    "The audit log records who saw or changed personal data, to protect everyone in it, and can "
    "never be changed. It holds only the ids of records and accounts, never your name, email, "
    "answers or notes; your closed account and your record keep their ids under the pseudonym."
)

PERSONAL_DATA = Holding(
    covers=(
        "affiliation.person",
        "relationship.from_person",
        "relationship.to_person",
        "consent.person",
        "personmerge.survivor",
        "erasurerequest.person",
        "searchterm.person",
        "digestchoice.person",
        "digestsent.person",
    ),
    sections=(
        Collector("record", "Your record", record),
        Collector("affiliations", "Organisations you are part of", affiliations),
        Collector("relationships", "People you are connected to", relationships),
        Collector(
            "consents",
            "Your consent decisions",
            consents,
            "Every decision, newest first, with the words you were shown.",
        ),
        Collector("merges", "Records merged into yours", merges),
        Collector(
            "audit",
            "Who looked at or changed your record",
            audit,
            "Includes what you did yourself while signed in.",
        ),
        Collector("erasure", "Requests to erase your data", erasure_requests),
        Collector("digests", "Your daily digest", digests, "Your choice, and the days a digest was emailed."),
    ),
    deleted=deleted,
    kept=(
        Kept("person", "your record, as the pseudonym", lambda person: 1, PERSON_REASON),
        Kept("audit_events", "audit events", audit_event_count, AUDIT_REASON),
    ),
)
