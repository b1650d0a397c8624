"""The one rule for consent, for every app to call.

A person has consented to a purpose (for sharing: with a named partner) when their latest decision
for it is a yes. Never asked is not a yes. Of two decisions made at the same moment, the one
recorded later counts. The queries are `Consent.objects.decided_now` and `.given_now`; these are
the forms the other apps need: a yes or no for one person, the decision itself when a page shows
it, and `Exists` expressions for queries over rows that name a person.
"""

from django.db.models import Exists, OuterRef

from carecommons.people.models import Consent, ConsentPurpose, Organisation, Person


def decision(person: Person | int, purpose: str, *, partner: Organisation | None = None) -> Consent | None:
    """What the person decided last about `purpose`, with its wording; None if never asked."""
    return (
        Consent.objects.filter(person=person)
        .decided_now(purpose, partner=partner)
        .select_related("wording")
        .first()
    )


def decisions(person: Person) -> dict[str, Consent]:
    """The person's latest decision for each purpose they have been asked about, sharing aside
    (which is decided per partner). One query."""
    rows = Consent.objects.filter(person=person).exclude(purpose=ConsentPurpose.SHARING).current()
    return {consent.purpose: consent for consent in rows}


def said_yes(decision: Consent | None) -> bool:
    """The rule applied to a decision already loaded: nothing decided is not a yes."""
    return decision is not None and decision.given


def has_consented(person: Person | int, purpose: str, *, partner: Organisation | None = None) -> bool:
    return Consent.objects.filter(person=person).given_now(purpose, partner=partner).exists()


def consented(purpose: str, *, of: str, partner: Organisation | None = None) -> Exists:
    """For a query over rows naming a person (`of` is the path to it, "pk" for Person itself):
    has that person consented to `purpose` right now?"""
    return Exists(Consent.objects.given_now(purpose, partner=partner).filter(person=OuterRef(of)))


def decided(purpose: str, *, of: str) -> Exists:
    """For a query over rows naming a person: have they ever been asked about `purpose`, whatever
    they said? (Any decision at all: the latest one need not be found to know there is one.)"""
    return Exists(Consent.objects.filter(purpose=purpose, person=OuterRef(of)))
