"""Writes to the directory. Each is one transaction and leaves an audit event."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account, grant_role, revoke_role
from carecommons.audit.services import record_event
from carecommons.lib.dates import EARLIEST_BIRTH, HAPPENED, PLANNED, DateBounds, check_date
from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.search_terms import fold, terms_for
from carecommons.people.models import (
    Affiliation,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ConsentWording,
    Organisation,
    Person,
    PersonMerge,
    Relationship,
    SearchTerm,
    Tag,
)

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "postal_address",
    "preferred_language",
    "accessibility_needs",
)
ORGANISATION_FIELDS = ("name", "kind", "area", "website", "email", "phone", "description")


def person_sort_key(person: Person) -> str:
    return f"{fold(person.family_name)} {fold(person.preferred_name or person.given_name)}"[:210]


def search_terms_of(person: Person, organisation_names: Iterable[str]) -> set[str]:
    domain = person.email.rpartition("@")[2] if "@" in person.email else ""
    return terms_for(
        person.given_name,
        person.family_name,
        person.preferred_name,
        person.email,
        domain,
        *organisation_names,
    )


_pending_reindex: ContextVar[set[int] | None] = ContextVar("pending_reindex", default=None)


@contextmanager
def reindex_once() -> Iterator[None]:
    """Inside this block search keys are rebuilt once, at the end, instead of after every write
    (bulk imports). If the block fails nothing is rebuilt: its transaction is rolled back anyway."""
    pending: set[int] = set()
    token = _pending_reindex.set(pending)
    try:
        yield
    finally:
        _pending_reindex.reset(token)
    ids = sorted(pending)
    for start in range(0, len(ids), 1000):
        reindex_people(ids[start : start + 1000])


def reindex_people(person_ids: Iterable[int]) -> None:
    pending = _pending_reindex.get()
    if pending is not None:
        pending.update(person_ids)
        return
    ids = list(person_ids)
    names: dict[int, list[str]] = {pid: [] for pid in ids}
    for person_id, name in Affiliation.objects.filter(person_id__in=ids).values_list(
        "person_id", "organisation__name"
    ):
        names[person_id].append(name)
    SearchTerm.objects.filter(person_id__in=ids).delete()
    rows = [
        SearchTerm(person_id=person.pk, term=term)
        for person in Person.objects.filter(id__in=ids)
        for term in search_terms_of(person, names[person.pk])
    ]
    SearchTerm.objects.bulk_create(rows, batch_size=2000)


def set_tags(obj: Person | Organisation, names: Iterable[str]) -> None:
    cleaned = sorted({name.strip() for name in names if name.strip()})
    if not cleaned and not obj.pk:
        return
    tags = list(Tag.objects.filter(name__in=cleaned))
    known = {tag.name for tag in tags}
    tags += [Tag.objects.get_or_create(name=name)[0] for name in cleaned if name not in known]
    obj.tags.set(tags)


def changed_fields(obj: models.Model, values: dict[str, Any], fields: Iterable[str]) -> list[str]:
    return [f for f in fields if f in values and getattr(obj, f) != values[f]]


@transaction.atomic
def create_person(*, by: User | None, tags: Iterable[str] = (), **values: Any) -> Person:
    person = Person(**{f: values[f] for f in PERSON_FIELDS if f in values})
    person.email = person.email.strip().lower()
    person.sort_key = person_sort_key(person)
    person.full_clean(exclude=["sort_key", "user", "uuid"], validate_unique=False)
    person.save()
    set_tags(person, tags)
    reindex_people([person.pk])
    record_event(actor=by, action="person.created", target=person)
    return person


@transaction.atomic
def update_person(
    *, person: Person, by: User | None, tags: Iterable[str] | None = None, **values: Any
) -> Person:
    if "email" in values:
        values["email"] = values["email"].strip().lower()
    changed = changed_fields(person, values, PERSON_FIELDS)
    for field in changed:
        setattr(person, field, values[field])
    person.sort_key = person_sort_key(person)
    person.full_clean(exclude=["sort_key", "user"])
    person.save()
    if tags is not None:
        before = set(person.tags.values_list("name", flat=True))
        set_tags(person, tags)
        if before != set(person.tags.values_list("name", flat=True)):
            changed.append("tags")
    reindex_people([person.pk])
    if changed:
        record_event(actor=by, action="person.updated", target=person, detail={"fields": changed})
    return person


def organisation_name_key(name: str) -> str:
    return fold(name) or name.strip().lower()


@transaction.atomic
def create_organisation(*, by: User | None, tags: Iterable[str] = (), **values: Any) -> Organisation:
    org = Organisation(**{f: values[f] for f in ORGANISATION_FIELDS if f in values})
    org.name = org.name.strip()
    org.name_key = organisation_name_key(org.name)
    org.full_clean(exclude=["name_key"])
    if Organisation.objects.filter(name_key=org.name_key).exists():
        raise ValidationError({"name": "An organisation with this name already exists."})
    org.save()
    set_tags(org, tags)
    record_event(actor=by, action="organisation.created", target=org)
    return org


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, by: User | None, tags: Iterable[str] | None = None, **values: Any
) -> Organisation:
    changed = changed_fields(organisation, values, ORGANISATION_FIELDS)
    for field in changed:
        setattr(organisation, field, values[field])
    organisation.name_key = organisation_name_key(organisation.name)
    organisation.full_clean(exclude=["name_key"])
    clash = Organisation.objects.filter(name_key=organisation.name_key).exclude(pk=organisation.pk)
    if clash.exists():
        raise ValidationError({"name": "An organisation with this name already exists."})
    organisation.save()
    if tags is not None:
        set_tags(organisation, tags)
    if "name" in changed:
        from carecommons.people.tasks import reindex_organisation_people

        org_id = organisation.pk
        transaction.on_commit(lambda: reindex_organisation_people.enqueue(org_id))
    if changed:
        record_event(actor=by, action="organisation.updated", target=organisation, detail={"fields": changed})
    return organisation


# A person may have belonged to an organisation since long before this project, and may be due to
# join or leave one soon: from 1900 to as far ahead as anything planned.
AFFILIATION_DATES = DateBounds(earliest=EARLIEST_BIRTH, days_ahead=PLANNED.days_ahead)


@transaction.atomic
def add_affiliation(
    *, person: Person, organisation: Organisation, role: str, by: User | None, **dates: Any
) -> Affiliation:
    affiliation = Affiliation(person=person, organisation=organisation, role=role.strip(), **dates)
    affiliation.clean_fields(exclude=["person", "organisation"])
    start, end = affiliation.started_on, affiliation.ended_on
    check_date(start, AFFILIATION_DATES, field="started_on")
    check_date(end, AFFILIATION_DATES, field="ended_on")
    if start and end and end < start:
        raise ValidationError({"ended_on": "The end date must be on or after the start date."})
    try:
        with transaction.atomic():
            affiliation.save()
    except IntegrityError:
        raise ValidationError({"role": "They already have this role in this organisation."}) from None
    reindex_people([person.pk])
    record_event(
        actor=by,
        action="person.affiliation_added",
        target=person,
        detail={"organisation": str(organisation.uuid)},
    )
    return affiliation


@transaction.atomic
def remove_affiliation(*, affiliation: Affiliation, by: User | None) -> None:
    person = affiliation.person
    org_uuid = str(affiliation.organisation.uuid)
    affiliation.delete()
    reindex_people([person.pk])
    record_event(
        actor=by, action="person.affiliation_removed", target=person, detail={"organisation": org_uuid}
    )


@transaction.atomic
def add_relationship(
    *, from_person: Person, to_person: Person, kind: str, note: str = "", by: User | None
) -> Relationship:
    if Relationship.objects.filter(from_person=from_person, to_person=to_person, kind=kind).exists():
        raise ValidationError({"kind": "This relationship is already recorded."})
    relationship = Relationship(from_person=from_person, to_person=to_person, kind=kind, note=note)
    relationship.full_clean()
    relationship.save()
    record_event(
        actor=by,
        action="person.relationship_added",
        target=from_person,
        detail={"to": str(to_person.uuid), "kind": kind},
    )
    return relationship


@transaction.atomic
def remove_relationship(*, relationship: Relationship, by: User | None) -> None:
    detail = {"to": str(relationship.to_person.uuid), "kind": relationship.kind}
    person = relationship.from_person
    relationship.delete()
    record_event(actor=by, action="person.relationship_removed", target=person, detail=detail)


def current_wording(purpose: str) -> ConsentWording | None:
    return ConsentWording.objects.filter(purpose=purpose).order_by("-version").first()


@transaction.atomic
def publish_wording(*, purpose: str, text: str, by: User | None) -> ConsentWording:
    latest = current_wording(purpose)
    if latest is not None and latest.text.strip() == text.strip():
        return latest
    wording = ConsentWording.objects.create(
        purpose=purpose, version=(latest.version + 1) if latest else 1, text=text.strip()
    )
    record_event(actor=by, action="consent.wording_published", target=wording)
    return wording


@transaction.atomic
def record_consent(
    *,
    person: Person,
    purpose: str,
    given: bool,
    method: str,
    wording: ConsentWording,
    by: User | None,
    partner: Organisation | None = None,
    decided_at: datetime | None = None,
) -> Consent:
    if wording.purpose != purpose:
        raise ValidationError({"wording": "This wording was written for a different purpose."})
    if purpose == ConsentPurpose.SHARING and partner is None:
        raise ValidationError({"partner": "Name the partner this consent is about."})
    check_date(decided_at, HAPPENED, field="decided_at")
    consent = Consent(
        person=person,
        purpose=purpose,
        partner=partner if purpose == ConsentPurpose.SHARING else None,
        given=given,
        method=method,
        wording=wording,
        decided_at=decided_at or timezone.now(),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    consent.full_clean(exclude=["recorded_by"])
    consent.save()
    record_event(
        actor=by,
        action="consent.given" if given else "consent.withdrawn",
        target=person,
        detail={"purpose": purpose, "wording_version": wording.version, "method": method},
    )
    return consent


def serialise_row(row: models.Model) -> dict[str, Any]:
    """A row as JSON-ready values. Encrypted fields stay encrypted (their stored token), so a
    set-aside conversation's notes never sit in a merge record in plain text."""
    data: dict[str, Any] = {"model": row._meta.label_lower}
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, EncryptedTextField):
            value = field.get_prep_value(value)
        data[field.attname] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
    return data


