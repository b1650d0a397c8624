"""Care Lab and conversation fixtures, made through the real services."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.listening import services
from carecommons.listening.models import Conversation, ConversationMethod
from carecommons.people.models import ConsentPurpose, ConsentWording, Person
from carecommons.people.services import create_person, current_wording, publish_wording
from carecommons.programmes.models import Programme
from carecommons.programmes.services import create_programme
from carecommons.programmes.tests.factories import enrol, make_cohort, person_of

CONVERSATION_WORDING = "You agree that the organiser may keep notes of what you tell them, kept private."


def conversation_wording() -> ConsentWording:
    return current_wording(ConsentPurpose.CONVERSATION) or publish_wording(
        purpose=ConsentPurpose.CONVERSATION, text=CONVERSATION_WORDING, by=None
    )


def make_lab(
    name: str = "Riverside Care Lab",
    *,
    organiser: User | None = None,
    members: Sequence[User | Person] = (),
    ladder: bool = True,
) -> Programme:
    """A Care Lab with one cohort. `organiser` facilitates that cohort (so organises the lab if they
    have the organiser role); `members` are accepted into it; `ladder` adds the default ladder."""
    lab = create_programme(by=None, name=name, description="Community organising.", kind="care_lab")
    cohort = make_cohort(lab, facilitator=organiser, name=f"{name} members")
    for member in members:
        enrol(cohort, member)
    if ladder:
        services.ensure_default_ladder(lab=lab, by=None)
    return lab


def make_person(given_name: str = "Amira", family_name: str = "Khan", **values: Any) -> Person:
    return create_person(by=None, given_name=given_name, family_name=family_name, **values)


def record_conversation(
    lab: Programme,
    *,
    by: User,
    person: Person | None = None,
    listener: Person | None = None,
    consent: bool = True,
    held_on: date | None = None,
    method: str = ConversationMethod.IN_PERSON,
    **values: Any,
) -> Conversation:
    """A conversation recorded by `by` (listener defaults to their person, the person to a new one).
    consent=True records their consent to notes (publishing a wording if none exists yet)."""
    if consent:
        conversation_wording()
    return services.record_conversation(
        lab=lab,
        by=by,
        person=person or make_person(),
        listener=listener or person_of(by),
        held_on=held_on or timezone.localdate(),
        method=method,
        consent_given=consent,
        **values,
    )
