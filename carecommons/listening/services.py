"""Writes to conversations and the engagement ladder. Each is one transaction and leaves an audit
event with ids and field names only, never what was said.

Notes (what the person said) are kept only while they have given consent for conversation notes;
without it only the facts are kept: who, when, how, the engagement level and the follow-up date.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.dates import HAPPENED, PLANNED, check_date
from carecommons.listening.models import Conversation, EngagementLevel
from carecommons.people.consent import decision, said_yes
from carecommons.people.models import Consent, ConsentMethod, ConsentPurpose, Person
from carecommons.people.services import create_person, current_wording, record_consent
from carecommons.programmes.models import Programme

NOTE_FIELDS = ("story", "cares_about", "gifts", "concerns", "suggested_contacts", "follow_up")
FACT_FIELDS = (
    "person",
    "listener",
    "introduced_by",
    "held_on",
    "method",
    "engagement",
    "follow_up_owner",
    "follow_up_due",
)
DEFAULT_LADDER = (
    ("Listened to", "We have had a one-to-one conversation."),
    ("Came to a gathering", "They came to a meeting, a session or an action."),
    ("Took on a task", "They did something they offered to do."),
    ("Leads with others", "They lead a piece of work alongside others."),
    ("Organises others", "They listen to others and bring them in."),
)


def conversation_consent(person: Person) -> Consent | None:
    """The person's latest decision about conversation notes, or None if never asked."""
    return decision(person, ConsentPurpose.CONVERSATION)


def give_notes_consent(*, person: Person, by: User) -> Consent:
    """Record that the person agreed, just now, to the current wording about conversation notes."""
    wording = current_wording(ConsentPurpose.CONVERSATION)
    if wording is None:
        raise ValidationError(
            {
                "consent_given": "No wording about conversation notes has been published yet, so "
                "consent cannot be recorded. A convenor can publish one."
            }
        )
    return record_consent(
        person=person, purpose=ConsentPurpose.CONVERSATION, given=True, method=ConsentMethod.VERBAL,
        wording=wording, by=by,
    )  # fmt: skip


def check_dates(held_on: date, follow_up_due: date | None) -> None:
    check_date(held_on, HAPPENED, field="held_on")
    check_date(follow_up_due, PLANNED, field="follow_up_due")


def check_follow_up(owner: Person | None, due: date | None) -> None:
    if owner is not None and due is None:
        raise ValidationError({"follow_up_due": "Give a date for the follow-up, or clear its owner."})
    if due is not None and owner is None:
        raise ValidationError({"follow_up_owner": "Choose who will follow up, or clear the date."})


def resolve_person(
    *, person: Person | None, new_given_name: str, new_family_name: str, new_email: str, by: User
) -> Person:
    if person is not None:
        return person
    if not new_given_name.strip():
        raise ValidationError({"person": "Choose who you listened to, or add them with a first name."})
    return create_person(
        by=by, given_name=new_given_name.strip(), family_name=new_family_name.strip(), email=new_email
    )


@transaction.atomic
def record_conversation(
    *,
    lab: Programme,
    by: User,
    held_on: date,
    method: str,
    listener: Person,
    person: Person | None = None,
    new_given_name: str = "",
    new_family_name: str = "",
    new_email: str = "",
    consent_given: bool = False,
    introduced_by: Person | None = None,
    engagement: EngagementLevel | None = None,
    suggested_people: Iterable[Person] = (),
    follow_up_owner: Person | None = None,
    follow_up_due: date | None = None,
    **notes: str,
) -> Conversation:
    """Record a one-to-one. Pass `person`, or a new person's name (and email) to add them.
    `consent_given` means they agreed just now to notes being kept; it is recorded as their consent
    unless they had already given it. Without current consent the notes are dropped."""
    person = resolve_person(
        person=person, new_given_name=new_given_name, new_family_name=new_family_name,
        new_email=new_email, by=by,
    )  # fmt: skip
    unknown = set(notes) - set(NOTE_FIELDS)
    if unknown:
        raise TypeError(f"Not a note field: {', '.join(sorted(unknown))}")
    check_dates(held_on, follow_up_due)
    check_follow_up(follow_up_owner, follow_up_due)
    check_level(lab, engagement)
    if person == listener:
        raise ValidationError({"listener": "The listener and the person listened to must be different."})
    consent = conversation_consent(person)
    if consent_given and consent is None:
        consent = give_notes_consent(person=person, by=by)
    keep_notes = said_yes(consent)
    conversation = Conversation(
        lab=lab,
        person=person,
        listener=listener,
        introduced_by=introduced_by,
        held_on=held_on,
        method=method,
        engagement=engagement,
        follow_up_owner=follow_up_owner,
        follow_up_due=follow_up_due,
        notes_consented=keep_notes,
        recorded_by=by,
        **({f: (notes.get(f) or "").strip() for f in NOTE_FIELDS} if keep_notes else {}),
    )
    conversation.full_clean(exclude=["recorded_by", "suggested_people"])
    conversation.save()
    if keep_notes:
        conversation.suggested_people.set(suggested_people)
    record_event(
        actor=by,
        action="listening.conversation_recorded",
        target=conversation,
        detail={"person": str(person.uuid), "notes_kept": keep_notes},
    )
    return conversation


