"""Erasing a person: what is deleted, what the law or the books require to be kept, and why.

The person's row stays as "Erased person <short id>" with every personal field blank, so the rows
that must be kept (ledger entries, expense claims behind them, audit events, other people's
conversations they listened to) still point somewhere and the books still balance. Everything
else about them is deleted, and any mention of their name, email or phone left in other people's
free text is replaced by the pseudonym, the wording of the books included (the one change the
ledger's triggers allow, finances/redaction.py). Nothing of their name, email or phone survives
anywhere: the audit log holds only ids (decision 0015). Each app says what it deletes, keeps,
waits for and unlinks in its own `personal_data.py`; this module runs them in one transaction
(decision 0026).
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from carecommons.accounts.models import RoleGrant, User
from carecommons.audit.services import record_event
from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.mentions import scrub
from carecommons.people.holdings import Erasing, Kept, delete_files_on_commit, holdings, in_order, names_of
from carecommons.people.models import ErasureRequest, ErasureStatus, Person, SearchTerm
from carecommons.people.services import PERSON_FIELDS, person_sort_key

# Tables the database keeps unchanged (decisions 0004 and 0010), so the generic redaction skips
# them: the audit log holds ids only, and the ledger's wording goes through its own service.
APPEND_ONLY_APPS = frozenset({"audit"})
APPEND_ONLY_MODELS = frozenset({"finances.transaction", "finances.entry", "finances.balance"})

# What erasure keeps, in the order the plan and the receipt list it; each app declares its own
# rows and reasons in its `personal_data.py` (decision 0026).
KEPT = (
    "person",
    "ledger",
    "expense_claims",
    "paid_receipts",
    "approvals",
    "listened",
    "introductions",
    "trial_places",
    "audit_events",
)


@dataclass
class Plan:
    deleted: list[tuple[str, int]] = field(default_factory=list)
    kept: list[tuple[str, int, str]] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    pseudonym: str = ""

    def receipt(self) -> dict[str, Any]:
        return {
            "deleted": [{"what": what, "count": n} for what, n in self.deleted],
            "kept": [{"what": what, "count": n, "why": why} for what, n, why in self.kept],
        }


def pseudonym(person: Person) -> str:
    return f"Erased person {person.uuid.hex[:8]}"


def owned_rows(person: Person) -> list[tuple[str, models.QuerySet[Any]]]:
    """Rows that are theirs alone, deleted on erasure (related rows go with them): each app's, in
    INSTALLED_APPS order, so an app's rows go before those of the apps built on it."""
    return [pair for holding in holdings() for pair in holding.deleted(person)]


def kept_rows(person: Person) -> list[tuple[str, int, str]]:
    declared: dict[str, Kept] = {kept.key: kept for holding in holdings() for kept in holding.kept}
    counts = [(kept.what, kept.count(person), kept.why) for kept in in_order(declared, KEPT, "Kept rows")]
    return [(what, n, why) for what, n, why in counts if n]


def blockers(person: Person) -> list[str]:
    return [reason for holding in holdings() for reason in holding.blockers(person)]


def plan_for(person: Person) -> Plan:
    return Plan(
        deleted=[(what, rows.count()) for what, rows in owned_rows(person) if rows.exists()],
        kept=kept_rows(person),
        blockers=blockers(person),
        pseudonym=pseudonym(person),
    )


@transaction.atomic
def request_erasure(*, person: Person, by: User | None) -> ErasureRequest:
    existing = ErasureRequest.objects.filter(person=person, status=ErasureStatus.REQUESTED).first()
    if existing is not None:
        return existing
    request = ErasureRequest.objects.create(
        person=person,
        requested_at=timezone.now(),
        requested_by=by if by is not None and by.is_authenticated else None,
    )
    record_event(
        actor=by, action="person.erasure_requested", target=person, detail={"request": str(request.uuid)}
    )
    return request


@transaction.atomic
def erase_person(
    *, person: Person, by: User | None, reason: str, request: ErasureRequest | None = None
) -> ErasureRequest:
    """Erase a person for good: delete what is theirs, pseudonymise what must be kept. One transaction."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why their data is being erased (for example: they asked on 3 May)."}
        )
    plan = plan_for(person)
    if plan.blockers:
        raise ValidationError(plan.blockers)
    contacts = [c for c in (person.email, person.phone) if len(c.strip()) >= 6]
    needles = [*names_of(person), *contacts]
    replacement = pseudonym(person)
    for _what, rows in owned_rows(person):
        files = [f.name for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
        if files:
            delete_files_on_commit([getattr(row, name) for row in rows for name in files])
        rows.delete()
    erasing = Erasing(mentions=needles, pseudonym=replacement, by=by)
    for holding in holdings():
        holding.unlink(person, erasing)
    close_account(person)
    blank_person(person, replacement)
    redact_mentions(needles, replacement)
    request = request or ErasureRequest(person=person, requested_at=timezone.now())
    request.status = ErasureStatus.ERASED
    request.erased_at = timezone.now()
    request.erased_by = by if by is not None and by.is_authenticated else None
    request.reason = scrub(reason.strip(), needles, replacement)
    request.receipt = plan.receipt()
    request.save()
    record_event(
        actor=by,
        action="person.erased",
        target=person,
        detail={"request": str(request.uuid), "deleted": dict(plan.deleted)},
    )
    return request


def close_account(person: Person) -> None:
    """The account can never sign in again and no longer names them; its id stays for the audit log."""
    user = person.user
    if user is None:
        return
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    RoleGrant.objects.filter(user=user).delete()
    user.email = f"erased-{person.uuid.hex[:8]}@erased.invalid"
    user.display_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def blank_person(person: Person, replacement: str) -> None:
    for name in PERSON_FIELDS:
        setattr(person, name, "")
    person.given_name, _, person.family_name = replacement.rpartition(" ")
    person.user = None
    person.sort_key = person_sort_key(person)
    person.save()
    person.tags.clear()
    SearchTerm.objects.filter(person=person).delete()


def text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.primary_key]


def redact_mentions(needles: list[str], replacement: str) -> None:
    """Replace their name, email and phone wherever other rows' free text still holds them."""
    if not needles:
        return
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in APPEND_ONLY_APPS or meta.label_lower in APPEND_ONLY_MODELS:
            continue
        for text_field in text_fields(model):
            name = text_field.attname
            rows = model._base_manager.all()
            if isinstance(text_field, EncryptedTextField):
                candidates = rows.exclude(**{f"{name}__isnull": True}).only("pk", name)
            elif isinstance(text_field, models.JSONField):
                as_text = Cast(name, models.TextField())
                match = Q(pk__in=[])
                for needle in needles:
                    match |= Q(_as_text__icontains=needle)
                candidates = rows.annotate(_as_text=as_text).filter(match).only("pk", name)
            else:
                match = Q(pk__in=[])
                for needle in needles:
                    match |= Q(**{f"{name}__icontains": needle})
                candidates = rows.filter(match).only("pk", name)
            for row in candidates.iterator():
                value = getattr(row, name)
                cleaned = scrub(value, needles, replacement)
                if cleaned != value:
                    model._base_manager.filter(pk=row.pk).update(**{name: cleaned})
