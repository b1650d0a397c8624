"""A Care Lab's relationship network read from the database as a plain list of nodes and ties.

People "in the lab": accepted members of its cohorts, its facilitators, everyone marked at its
sessions, and everyone in its conversations (the person, the listener, who introduced them, who they
suggested). Ties between them:

- conversations: the listener and the person ("listened"), who introduced them ("introduced"),
  people they suggested talking to ("suggested": notes, so only while the person's consent to
  notes is current; a withdrawal counts at once, before the conversation is next saved);
- current affiliations of those people with organisations ("affiliated");
- typed relationships between two people in the lab (their kind: "friend", "family", …);
- being at the same session ("attended together"), weighted 1/(people there − 1) per session so a
  big gathering does not outweigh a real friendship (Newman's collaboration weighting).

Parallel ties are merged into one, keeping every kind and adding the weights. With `as_of`, only
ties dated by then count (conversations held, sessions started, affiliations current, relationships
recorded); who is in the lab is always who is in it now. A constant number of queries, whatever the
size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from carecommons.listening.models import Conversation
from carecommons.people.consent import consented
from carecommons.people.models import Affiliation, ConsentPurpose, Person, Relationship
from carecommons.programmes.models import (
    Attendance,
    AttendanceStatus,
    CohortFacilitator,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Session,
)

LISTENED, INTRODUCED, SUGGESTED = "listened", "introduced", "suggested"
AFFILIATED, ATTENDED = "affiliated", "attended together"
PERSON, ORGANISATION = "person", "organisation"
DIRECTED_KINDS = frozenset({LISTENED, INTRODUCED, SUGGESTED})

Ref = tuple[str, int]  # (PERSON or ORGANISATION, database id)


@dataclass(frozen=True)
class Node:
    key: str
    kind: str
    label: str
    person_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Tie:
    source: str
    target: str
    kinds: tuple[str, ...]
    weight: float

    @property
    def kind(self) -> str:
        return ", ".join(self.kinds)


@dataclass
class LabGraph:
    nodes: list[Node]
    ties: list[Tie]
    params: dict[str, object] = field(default_factory=dict)


class TieSet:
    def __init__(self) -> None:
        self.kinds: dict[tuple[Ref, Ref], set[str]] = defaultdict(set)
        self.weights: dict[tuple[Ref, Ref], float] = defaultdict(float)

    def add(self, a: Ref, b: Ref, kind: str, weight: float = 1.0) -> None:
        if a == b:
            return
        pair = (a, b) if a < b else (b, a)
        self.kinds[pair].add(kind)
        self.weights[pair] += weight


def person(pk: int) -> Ref:
    return (PERSON, pk)


def lab_conversations(lab: Programme, as_of: datetime | None) -> QuerySet[Conversation]:
    conversations = Conversation.objects.filter(lab=lab)
    return conversations.filter(held_on__lte=timezone.localdate(as_of)) if as_of else conversations


def consented_suggestions(conversations: QuerySet[Conversation]) -> QuerySet[Any]:
    """Who each conversation's person suggested, for people whose current decision about notes is
    yes (the links are cleared only when the conversation is next saved)."""
    return Conversation.suggested_people.through.objects.filter(
        consented(ConsentPurpose.CONVERSATION, of="conversation__person"), conversation__in=conversations
    )


def lab_people(lab: Programme, conversations: QuerySet[Conversation]) -> QuerySet[Person]:
    suggested = consented_suggestions(conversations)
    members = Enrolment.objects.filter(cohort__programme=lab, status=EnrolmentStatus.ACCEPTED)
    return Person.objects.filter(
        Q(id__in=members.values("person_id"))
        | Q(id__in=CohortFacilitator.objects.filter(cohort__programme=lab).values("person_id"))
        | Q(id__in=Attendance.objects.filter(session__cohort__programme=lab).values("person_id"))
        | Q(id__in=conversations.values("person_id"))
        | Q(id__in=conversations.values("listener_id"))
        | Q(id__in=conversations.filter(introduced_by__isnull=False).values("introduced_by_id"))
        | Q(id__in=suggested.values("person_id"))
    )


def add_conversations(ties: TieSet, conversations: QuerySet[Conversation]) -> None:
    for who, listener, introducer in conversations.values_list(
        "person_id", "listener_id", "introduced_by_id"
    ):
        ties.add(person(listener), person(who), LISTENED)
        if introducer is not None:
            ties.add(person(introducer), person(who), INTRODUCED)
    for who, other in consented_suggestions(conversations).values_list(
        "conversation__person_id", "person_id"
    ):
        ties.add(person(who), person(other), SUGGESTED)


def add_attendance(ties: TieSet, lab: Programme, as_of: datetime | None) -> None:
    sessions = Session.objects.filter(cohort__programme=lab, cancelled_at__isnull=True)
    if as_of is not None:
        sessions = sessions.filter(starts_at__lte=as_of)
    present: dict[int, list[int]] = defaultdict(list)
    attended = Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.ATTENDED)
    for session_id, person_id in attended.order_by("session_id", "person_id").values_list(
        "session_id", "person_id"
    ):
        present[session_id].append(person_id)
    for people in present.values():
        for a, b in combinations(people, 2):
            ties.add(person(a), person(b), ATTENDED, 1 / (len(people) - 1))


def add_relationships(ties: TieSet, people: QuerySet[Person], as_of: datetime | None) -> None:
    ids = people.values("id")
    relationships = Relationship.objects.filter(from_person__in=ids, to_person__in=ids)
    if as_of is not None:
        relationships = relationships.filter(created_at__lte=as_of)
    for a, b, kind in relationships.values_list("from_person_id", "to_person_id", "kind"):
        ties.add(person(a), person(b), kind)


def add_affiliations(
    ties: TieSet, people: QuerySet[Person], as_of: datetime | None
) -> dict[int, tuple[str, str]]:
    """Ties to organisations; returns each organisation's (uuid, name)."""
    day = timezone.localdate(as_of) if as_of else timezone.localdate()
    current = Affiliation.objects.filter(
        Q(started_on__isnull=True) | Q(started_on__lte=day),
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        person__in=people.values("id"),
    )
    organisations = {}
    for person_id, org_id, org_uuid, name in current.values_list(
        "person_id", "organisation_id", "organisation__uuid", "organisation__name"
    ):
        ties.add(person(person_id), (ORGANISATION, org_id), AFFILIATED)
        organisations[org_id] = (str(org_uuid), name)
    return organisations