@transaction.atomic
def update_conversation(
    *,
    conversation: Conversation,
    by: User,
    consent_given: bool = False,
    suggested_people: Iterable[Person] | None = None,
    **values: Any,
) -> Conversation:
    """Change a conversation's facts and notes. If the person has withdrawn consent (or never gave
    it), the notes are removed, whatever was sent."""
    unknown = set(values) - set(NOTE_FIELDS) - set(FACT_FIELDS) - {"person"}
    if unknown:
        raise TypeError(f"Not a conversation field: {', '.join(sorted(unknown))}")
    values.pop("person", None)  # who was listened to does not change; record another conversation
    merged = {f: values.get(f, getattr(conversation, f)) for f in FACT_FIELDS if f != "person"}
    check_dates(merged["held_on"], merged["follow_up_due"])
    check_follow_up(merged["follow_up_owner"], merged["follow_up_due"])
    check_level(conversation.lab, merged["engagement"])
    consent = conversation_consent(conversation.person)
    if consent_given and consent is None:
        consent = give_notes_consent(person=conversation.person, by=by)
    keep_notes = said_yes(consent)
    changed = [f for f, v in merged.items() if getattr(conversation, f) != v]
    for field, value in merged.items():
        setattr(conversation, field, value)
    for field in NOTE_FIELDS:
        new = (values.get(field, getattr(conversation, field)) or "").strip() if keep_notes else ""
        if new != getattr(conversation, field):
            changed.append(field)
            setattr(conversation, field, new)
    conversation.notes_consented = keep_notes
    conversation.full_clean(exclude=["recorded_by", "suggested_people"])
    conversation.save()
    if suggested_people is not None or not keep_notes:
        people = list(suggested_people or []) if keep_notes else []
        if {p.pk for p in people} != set(conversation.suggested_people.values_list("id", flat=True)):
            changed.append("suggested_people")
            conversation.suggested_people.set(people)
    record_event(
        actor=by,
        action="listening.conversation_updated",
        target=conversation,
        detail={"fields": sorted(set(changed)), "notes_kept": keep_notes},
    )
    return conversation


@transaction.atomic
def mark_follow_up_done(*, conversation: Conversation, by: User) -> Conversation:
    if conversation.follow_up_done_at is None:
        conversation.follow_up_done_at = timezone.now()
        conversation.save(update_fields=["follow_up_done_at", "updated_at"])
        record_event(actor=by, action="listening.follow_up_done", target=conversation)
    return conversation


def check_level(lab: Programme, level: EngagementLevel | None) -> None:
    if level is not None and level.lab_id != lab.pk:
        raise ValidationError({"engagement": "Choose a level from this lab's ladder."})


@transaction.atomic
def ensure_default_ladder(*, lab: Programme, by: User | None) -> list[EngagementLevel]:
    """Give a lab the suggested ladder if it has none yet; return its ladder, lowest first."""
    levels = list(EngagementLevel.objects.select_for_update().filter(lab=lab).order_by("position"))
    if levels:
        return levels
    levels = EngagementLevel.objects.bulk_create(
        EngagementLevel(lab=lab, position=n, name=name, description=description)
        for n, (name, description) in enumerate(DEFAULT_LADDER, start=1)
    )
    record_event(actor=by, action="listening.ladder_started", target=lab, detail={"levels": len(levels)})
    return levels


@transaction.atomic
def add_level(*, lab: Programme, name: str, description: str = "", by: User) -> EngagementLevel:
    last = EngagementLevel.objects.filter(lab=lab).aggregate(last=Max("position"))["last"] or 0
    level = EngagementLevel(lab=lab, position=last + 1, name=name.strip(), description=description.strip())
    level.full_clean()
    level.save()
    record_event(actor=by, action="listening.level_added", target=lab, detail={"level": level.pk})
    return level


@transaction.atomic
def rename_level(*, level: EngagementLevel, name: str, description: str, by: User) -> EngagementLevel:
    level.name, level.description = name.strip(), description.strip()
    level.full_clean()
    level.save(update_fields=["name", "description", "updated_at"])
    record_event(actor=by, action="listening.level_renamed", target=level.lab, detail={"level": level.pk})
    return level


@transaction.atomic
def move_level(*, level: EngagementLevel, up: bool, by: User) -> None:
    """Swap a rung with the one above (up=True: one step higher on the ladder) or below."""
    ladder = EngagementLevel.objects.select_for_update().filter(lab=level.lab_id)
    other = (
        ladder.filter(position__gt=level.position).order_by("position")
        if up
        else ladder.filter(position__lt=level.position).order_by("-position")
    ).first()
    if other is None:
        return
    spare = (ladder.aggregate(last=Max("position"))["last"] or 0) + 1
    mine, theirs = level.position, other.position
    EngagementLevel.objects.filter(pk=level.pk).update(position=spare)
    EngagementLevel.objects.filter(pk=other.pk).update(position=mine)
    EngagementLevel.objects.filter(pk=level.pk).update(position=theirs)
    level.position = theirs
    record_event(actor=by, action="listening.level_moved", target=level.lab, detail={"level": level.pk})


@transaction.atomic
def remove_level(*, level: EngagementLevel, by: User) -> None:
    if level.conversations.exists():
        raise ValidationError("Conversations use this level; move them to another level first.")
    lab, pk = level.lab, level.pk
    level.delete()
    record_event(actor=by, action="listening.level_removed", target=lab, detail={"level": pk})
