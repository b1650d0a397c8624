"""Writes to ripple maps: rounds and who is invited, ripples and their links, coding, merging and
moving, evidence. Each write is one transaction and is audited; checks that need the whole tree
(no circles, merges within one map) are tree.py's, run on the map as the database holds it under
the programme's row lock, so two people moving ripples at once cannot make a circle between them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets.models import Asset
from carecommons.audit.services import record_event
from carecommons.initiatives.models import Initiative
from carecommons.lib.dates import HAPPENED, PLANNED, check_date
from carecommons.people.access import own_person
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Enrolment, EnrolmentStatus, Programme, Session
from carecommons.programmes.uploads import check_material
from carecommons.ripples import tree
from carecommons.ripples.capitals import CAPITAL_IDS, Intent, Valence, unknown_capitals
from carecommons.ripples.data import map_tree
from carecommons.ripples.models import (
    TEXT_MAX,
    Evidence,
    EvidenceShare,
    InviteeKind,
    MappingRound,
    Ripple,
    RippleLink,
    RoundInvitee,
    SecondCoding,
)

Linked = Person | Organisation | Initiative | Asset
LINK_FIELD = {Person: "person", Organisation: "organisation", Initiative: "initiative", Asset: "asset"}


def _lock(programme: Programme) -> None:
    Programme.objects.select_for_update().filter(pk=programme.pk).first()


# --- Rounds ---------------------------------------------------------------------------------------


@transaction.atomic
def start_round(
    *,
    programme: Programme,
    title: str,
    held_on: date,
    facilitator: Person | None,
    by: User | None,
    session: Session | None = None,
    invitees: Iterable[tuple[Person, str]] = (),
) -> MappingRound:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the round a name, such as “Spring map”."})
    check_date(held_on, PLANNED, field="held_on")
    if session is not None and session.cohort.programme_id != programme.pk:
        raise ValidationError("That session is not one of this programme's.")
    mapping_round = MappingRound.objects.create(
        programme=programme,
        title=title[:200],
        held_on=held_on,
        facilitator=facilitator,
        session=session,
        started_by=by if by is not None and by.is_authenticated else None,
    )
    RoundInvitee.objects.bulk_create(
        [
            RoundInvitee(round=mapping_round, person=person, kind=kind)
            for person, kind in dict(invitees).items()
        ]
    )
    record_event(
        actor=by,
        action="ripples.round_started",
        target=mapping_round,
        detail={"programme": str(programme.uuid), "session": str(session.uuid) if session else ""},
    )
    return mapping_round


def session_people(session: Session) -> list[Person]:
    """Who is invited when a round starts from a session: the cohort's accepted members."""
    ids = Enrolment.objects.filter(cohort_id=session.cohort_id, status=EnrolmentStatus.ACCEPTED).values(
        "person_id"
    )
    return list(Person.objects.filter(pk__in=ids).order_by("sort_key", "id"))


def start_round_from_session(*, session: Session, by: User, title: str = "") -> MappingRound:
    """A round made in the room: the session's programme and day, the person starting it as its
    facilitator, and the cohort's members invited as participants."""
    return start_round(
        programme=session.cohort.programme,
        title=title or f"Ripple map: {session.title}",
        held_on=timezone.localtime(session.starts_at).date(),
        facilitator=own_person(by),
        by=by,
        session=session,
        invitees=[(person, InviteeKind.PARTICIPANT) for person in session_people(session)],
    )


@transaction.atomic
def invite(*, mapping_round: MappingRound, person: Person, kind: str, by: User | None) -> RoundInvitee:
    if kind not in InviteeKind.values:
        raise ValidationError({"kind": "Choose participant or stakeholder."})
    invitee, created = RoundInvitee.objects.get_or_create(
        round=mapping_round, person=person, defaults={"kind": kind}
    )
    if created:
        record_event(
            actor=by,
            action="ripples.person_invited",
            target=mapping_round,
            detail={"person": str(person.uuid)},
        )
    return invitee


@transaction.atomic
def close_round(*, mapping_round: MappingRound, by: User) -> MappingRound:
    if mapping_round.closed_at is None:
        mapping_round.closed_at = timezone.now()
        mapping_round.save(update_fields=["closed_at", "updated_at"])
        record_event(actor=by, action="ripples.round_closed", target=mapping_round)
    return mapping_round


# --- Ripples --------------------------------------------------------------------------------------


def checked_capitals(capitals: Iterable[str], field: str = "capitals") -> list[str]:
    chosen = frozenset(capitals)
    if unknown := unknown_capitals(chosen):
        raise ValidationError({field: f"Not a community capital: {', '.join(unknown)}."})
    return [id for id in CAPITAL_IDS if id in chosen]


@dataclass(frozen=True)
class RippleWords:
    """What a person types for a ripple; the same for adding and for changing one."""

    text: str
    happened_on: date | None = None
    valence: str = Valence.POSITIVE.value
    intent: str = Intent.NOT_KNOWN.value