def has_dependents(row: models.Model) -> bool:
    collector = Collector(using="default")
    collector.collect([row])
    return sum(len(objs) for objs in collector.data.values()) > 1


@transaction.atomic
def merge_people(*, survivor: Person, absorbed: Person, by: User | None) -> PersonMerge:
    """Fold `absorbed` into `survivor`. Every row pointing at either ends up pointing at the
    survivor; a row that would duplicate the survivor's own is kept, as it was, in the merge record."""
    if survivor.pk == absorbed.pk:
        raise ValidationError("Choose two different people to merge.")
    if survivor.user_id and absorbed.user_id:
        raise ValidationError("Both people have accounts; close one account before merging.")
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    absorbed = Person.objects.select_for_update().get(pk=absorbed.pk)
    snapshot = serialise_row(absorbed)
    snapshot["tags"] = sorted(absorbed.tags.values_list("name", flat=True))
    for field in PERSON_FIELDS:
        mine, theirs = getattr(survivor, field), getattr(absorbed, field)
        if not mine and theirs:
            setattr(survivor, field, theirs)
        elif field == "accessibility_needs" and theirs and theirs not in mine:
            survivor.accessibility_needs = f"{mine}\n\n{theirs}"
    if absorbed.user_id and not survivor.user_id:
        survivor.user_id = absorbed.user_id
        Person.objects.filter(pk=absorbed.pk).update(user=None)
    set_aside = repoint_rows(survivor, absorbed)
    repoint_links(survivor, absorbed)
    survivor.tags.add(*absorbed.tags.all())
    PersonMerge.objects.filter(survivor=absorbed).update(survivor=survivor)
    absorbed_uuid = absorbed.uuid
    absorbed.delete()
    survivor.sort_key = person_sort_key(survivor)
    survivor.save()
    reindex_people([survivor.pk])
    merge = PersonMerge.objects.create(
        survivor=survivor,
        absorbed_uuid=absorbed_uuid,
        absorbed_fields=snapshot,
        set_aside=set_aside,
        merged_by=by if by is not None and by.is_authenticated else None,
    )
    record_event(
        actor=by,
        action="person.merged",
        target=survivor,
        detail={"absorbed": str(absorbed_uuid), "rows_set_aside": len(set_aside)},
    )
    return merge


