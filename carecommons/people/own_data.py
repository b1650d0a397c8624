"""Everything Care Commons holds about one person, gathered for them (a subject access request).

One collector per app, each reading only that app's rows about the person; `collect` joins them in
the order a person would look for them. Rows are plain JSON-ready dicts, so the same result is
shown as a page and given as a JSON download (decision 0015).
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets.models import Asset
from carecommons.audit.models import AuditEvent
from carecommons.calendars.models import CalendarFeed, ReminderSent
from carecommons.expenses.models import Approval, Expense
from carecommons.finances.models import Host, Membership, Transaction
from carecommons.learningsets.models import Presentation, SetMembership
from carecommons.listening.models import Conversation
from carecommons.measures.models import Invitation, Response, SafeguardingAlert
from carecommons.networks.models import SnapshotEdge, SnapshotNode
from carecommons.people.models import Consent, ErasureRequest, Person
from carecommons.people.services import PERSON_FIELDS
from carecommons.programmes.models import Attendance, CohortFacilitator, Enrolment, SignupQuestion

Row = dict[str, Any]


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]
    note: str = ""


@dataclass
class OwnData:
    person_uuid: str
    generated_at: str
    sections: list[Section] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, ids as text, containers walked."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def row(**values: Any) -> Row:
    return {key: plain(value) for key, value in values.items()}


def names_of(person: Person) -> list[str]:
    """How free text elsewhere would name them: the full name and the name they go by, when it
    has two words (a first name alone, "Sam", would match too much), longest first."""
    names = {n for n in (person.full_name, person.display_name) if " " in n.strip()}
    return sorted(names, key=len, reverse=True)


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


def enrolments(person: Person) -> list[Row]:
    rows = list(Enrolment.objects.filter(person=person).select_related("cohort__programme", "organisation"))
    questions = {
        str(q.pk): q.text for q in SignupQuestion.objects.filter(cohort__in=[e.cohort_id for e in rows])
    }
    return [
        row(
            programme=e.cohort.programme.name,
            cohort=e.cohort.name,
            status=e.get_status_display(),
            organisation=e.organisation.name if e.organisation else "",
            access_needs=e.access_needs,
            answers={questions.get(k, k): v for k, v in e.answers.items()},
            details_typed_on_the_form=e.submitted,
            applied_at=e.applied_at,
            decided_at=e.decided_at,
        )
        for e in rows
    ]


def facilitation(person: Person) -> list[Row]:
    return [
        row(cohort=str(link.cohort), lived_experience_leader=link.lived_experience_leader)
        for link in CohortFacilitator.objects.filter(person=person).select_related("cohort__programme")
    ]


def attendance(person: Person) -> list[Row]:
    return [
        row(
            session=a.session.title, starts_at=a.session.starts_at, status=a.get_status_display(), late=a.late
        )
        for a in Attendance.objects.filter(person=person).select_related("session")
    ]


def learning_sets(person: Person) -> list[Row]:
    sets = [
        row(learning_set=m.learning_set.name, cohort=str(m.cohort))
        for m in SetMembership.objects.filter(person=person).select_related(
            "learning_set", "cohort__programme"
        )
    ]
    talks = [
        row(
            learning_set=p.meeting.learning_set.name,
            meeting=p.meeting.held_at,
            your_question=p.question,
            actions=[
                row(text=a.text, status=a.get_status_display(), review=a.review_note) for a in p.actions.all()
            ],
        )
        for p in Presentation.objects.filter(presenter=person)
        .select_related("meeting__learning_set")
        .prefetch_related("actions")
    ]
    return sets + talks


def calendars(person: Person) -> list[Row]:
    reminders = [
        row(
            reminder=r.get_kind_display(),
            session=r.session.title,
            for_start=r.sent_for_start,
            sent=r.created_at,
        )
        for r in ReminderSent.objects.filter(person=person).select_related("session")
    ]
    feeds = [
        row(calendar_feed_made=f.created_at, revoked_at=f.revoked_at)
        for f in CalendarFeed.objects.filter(person=person)
    ]
    return reminders + feeds


def questionnaires(person: Person) -> list[Row]:
    invitations = [
        row(
            invitation=str(i.wave),
            cohort=i.cohort.name,
            opens_at=i.opens_at,
            expires_at=i.expires_at,
            completed_at=i.completed_at,
        )
        for i in Invitation.objects.filter(person=person).select_related("wave", "cohort")
    ]
    answers = [
        row(
            questionnaire=r.instrument,
            version=r.instrument_version,
            wave=str(r.wave),
            status=r.get_status_display(),
            how=r.get_mode_display(),
            answered_on=r.answered_on,
            answers=r.answers,
            scores=r.scores,
            bands=r.bands,
            flags=r.flags,
        )
        for r in Response.objects.filter(person=person).select_related("wave")
    ]
    return invitations + answers


def safeguarding(person: Person) -> list[Row]:
    return [
        row(
            raised_at=a.raised_at,
            what_was_flagged=a.flags,
            follow_up_due=a.due_at,
            closed_at=a.closed_at,
            follow_ups=[
                row(
                    contacted_at=f.contacted_at,
                    how=f.get_method_display(),
                    note=f.note,
                    closed_it=f.closes_alert,
                )
                for f in a.follow_ups.all()
            ],
        )
        for a in SafeguardingAlert.objects.filter(person=person).prefetch_related("follow_ups")
    ]


def conversations(person: Person) -> list[Row]:
    about = (
        Conversation.objects.filter(person=person)
        .select_related("lab", "engagement", "listener")
        .prefetch_related("issues__themes")
    )
    rows = [
        row(
            care_lab=c.lab.name,
            held_on=c.held_on,
            how=c.get_method_display(),
            listener=c.listener.display_name,
            notes_kept_with_consent=c.notes_consented,
            story=c.story,
            cares_about=c.cares_about,
            gifts=c.gifts,
            concerns=c.concerns,
            suggested_contacts=c.suggested_contacts,
            follow_up=c.follow_up,
            follow_up_due=c.follow_up_due,
            engagement=c.engagement.name if c.engagement else "",
            issues=[
                row(title=i.title, words=i.words, themes=sorted(t.name for t in i.themes.all()))
                for i in c.issues.all()
            ],
        )
        for c in about
    ]
    suggested = [
        row(suggested_as_someone_to_talk_to_in=c.lab.name, on=c.held_on)
        for c in person.suggested_in_conversations.select_related("lab")
    ]
    return rows + suggested


def assets(person: Person) -> list[Row]:
    return [
        row(asset=a.name, category=a.get_category_display(), care_lab=a.lab.name, description=a.description)
        for a in Asset.objects.filter(people=person).select_related("lab")
    ]


def network(person: Person) -> list[Row]:
    key = f"person:{person.uuid}"
    rows = []
    for node in SnapshotNode.objects.filter(person=person).select_related("snapshot__lab"):
        edges = list(SnapshotEdge.objects.filter(Q(source=key) | Q(target=key), snapshot=node.snapshot_id))
        others = {e.target if e.source == key else e.source for e in edges}
        labels = dict(
            SnapshotNode.objects.filter(snapshot=node.snapshot_id, key__in=others).values_list("key", "label")
        )
        rows.append(
            row(
                care_lab=node.snapshot.lab.name,
                snapshot_taken_at=node.snapshot.taken_at,
                ties=node.degree,
                betweenness=node.betweenness,
                community=node.community,
                is_bridge=node.is_bridge,
                bridge_reason=node.bridge_reason,
                tied_to=[
                    row(who=labels.get(other, other), tie=e.kind)
                    for e in edges
                    for other in [e.target if e.source == key else e.source]
                ],
            )
        )
    return rows


def money(person: Person) -> list[Row]:
    memberships = [
        row(group=m.group.name, role=m.get_role_display(), starts_on=m.starts_on, ends_on=m.ends_on)
        for m in Membership.objects.filter(person=person).select_related("group")
    ]
    hosts = [row(host_staff_of=h.name) for h in Host.objects.filter(staff=person)]
    approvals = [
        row(approved_expense=a.expense.description, group=a.expense.group.name, on=a.created_at)
        for a in Approval.objects.filter(approver=person).select_related("expense__group")
    ]
    return memberships + hosts + approvals


def expenses(person: Person) -> list[Row]:
    return [
        row(
            group=e.group.name,
            amount_pence=e.amount_pence,
            category=e.category.name,
            description=e.description,
            spent_on=e.spent_on,
            state=e.get_state_display(),
            payee_name=e.payee_name,
            payee_sort_code=e.payee_sort_code,
            payee_account_number=e.payee_account_number,
            public_label=e.public_label,
            rejection_reason=e.rejection_reason,
            receipts=[r.name for r in e.receipts.all()],
        )
        for e in Expense.objects.filter(submitted_by=person)
        .select_related("group", "category")
        .prefetch_related("receipts")
    ]


def ledger_mentions(person: Person) -> Q:
    """Ledger transactions whose text names them (a donation, cash they collected)."""
    query = Q(pk__in=[])
    for name in names_of(person):
        query |= Q(counterparty__iexact=name) | Q(description__icontains=name)
    return query


def donations(person: Person) -> list[Row]:
    return [
        row(
            group=t.group.name,
            occurred_on=t.occurred_on,
            kind=t.get_kind_display(),
            description=t.description,
            named_as=t.counterparty,
            named_in_public=t.counterparty_public,
        )
        for t in Transaction.objects.filter(ledger_mentions(person), posted=True).select_related("group")
    ]


def audit_events(person: Person) -> "QuerySet[AuditEvent]":
    """Events about their record or any row of theirs, events naming them, and what they did."""
    ids = {str(person.uuid)}
    for model, field_name in (
        (Enrolment, "person"),
        (Invitation, "person"),
        (Response, "person"),
        (SafeguardingAlert, "person"),
        (Conversation, "person"),
        (Expense, "submitted_by"),
    ):
        ids |= {str(u) for u in model.objects.filter(**{field_name: person}).values_list("uuid", flat=True)}
    query = Q(target_id__in=ids) | Q(detail_text__contains=str(person.uuid))
    if person.user_id:
        query |= Q(actor_id=person.user_id)
    return AuditEvent.objects.annotate(detail_text=Cast("detail", TextField())).filter(query)


def audit(person: Person) -> list[Row]:
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


def actor_words(actor: User | None) -> str:
    """Who acted, as the audit log's account link names them (the log itself holds no emails)."""
    if actor is None:
        return "the system"
    return actor.display_name or actor.email