def _checked(words: RippleWords, *, today: date | None = None) -> RippleWords:
    errors: dict[str, str] = {}
    text = " ".join(words.text.split())
    if not text:
        errors["text"] = "Say what happened, in a few words."
    elif len(text) > TEXT_MAX:
        errors["text"] = f"Keep it to {TEXT_MAX} characters; this is {len(text)}."
    if words.valence not in Valence.__members__.values():
        errors["valence"] = "Choose positive, negative or mixed."
    if words.intent not in Intent.__members__.values():
        errors["intent"] = "Choose intended, unintended or not known."
    if words.happened_on is not None:
        problem = HAPPENED.problem(words.happened_on, today)
        if problem:
            errors["happened_on"] = problem
    if errors:
        raise ValidationError(errors)
    return RippleWords(text, words.happened_on, words.valence, words.intent)


def _checked_parent(mapping_round: MappingRound, parent: Ripple | None) -> None:
    if parent is None:
        return
    if parent.programme_id != mapping_round.programme_id:
        raise ValidationError({"parent": "That ripple is on another programme's map."})
    if parent.merged_into_id is not None:
        raise ValidationError({"parent": "That ripple was merged into another; choose the one it became."})


def _link_rows(ripple: Ripple, links: Iterable[Linked]) -> list[RippleLink]:
    rows, seen = [], set()
    for thing in links:
        field = LINK_FIELD[type(thing)]
        if (field, thing.pk) not in seen:
            seen.add((field, thing.pk))
            rows.append(RippleLink(ripple=ripple, **{field: thing}))
    return rows


@transaction.atomic
def add_ripple(
    *,
    mapping_round: MappingRound,
    words: RippleWords,
    by: User | None,
    parent: Ripple | None = None,
    capitals: Iterable[str] = (),
    named_by: Person | None = None,
    links: Iterable[Linked] = (),
) -> Ripple:
    checked = _checked(words)
    chosen = checked_capitals(capitals)
    _checked_parent(mapping_round, parent)
    coder = own_person(by) if chosen else None
    ripple = Ripple.objects.create(
        programme_id=mapping_round.programme_id,
        round=mapping_round,
        parent=parent,
        text=checked.text,
        happened_on=checked.happened_on,
        valence=checked.valence,
        intent=checked.intent,
        capitals=chosen,
        coded_by=coder,
        named_by=named_by if named_by is not None else own_person(by),
        added_by=by if by is not None and by.is_authenticated else None,
    )
    RippleLink.objects.bulk_create(_link_rows(ripple, links))
    record_event(
        actor=by, action="ripples.ripple_added", target=ripple, detail={"round": str(mapping_round.uuid)}
    )
    return ripple


@transaction.atomic
def change_ripple(
    *, ripple: Ripple, words: RippleWords, by: User, links: Iterable[Linked] | None = None
) -> Ripple:
    checked = _checked(words)
    ripple.text, ripple.happened_on = checked.text, checked.happened_on
    ripple.valence, ripple.intent = checked.valence, checked.intent
    ripple.save(update_fields=["text", "happened_on", "valence", "intent", "updated_at"])
    if links is not None:
        RippleLink.objects.filter(ripple=ripple).delete()
        RippleLink.objects.bulk_create(_link_rows(ripple, links))
    record_event(actor=by, action="ripples.ripple_changed", target=ripple)
    return ripple


@transaction.atomic
def code_ripple(*, ripple: Ripple, capitals: Iterable[str], by: User) -> Ripple:
    """The first coder's capitals (whoever codes it first, or changes that coding)."""
    ripple.capitals = checked_capitals(capitals)
    ripple.coded_by = own_person(by)
    ripple.save(update_fields=["capitals", "coded_by", "updated_at"])
    record_event(actor=by, action="ripples.ripple_coded", target=ripple, detail={"capitals": ripple.capitals})
    return ripple


@transaction.atomic
def second_code(*, ripple: Ripple, capitals: Iterable[str], by: User) -> SecondCoding:
    """A second person's capitals, kept apart from the first coder's; the first coder cannot also
    be the second, or the two codings would agree by construction."""
    coder = own_person(by)
    if coder is None:
        raise ValidationError("Only someone with a person record can code.")
    if ripple.coded_by_id is not None and ripple.coded_by_id == coder.pk:
        raise ValidationError(
            {"capitals": "You coded this ripple first; a second coding must come from someone else."}
        )
    chosen = checked_capitals(capitals)
    coding, _ = SecondCoding.objects.update_or_create(
        ripple=ripple, defaults={"coder": coder, "capitals": chosen}
    )
    record_event(actor=by, action="ripples.ripple_second_coded", target=ripple, detail={"capitals": chosen})
    return coding


