from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.listening.tests.factories import (
    conversation_wording,
    make_lab,
    make_person,
    record_conversation,
)
from carecommons.networks.graph import LabGraph, build_lab_graph
from carecommons.networks.tests.factories import Network, key, make_network
from carecommons.people.models import ConsentMethod, ConsentPurpose
from carecommons.people.services import (
    add_affiliation,
    add_relationship,
    create_organisation,
    record_consent,
)
from carecommons.programmes.services import record_attendance
from carecommons.programmes.tests.factories import enrol, make_session

pytestmark = pytest.mark.django_db


def ties_by_pair(graph: LabGraph) -> dict[frozenset[str], tuple[tuple[str, ...], float]]:
    return {frozenset((t.source, t.target)): (t.kinds, t.weight) for t in graph.ties}


def test_the_lab_network_has_its_people_their_organisations_and_every_kind_of_tie(
    organiser: User,
) -> None:
    net = make_network(organiser)
    graph = build_lab_graph(net.lab)
    people = [net.organiser, net.amira, net.bea, net.cal, net.dev]
    assert {node.key for node in graph.nodes} == {key(p) for p in people} | {key(net.library)}
    labels = {node.key: node.label for node in graph.nodes}
    assert labels[key(net.amira)] == "Amira Khan"
    assert labels[key(net.library)] == net.library.name
    amira, bea, cal = key(net.amira), key(net.bea), key(net.cal)
    assert ties_by_pair(graph) == {
        frozenset((key(net.organiser), amira)): (("listened",), 1.0),
        frozenset((bea, amira)): (("attended together", "introduced"), 1.5),
        frozenset((amira, cal)): (("attended together", "friend", "suggested"), 2.5),
        frozenset((bea, cal)): (("attended together",), 0.5),
        frozenset((amira, key(net.library))): (("affiliated",), 1.0),
    }
    assert all(tie.source < tie.target for tie in graph.ties)


def test_people_and_ties_outside_the_lab_are_left_out(organiser: User) -> None:
    net = make_network(organiser)
    stranger = make_person("Sam", "Stranger")
    other_lab = make_lab("Other Lab", organiser=organiser)
    record_conversation(other_lab, by=organiser, person=stranger)
    add_relationship(from_person=net.amira, to_person=stranger, kind="family", by=None)
    add_affiliation(person=stranger, organisation=net.library, role="member", by=None)
    old_club = create_organisation(by=None, name="Old Club", kind="charity")
    add_affiliation(
        person=net.bea,
        organisation=old_club,
        role="member",
        by=None,
        started_on=date(2020, 1, 1),
        ended_on=date(2021, 1, 1),
    )
    keys = {node.key for node in build_lab_graph(net.lab).nodes}
    assert key(stranger) not in keys
    assert key(old_club) not in keys


def test_nodes_and_ties_come_in_the_order_their_rows_were_created_not_by_uuid(organiser: User) -> None:
    net = make_network(organiser)
    graph = build_lab_graph(net.lab)
    people = sorted((net.organiser, net.amira, net.bea, net.cal, net.dev), key=lambda p: p.pk)
    assert [node.key for node in graph.nodes] == [key(net.library)] + [key(p) for p in people]
    position = {node.key: i for i, node in enumerate(graph.nodes)}
    pairs = [sorted((position[tie.source], position[tie.target])) for tie in graph.ties]
    assert pairs == sorted(pairs)


def test_a_bigger_gathering_weighs_less_per_pair(organiser: User) -> None:
    lab = make_lab(organiser=organiser)
    people = [make_person(f"P{i}", "Member") for i in range(5)]
    cohort = lab.cohorts.get()
    for person in people:
        enrol(cohort, person)
    small = make_session(cohort, starts_at=timezone.now() - timedelta(days=9), title="Small")
    big = make_session(cohort, starts_at=timezone.now() - timedelta(days=2), title="Big")
    for person in people[:2]:
        record_attendance(session=small, person=person, status="attended", by=None)
    for person in people:
        record_attendance(session=big, person=person, status="attended", by=None)
    pairs = ties_by_pair(build_lab_graph(lab))
    assert pairs[frozenset((key(people[0]), key(people[1])))] == (("attended together",), 1.25)
    assert pairs[frozenset((key(people[3]), key(people[4])))] == (("attended together",), 0.25)


def test_suggestions_stop_counting_as_soon_as_the_person_withdraws_consent_to_notes(
    organiser: User,
) -> None:
    net = make_network(organiser)
    sam = make_person("Sam", "Suggested")
    record_conversation(net.lab, by=organiser, person=net.amira, suggested_people=[sam])
    amira_cal = frozenset((key(net.amira), key(net.cal)))
    before = build_lab_graph(net.lab)
    assert "suggested" in ties_by_pair(before)[amira_cal][0]
    assert key(sam) in {node.key for node in before.nodes}

    record_consent(
        person=net.amira,
        purpose=ConsentPurpose.CONVERSATION,
        given=False,
        method=ConsentMethod.VERBAL,
        wording=conversation_wording(),
        by=None,
    )
    after = build_lab_graph(net.lab)
    assert ties_by_pair(after)[amira_cal] == (("attended together", "friend"), 1.5)
    assert key(sam) not in {node.key for node in after.nodes}
    assert all("suggested" not in tie.kinds for tie in after.ties)


def test_as_of_a_past_day_counts_only_the_ties_dated_by_then(organiser: User) -> None:
    net = make_network(organiser)
    graph = build_lab_graph(net.lab, as_of=timezone.now() - timedelta(days=10))
    assert ties_by_pair(graph) == {frozenset((key(net.amira), key(net.library))): (("affiliated",), 1.0)}
    members = {key(p) for p in (net.organiser, net.amira, net.bea, net.cal, net.dev)}
    assert members <= {node.key for node in graph.nodes}
    assert graph.params["as_of"] is not None


def grow(net: Network, organiser: User, count: int) -> None:
    cohort = net.lab.cohorts.get()
    session = make_session(cohort, starts_at=timezone.now() - timedelta(days=1), title=f"More {count}")
    org = create_organisation(by=None, name=f"Group {count}", kind="charity")
    for i in range(count):
        person = make_person(f"Extra{i}", f"Person{count}")
        enrol(cohort, person)
        record_conversation(net.lab, by=organiser, person=person, introduced_by=net.amira)
        record_attendance(session=session, person=person, status="attended", by=None)
        add_affiliation(person=person, organisation=org, role="member", by=None)
        add_relationship(from_person=person, to_person=net.bea, kind="neighbour", by=None)


def test_building_the_graph_takes_the_same_number_of_queries_at_any_size(organiser: User) -> None:
    net = make_network(organiser)
    with CaptureQueriesContext(connection) as small:
        small_graph = build_lab_graph(net.lab)
    grow(net, organiser, 12)
    with CaptureQueriesContext(connection) as large:
        large_graph = build_lab_graph(net.lab)
    assert len(large_graph.nodes) > len(small_graph.nodes) + 12
    assert len(large.captured_queries) == len(small.captured_queries)
