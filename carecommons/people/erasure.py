"""Erasing a person: what is deleted, what the law or the books require to be kept, and why.

The person's row stays as "Erased person <short id>" with every personal field blank, so the rows
that must be kept (ledger entries, expense claims behind them, audit events, other people's
conversations they listened to) still point somewhere and the books still balance. Everything
else about them is deleted, and any mention of their name, email or phone left in other people's
free text is replaced by the pseudonym, the wording of the books included (the one change the
ledger's triggers allow, finances/redaction.py). Nothing of their name, email or phone survives
anywhere: the audit log holds only ids (decision 0015).
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import timezone

from carecommons.accounts.models import RoleGrant, User
from carecommons.assets.models import Asset, AssetCategory
from carecommons.audit.services import record_event
from carecommons.calendars.models import CalendarFeed, ReminderSent
from carecommons.expenses.models import Approval, Expense, ExpenseState, KeptReceipt, Receipt
from carecommons.finances.models import Host, Membership, Transaction
from carecommons.finances.redaction import pseudonymise_ledger_text
from carecommons.learningsets.models import LearningSet, Presentation, SetMembership
from carecommons.lib.encrypted import EncryptedTextField
from carecommons.lib.mentions import scrub
from carecommons.listening.models import Conversation
from carecommons.measures.models import Invitation, Response, SafeguardingAlert, SafeguardingLead
from carecommons.networks.models import SnapshotNode
from carecommons.people.models import (
    Affiliation,
    Consent,
    ErasureRequest,
    ErasureStatus,
    Person,
    PersonMerge,
    Relationship,
    SearchTerm,
)
from carecommons.people.own_data import audit_events, ledger_mentions, names_of
from carecommons.people.services import PERSON_FIELDS, person_sort_key
from carecommons.programmes.models import Attendance, CohortFacilitator, Enrolment, Session

# Tables the database keeps unchanged (decisions 0004 and 0010), so the generic redaction skips
# them: the audit log holds ids only, and the ledger's wording goes through its own service.
APPEND_ONLY_APPS = frozenset({"audit"})
APPEND_ONLY_MODELS = frozenset({"finances.transaction", "finances.entry", "finances.balance"})

LEDGER_REASON = (
    "Accounting records must be kept for six years (Charities Act 2011 s.131, HMRC), and the "
    "database refuses any change to their amounts, dates and accounts, so the books can always be "
    "trusted. Your name in their wording is replaced by the pseudonym; nothing else changes."
)
EXPENSE_REASON = (
    "Each claim is the evidence for a payment in the group's books (kept six years). Your payee "
    "name and bank details are deleted; the amount, date, category and description stay."
)
RECEIPT_REASON = "Receipts of paid claims are evidence for the group's books (kept six years)."
APPROVAL_REASON = "Who approved a payment is part of the books; the approval now names the pseudonym."
AUDIT_REASON = (
    "The audit log records who saw or changed personal data, to protect everyone in it, and can "
    "never be changed. It holds only the ids of records and accounts, never your name, email, "
    "answers or notes; your closed account and your record keep their ids under the pseudonym."
)
LISTENER_REASON = (
    "Conversations you held with other people are their records; you are named by the pseudonym."
)
PERSON_REASON = (
    "Your record stays as the pseudonym, with every personal detail blank, so that what must be "
    "kept still balances, and as the record that your data was erased."
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
    """Rows that are theirs alone, deleted on erasure (related rows go with them)."""
    linked = Asset.objects.filter(people=person).values("pk")
    only_theirs = (
        Asset.objects.filter(category=AssetCategory.INDIVIDUAL, pk__in=linked)
        .annotate(n=Count("people"))
        .filter(n=1)
        .values("pk")
    )
    return [
        ("consent decisions", Consent.objects.filter(person=person)),
        ("organisation links", Affiliation.objects.filter(person=person)),
        ("relationships", Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))),
        ("records merged into yours", PersonMerge.objects.filter(survivor=person)),
        ("applications and sign-up answers", Enrolment.objects.filter(person=person)),
        ("attendance marks", Attendance.objects.filter(person=person)),
        ("facilitator places", CohortFacilitator.objects.filter(person=person)),
        ("learning set places", SetMembership.objects.filter(person=person)),
        ("learning set questions and actions", Presentation.objects.filter(presenter=person)),
        ("reminders sent", ReminderSent.objects.filter(person=person)),
        ("calendar feeds", CalendarFeed.objects.filter(person=person)),
        ("safeguarding alerts and follow-up notes", SafeguardingAlert.objects.filter(person=person)),
        ("questionnaire answers and scores", Response.objects.filter(person=person)),
        ("questionnaire invitations", Invitation.objects.filter(person=person)),
        ("safeguarding lead roles", SafeguardingLead.objects.filter(person=person)),
        ("conversations about you, with their notes", Conversation.objects.filter(person=person)),
        ("gifts and skills listed as community assets", Asset.objects.filter(pk__in=only_theirs)),
        ("group memberships", Membership.objects.filter(person=person)),
        (
            "receipts of claims never paid",
            Receipt.objects.filter(expense__submitted_by=person).exclude(expense__state=ExpenseState.PAID),
        ),
    ]


def kept_rows(person: Person) -> list[tuple[str, int, str]]:
    counts = [
        ("your record, as the pseudonym", 1, PERSON_REASON),
        (
            "ledger entries that name you",
            Transaction.objects.filter(ledger_mentions(person)).count(),
            LEDGER_REASON,
        ),
        ("expense claims", Expense.objects.filter(submitted_by=person).count(), EXPENSE_REASON),
        (
            "receipts of paid claims",
            Receipt.objects.filter(expense__submitted_by=person, expense__state=ExpenseState.PAID).count(),
            RECEIPT_REASON,
        ),
        ("approvals you gave", Approval.objects.filter(approver=person).count(), APPROVAL_REASON),
        (
            "conversations you listened in",
            Conversation.objects.filter(listener=person).count(),
            LISTENER_REASON,
        ),
        (
            "introductions and follow-ups in other people's conversations",
            Conversation.objects.filter(Q(introduced_by=person) | Q(follow_up_owner=person)).count(),
            LISTENER_REASON,
        ),
        ("audit events", audit_events(person).count(), AUDIT_REASON),
    ]
    return [(what, n, why) for what, n, why in counts if n]


def blockers(person: Person) -> list[str]:
    found = []
    if SafeguardingAlert.objects.filter(person=person, closed_at__isnull=True).exists():
        found.append(
            "A safeguarding follow-up about them is still open: log the contact and close it first, "
            "so no one is left without the call they were promised."
        )
    waiting = (ExpenseState.SUBMITTED, ExpenseState.APPROVED)
    if Expense.objects.filter(submitted_by=person, state__in=waiting).exists():
        found.append(
            "An expense claim of theirs is waiting to be approved or paid: settle or cancel it first."
        )
    return found


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
        if rows.model is Receipt:
            delete_files_on_commit([receipt.file for receipt in rows])
        rows.delete()
    unlink(person, replacement)
    pseudonymise_ledger_text(person=person, mentions=needles, pseudonym=replacement, by=by)
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


def delete_files_on_commit(files: list[FieldFile]) -> None:
    """Uploaded files go only once the rows that name them are gone for good."""
    for file in files:
        if file.name:
            transaction.on_commit(partial(file.storage.delete, file.name))


def unlink(person: Person, replacement: str) -> None:
    """Links from rows that are kept: the link goes, or names the pseudonym."""
    Session.facilitators.through.objects.filter(person_id=person.pk).delete()
    Conversation.suggested_people.through.objects.filter(person_id=person.pk).delete()
    Asset.people.through.objects.filter(person_id=person.pk).delete()
    Host.staff.through.objects.filter(person_id=person.pk).delete()
    LearningSet.objects.filter(facilitator=person).update(facilitator=None)
    SnapshotNode.objects.filter(person=person).update(label=replacement)
    for expense in Expense.objects.filter(submitted_by=person):
        expense.payee_name = expense.payee_sort_code = expense.payee_account_number = ""
        expense.save(update_fields=["payee_name", "payee_sort_code", "payee_account_number", "updated_at"])


def close_account(person: Person) -> None:
    """The account can never sign in again and no longer names them; its id stays for the audit log."""
    user = person.user
    if user is None:
        return
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    delete_files_on_commit([kept.file for kept in KeptReceipt.objects.filter(user=user)])
    KeptReceipt.objects.filter(user=user).delete()
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