@transaction.atomic
def move_ripple(*, ripple: Ripple, new_parent: Ripple | None, by: User) -> Ripple:
    """Hang a ripple (with everything below it) from another ripple of the same map, or from the
    programme itself."""
    _lock(ripple.programme)
    ripple.refresh_from_db()
    if ripple.merged_into_id is not None:
        raise ValidationError("This ripple was merged into another; move the one it became.")
    _checked_parent(ripple.round, new_parent)
    loaded = map_tree(ripple.programme_id)
    problem = tree.can_move(loaded.tree, ripple.pk, new_parent.pk if new_parent else None)
    if problem:
        raise ValidationError({"parent": problem})
    before = ripple.parent_id
    ripple.parent = new_parent
    ripple.save(update_fields=["parent", "updated_at"])
    record_event(
        actor=by,
        action="ripples.ripple_moved",
        target=ripple,
        detail={"from": before, "to": new_parent.pk if new_parent else None},
    )
    return ripple


@transaction.atomic
def merge_ripples(*, keep: Ripple, drop: Ripple, by: User, now: datetime | None = None) -> Ripple:
    """Two people named the same effect: `drop`'s children, links, evidence and capitals move to
    `keep`, and `drop` stays, marked as merged into `keep` and off the map."""
    _lock(keep.programme)
    keep.refresh_from_db()
    drop.refresh_from_db()
    if keep.programme_id != drop.programme_id:
        raise ValidationError("Only ripples on the same map can be merged.")
    loaded = map_tree(keep.programme_id)
    problem = tree.can_merge(loaded.tree, keep.pk, drop.pk)
    if problem:
        raise ValidationError(problem)
    merge = tree.merged(loaded.tree, keep.pk, drop.pk)
    for child, parent in merge.moves.items():
        Ripple.objects.filter(pk=child).update(parent_id=parent, updated_at=timezone.now())
    keep.capitals = checked_capitals(merge.capitals)
    if keep.coded_by_id is None and drop.coded_by_id is not None:
        keep.coded_by_id = drop.coded_by_id
    keep.save(update_fields=["capitals", "coded_by", "updated_at"])
    kept_links = {
        (row.person_id, row.organisation_id, row.initiative_id, row.asset_id)
        for row in RippleLink.objects.filter(ripple=keep)
    }
    for row in RippleLink.objects.filter(ripple=drop):
        if (row.person_id, row.organisation_id, row.initiative_id, row.asset_id) in kept_links:
            row.delete()
        else:
            row.ripple = keep
            row.save(update_fields=["ripple", "updated_at"])
    Evidence.objects.filter(ripple=drop).update(ripple=keep, updated_at=timezone.now())
    drop.merged_into, drop.merged_at = keep, now or timezone.now()
    drop.save(update_fields=["merged_into", "merged_at", "updated_at"])
    record_event(actor=by, action="ripples.ripples_merged", target=keep, detail={"merged": str(drop.uuid)})
    return keep


# --- Evidence -------------------------------------------------------------------------------------


def evidence_max_bytes() -> int:
    return int(settings.RIPPLE_EVIDENCE_MAX_BYTES)


def check_evidence_file(upload: UploadedFile) -> tuple[str | None, str]:
    """(problem in plain words or None, content type) of a file given as evidence."""
    head = upload.read(2048)
    upload.seek(0)
    return check_material(upload.name or "", head, upload.size or 0, evidence_max_bytes())


@transaction.atomic
def add_evidence(
    *,
    ripple: Ripple,
    given_by: Person,
    shared: str,
    by: User | None,
    consented: bool,
    quote: str = "",
    upload: UploadedFile | None = None,
) -> Evidence:
    errors: dict[str, str] = {}
    quote = quote.strip()
    if not consented:
        errors["consented"] = "Evidence is kept only with the consent of the person it comes from."
    if shared not in EvidenceShare.values:
        errors["shared"] = "Choose who may see it."
    if not quote and upload is None:
        errors["quote"] = "Give a quote, a file, or both."
    if len(quote) > Evidence._meta.get_field("quote").max_length:  # type: ignore[operator]
        errors["quote"] = "Keep a quote to 2,000 characters."
    content_type = ""
    if upload is not None:
        problem, content_type = check_evidence_file(upload)
        if problem:
            errors["file"] = problem
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        ripple=ripple,
        round_id=ripple.round_id,
        quote=quote,
        given_by=given_by,
        shared=shared,
        consented_at=timezone.now(),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    if upload is not None:
        evidence.file = upload  # type: ignore[assignment]
        evidence.file_name = (upload.name or "evidence")[:200]
        evidence.content_type, evidence.size = content_type, upload.size or 0
    evidence.save()
    record_event(
        actor=by,
        action="ripples.evidence_added",
        target=ripple,
        detail={"evidence": str(evidence.uuid), "shared": shared, "file": upload is not None},
    )
    return evidence


@transaction.atomic
def withdraw_evidence(*, evidence: Evidence, by: User) -> None:
    """Consent withdrawn (or the evidence was wrong): the row and its file go."""
    ripple, public_id = evidence.ripple, str(evidence.uuid)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    record_event(actor=by, action="ripples.evidence_withdrawn", target=ripple, detail={"evidence": public_id})


def linked_things(
    *,
    people: Sequence[Person] = (),
    organisations: Sequence[Organisation] = (),
    initiatives: Sequence[Initiative] = (),
    assets: Sequence[Asset] = (),
) -> list[Linked]:
    return [*people, *organisations, *initiatives, *assets]