def repoint_rows(survivor: Person, absorbed: Person) -> list[dict[str, Any]]:
    set_aside: list[dict[str, Any]] = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if isinstance(model, str) or relation.many_to_many or model in (SearchTerm, PersonMerge):
            continue
        field = relation.field.name
        for row in list(model._base_manager.filter(**{field: absorbed})):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=row.pk).update(**{field: survivor})
            except IntegrityError:
                if has_dependents(row):
                    raise ValidationError(
                        f"A {model._meta.verbose_name} of each person cannot be combined "
                        "automatically; resolve it before merging."
                    ) from None
                set_aside.append(serialise_row(row))
                row.delete()
    return set_aside


def repoint_links(survivor: Person, absorbed: Person) -> None:
    """Many-to-many links to the absorbed person (an asset's people, a conversation's suggested
    people) move to the survivor; a link the survivor already has is simply dropped. Links with a
    model of their own (a cohort's facilitators) are rows, moved by `repoint_rows`."""
    for relation in Person._meta.related_objects:
        if not relation.many_to_many:
            continue
        field = cast(models.ManyToManyField, relation.field)  # type: ignore[type-arg]
        through = cast(type[models.Model], field.remote_field.through)
        if not through._meta.auto_created:
            continue
        to_person, to_owner = field.m2m_reverse_field_name(), field.m2m_field_name()
        links = through._default_manager
        already = links.filter(**{to_person: survivor}).values(f"{to_owner}_id")
        links.filter(**{to_person: absorbed, f"{to_owner}__in": already}).delete()
        links.filter(**{to_person: absorbed}).update(**{to_person: survivor})


