"""What ripple maps hold about a person: the rounds they were invited to or facilitated, the
ripples they named or coded, the ripples that name them as someone affected, and the evidence they
gave (decision 0026).

Erasure deletes the evidence they gave, with its files, the links that name them as affected,
their invitations to rounds, and any evidence file kept for them from a form they had not finished
(lib/kept_files.py). The ripples they named or coded and the rounds they facilitated are
the programme's map, which others built on: they stay, no longer linked to the person, and any
mention of their name in a ripple's words is reworded by the erasure itself, as everywhere.
"""

from typing import Any

from django.db.models import QuerySet

from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person
from carecommons.ripples.models import (
    Evidence,
    KeptEvidence,
    MappingRound,
    Ripple,
    RippleLink,
    RoundInvitee,
    SecondCoding,
)


def round_words(mapping_round: MappingRound) -> dict[str, Any]:
    return {"round": mapping_round.title, "held_on": mapping_round.held_on}


def ripples(person: Person) -> list[Row]:
    invited = [
        row(programme=i.round.programme.name, **round_words(i.round), invited_as=i.get_kind_display())
        for i in RoundInvitee.objects.filter(person=person).select_related("round__programme")
    ]
    facilitated = [
        row(programme=r.programme.name, **round_words(r), facilitated=True)
        for r in MappingRound.objects.filter(facilitator=person).select_related("programme")
    ]
    named = [
        row(ripple=r.text, happened_on=r.happened_on, named_in=r.round.title, held_on=r.round.held_on)
        for r in Ripple.objects.filter(named_by=person).select_related("round")
    ]
    coded = [
        row(ripple=r.text, capitals_you_coded=r.capitals)
        for r in Ripple.objects.filter(coded_by=person).only("text", "capitals")
    ]
    second = [
        row(ripple=c.ripple.text, capitals_you_coded_second=c.capitals)
        for c in SecondCoding.objects.filter(coder=person).select_related("ripple")
    ]
    affected = [
        row(ripple_that_affected_you=link.ripple.text)
        for link in RippleLink.objects.filter(person=person).select_related("ripple")
    ]
    evidence = [
        row(
            evidence_for=e.ripple.text,
            given_in=e.round.title,
            quote=e.quote,
            file=e.file_name,
            shared=e.get_shared_display(),
            consented_at=e.consented_at,
        )
        for e in Evidence.objects.filter(given_by=person).select_related("ripple", "round")
    ]
    return invited + facilitated + named + coded + second + affected + evidence


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    # Files go with their rows: erasure deletes every file field's file once committed.
    return [
        ("evidence you gave for ripples, with its files", Evidence.objects.filter(given_by=person)),
        ("links naming you as affected by a ripple", RippleLink.objects.filter(person=person)),
        ("invitations to ripple mapping rounds", RoundInvitee.objects.filter(person=person)),
        (
            "evidence files kept from a form you had not finished",
            KeptEvidence.objects.filter(user__person=person),
        ),
    ]


def unlink(person: Person, erasing: Erasing) -> None:
    Ripple.objects.filter(named_by=person).update(named_by=None)
    Ripple.objects.filter(coded_by=person).update(coded_by=None)
    SecondCoding.objects.filter(coder=person).update(coder=None)
    MappingRound.objects.filter(facilitator=person).update(facilitator=None)


PERSONAL_DATA = Holding(
    covers=(
        "mappinground.facilitator",
        "roundinvitee.person",
        "ripple.coded_by",
        "ripple.named_by",
        "secondcoding.coder",
        "ripplelink.person",
        "evidence.given_by",
    ),
    sections=(
        Collector(
            "ripples",
            "Ripple maps: rounds you were in, ripples you named or coded, evidence you gave",
            ripples,
            "Ripples you named stay on the programme's map when your data is erased, without your name.",
        ),
    ),
    audited=((MappingRound, "facilitator"), (Ripple, "named_by"), (Ripple, "evidence__given_by")),
    deleted=deleted,
    unlink=unlink,
)
