"""Everything Care Commons holds about one person, gathered for them (a subject access request).

Each app declares the sections it adds in its own `personal_data.py` (`people/holdings.py` finds
them); `collect` joins them in the order a person would look for them, `SECTIONS`. Two apps may add
rows to one section (group money: finances, then expenses). Rows are plain JSON-ready dicts, so the
same result is shown as a page and given as a JSON download (decisions 0015, 0026).
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.people.holdings import Collector, Row, holdings, in_order
from carecommons.people.models import Person

SECTIONS = (
    "record",
    "affiliations",
    "relationships",
    "consents",
    "digests",
    "merges",
    "enrolments",
    "facilitation",
    "attendance",
    "learning_sets",
    "groups",
    "initiatives",
    "decisions",
    "calendars",
    "questionnaires",
    "safeguarding",
    "trials",
    "ripples",
    "conversations",
    "assets",
    "network",
    "money",
    "expenses",
    "donations",
    "audit",
    "erasure",
)


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


def sections() -> list[list[Collector]]:
    """Each section's collectors, sections in `SECTIONS` order, collectors in INSTALLED_APPS order."""
    found: dict[str, list[Collector]] = {}
    for holding in holdings():
        for collector in holding.sections:
            found.setdefault(collector.key, []).append(collector)
    return in_order(found, SECTIONS, "Own-data sections")


def audit_events(person: Person) -> "QuerySet[AuditEvent]":
    """Events about their record or any row of theirs, events naming them, and what they did."""
    ids = {str(person.uuid)}
    for holding in holdings():
        for model, field_name in holding.audited:
            rows = model._default_manager.filter(**{field_name: person})
            ids |= {str(u) for u in rows.values_list("uuid", flat=True)}
    query = Q(target_id__in=ids) | Q(detail_text__contains=str(person.uuid))
    if person.user_id:
        query |= Q(actor_id=person.user_id)
    return AuditEvent.objects.annotate(detail_text=Cast("detail", TextField())).filter(query)


def actor_words(actor: User | None) -> str:
    """Who acted, as the audit log's account link names them (the log itself holds no emails)."""
    if actor is None:
        return "the system"
    return actor.display_name or actor.email


def collect(person: Person) -> OwnData:
    data = OwnData(person_uuid=str(person.uuid), generated_at=timezone.now().isoformat())
    for collectors in sections():
        first = collectors[0]
        rows = [r for collector in collectors for r in collector.collect(person)]
        data.sections.append(Section(key=first.key, title=first.title, rows=rows, note=first.note))
    return data