@transaction.atomic
def give_account(*, person: Person, roles: Iterable[Role], by: User | None) -> User:
    """Give a person in the directory an account; they choose their password from an email."""
    from carecommons.accounts.tasks import send_account_invitation

    if person.user_id:
        raise ValidationError("They already have an account.")
    if not person.email:
        raise ValidationError({"roles": "Add their email address first: it is how they sign in."})
    if User.objects.filter(email=person.email.lower()).exists():
        raise ValidationError({"roles": "Another account already uses this email address."})
    user = create_account(
        email=person.email, password=None, roles=list(roles), by=by, display_name=person.display_name
    )
    Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user)
    record_event(actor=by, action="person.account_given", target=person, detail={"roles": sorted(roles)})
    inviter = (by.display_name or by.email) if by is not None else ""
    transaction.on_commit(lambda: send_account_invitation.enqueue(user.pk, inviter))
    return user


@transaction.atomic
def set_roles(*, user: User, roles: Iterable[Role], by: User) -> None:
    wanted = set(roles)
    for role in Role:
        if role in wanted:
            grant_role(user=user, role=role, by=by)
        else:
            revoke_role(user=user, role=role, by=by)


@transaction.atomic
def record_own_choices(
    *,
    person: Person,
    answers: dict[str, str],
    wordings: list[ConsentWording],
    current: dict[str, bool],
    by: User,
) -> int:
    """Record the purposes whose answer changed; an unanswered purpose is left as it was."""
    changed = 0
    for wording in wordings:
        answer = answers.get(wording.purpose)
        if answer not in ("yes", "no") or current.get(wording.purpose) == (answer == "yes"):
            continue
        record_consent(
            person=person,
            purpose=wording.purpose,
            given=answer == "yes",
            method=ConsentMethod.ONLINE,
            wording=wording,
            by=by,
        )
        changed += 1
    return changed