def erasure_requests(person: Person) -> list[Row]:
    return [
        row(
            requested_at=r.requested_at, status=r.get_status_display(), erased_at=r.erased_at, reason=r.reason
        )
        for r in ErasureRequest.objects.filter(person=person)
    ]


FOLLOW_UP_NOTE = (
    "Notes written by the people who followed up are included: they are about you, and you have a "
    "right to them. The names of the staff who wrote them are left out."
)
LEDGER_NOTE = "Entries in a group's books whose text names you, such as a donation or cash you collected."

COLLECTORS: list[tuple[str, str, Callable[[Person], list[Row]], str]] = [
    ("record", "Your record", record, ""),
    ("affiliations", "Organisations you are part of", affiliations, ""),
    ("relationships", "People you are connected to", relationships, ""),
    (
        "consents",
        "Your consent decisions",
        consents,
        "Every decision, newest first, with the words you were shown.",
    ),
    ("merges", "Records merged into yours", merges, ""),
    ("enrolments", "Programmes you applied to, and your sign-up answers", enrolments, ""),
    ("facilitation", "Cohorts you facilitate", facilitation, ""),
    ("attendance", "Sessions you attended", attendance, ""),
    ("learning_sets", "Learning sets", learning_sets, ""),
    ("calendars", "Reminders and calendar feeds", calendars, ""),
    ("questionnaires", "Wellbeing questionnaires: invitations, answers and scores", questionnaires, ""),
    ("safeguarding", "Safeguarding follow-ups about you", safeguarding, FOLLOW_UP_NOTE),
    ("conversations", "Conversations about you", conversations, ""),
    ("assets", "Community assets linked to you", assets, ""),
    ("network", "Your place in the relationship network", network, ""),
    ("money", "Group money: memberships and approvals", money, ""),
    ("expenses", "Expenses you claimed", expenses, "Your own bank details are included."),
    ("donations", "Donations and other entries that name you", donations, LEDGER_NOTE),
    (
        "audit",
        "Who looked at or changed your record",
        audit,
        "Includes what you did yourself while signed in.",
    ),
    ("erasure", "Requests to erase your data", erasure_requests, ""),
]


def collect(person: Person) -> OwnData:
    data = OwnData(person_uuid=str(person.uuid), generated_at=timezone.now().isoformat())
    for key, title, collector, note in COLLECTORS:
        data.sections.append(Section(key=key, title=title, rows=collector(person), note=note))
    return data