def person_label(given: str, preferred: str, family: str) -> str:
    return f"{preferred or given} {family}".strip()


def build_lab_graph(lab: Programme, *, as_of: datetime | None = None) -> LabGraph:
    conversations = lab_conversations(lab, as_of)
    people = lab_people(lab, conversations)
    ties = TieSet()
    add_conversations(ties, conversations)
    add_attendance(ties, lab, as_of)
    add_relationships(ties, people, as_of)
    organisations = add_affiliations(ties, people, as_of)

    nodes: dict[Ref, Node] = {}
    # Every person a tie mentions is in `people` by construction.
    for pk, person_uuid, given, preferred, family in people.values_list(
        "id", "uuid", "given_name", "preferred_name", "family_name"
    ):
        label = person_label(given, preferred, family)
        nodes[person(pk)] = Node(f"{PERSON}:{person_uuid}", PERSON, label, person_id=pk)
    for pk, (org_uuid, name) in organisations.items():
        nodes[(ORGANISATION, pk)] = Node(f"{ORGANISATION}:{org_uuid}", ORGANISATION, name, organisation_id=pk)

    # Nodes and ties come in the order the rows were created, not by their random uuids: Leiden's
    # groups can depend on that order, and the same data loaded twice (the demo, a test) should give
    # the same groups.
    ordered = sorted(
        nodes.values(), key=lambda node: (node.kind, node.person_id or node.organisation_id or 0)
    )
    position = {node.key: i for i, node in enumerate(ordered)}
    tie_list = []
    for (a, b), kinds in ties.kinds.items():
        source, target = sorted((nodes[a].key, nodes[b].key))
        tie_list.append(Tie(source, target, tuple(sorted(kinds)), round(ties.weights[(a, b)], 6)))
    tie_list.sort(key=lambda tie: sorted((position[tie.source], position[tie.target])))
    params: dict[str, object] = {
        "as_of": as_of.isoformat() if as_of else None,
        "ties": [LISTENED, INTRODUCED, SUGGESTED, AFFILIATED, "relationship kinds", ATTENDED],
        "attended_together_weight": "1/(people at the session - 1), summed over sessions",
        "betweenness": "unweighted, normalised by (n-1)(n-2)/2",
        "communities": "Leiden, modularity, weighted, seed 1",
    }
    return LabGraph(ordered, tie_list, params)
