"""Ripple map fixtures, made through the real services."""

from collections.abc import Callable
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.programmes.models import Programme
from carecommons.programmes.tests.factories import enrol, make_cohort, make_programme, make_session, person_of
from carecommons.ripples import services
from carecommons.ripples.models import Evidence, InviteeKind, MappingRound, Ripple
from carecommons.ripples.services import RippleWords

Clients = Callable[[User], Client]
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def url(name: str, *args: object) -> str:
    return reverse(f"ripples:{name}", args=args)


def statuses(client_for: Clients, users: dict[str, User], address: str) -> dict[str, int]:
    return {name: client_for(user).get(address).status_code for name, user in users.items()}


def make_round(
    facilitator: User,
    *invited: User,
    programme: Programme | None = None,
    held_on: date | None = None,
    title: str = "Spring map",
) -> MappingRound:
    """A round of a programme whose cohort `facilitator` runs, from one of its sessions, with
    `invited` enrolled in the cohort (so invited as participants)."""
    programme = programme or make_programme("Radical Caring", workshops=1)
    cohort = make_cohort(programme, facilitator=facilitator)
    for user in invited:
        enrol(cohort, user)
    session = make_session(cohort)
    mapping_round = services.start_round_from_session(session=session, by=facilitator, title=title)
    if held_on is not None:
        MappingRound.objects.filter(pk=mapping_round.pk).update(held_on=held_on)
        mapping_round.refresh_from_db()
    return mapping_round


def invite(mapping_round: MappingRound, user: User, kind: str = InviteeKind.PARTICIPANT) -> None:
    services.invite(mapping_round=mapping_round, person=person_of(user), kind=kind, by=None)


def ripple(
    mapping_round: MappingRound,
    by: User,
    text: str = "People kept meeting after the course",
    *,
    parent: Ripple | None = None,
    capitals: tuple[str, ...] = ("social",),
    valence: str = "positive",
    happened_on: date | None = None,
) -> Ripple:
    return services.add_ripple(
        mapping_round=mapping_round,
        words=RippleWords(text=text, happened_on=happened_on, valence=valence),
        by=by,
        parent=parent,
        capitals=capitals,
    )


def give(
    target: Ripple,
    by: User,
    giver: User,
    quote: str,
    shared: str,
    upload: bytes | None = None,
    *,
    file_name: str = "photo.pdf",
) -> Evidence:
    """Evidence `giver` gave for `target`, with their consent, recorded by `by`."""
    return services.add_evidence(
        ripple=target,
        given_by=person_of(giver),
        shared=shared,
        by=by,
        consented=True,
        quote=quote,
        upload=SimpleUploadedFile(file_name, upload, content_type="application/pdf") if upload else None,
    )
