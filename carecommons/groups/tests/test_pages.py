"""The group pages, through HTTP: your groups, starting a group, the group page, joining,
inviting and leaving."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.decisions.tests.factories import open_one
from carecommons.finances.tests.factories import join as join_books
from carecommons.finances.tests.factories import make_group as make_books
from carecommons.groups import services
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    Joining,
    MembershipState,
    Power,
    RoleTerm,
)
from carecommons.groups.tests.factories import make_person, make_role
from carecommons.groups.tests.handover_factories import (
    convened_group,
    employ,
    invite_back,
    make_organisation,
    plan_for,
)
from carecommons.initiatives.tests.factories import make_action, make_initiative
from carecommons.people.services import create_person
from carecommons.programmes.services import create_programme
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session, person_of

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def found(user: User | None = None, name: str = "Riverside action group", **extra: Any) -> CommunityGroup:
    founder = person_of(user) if user is not None else make_person("Founding", "Member")
    return services.found_group(name=name, founder=founder, by=None, **extra)


def join(group: CommunityGroup, who: User | Any) -> GroupMembership:
    person = person_of(who) if isinstance(who, User) else who
    invitation = services.invite_member(group=group, person=person, by=None)
    return services.answer_invitation(membership=invitation, accept=True, by=None)


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_your_groups_lists_groups_invitations_and_requests_in_constant_queries(
    participant: User, client_for: Clients
) -> None:
    me = person_of(participant)
    client = client_for(participant)
    url = reverse("groups:group_list")
    few = queries_for(client, url)
    for n in range(3):
        join(found(name=f"Group {n}"), me)
        services.invite_member(group=found(name=f"Inviting {n}"), person=me, by=None)
        services.request_to_join(
            group=found(name=f"Open {n}", joining=Joining.INVITATION_OR_REQUEST), person=me, by=None
        )
    assert queries_for(client, url) == few
    page = client.get(url).content.decode()
    assert "Group 2" in page and "Join Inviting 2" in page and "Open 2: waiting for a member" in page


def test_anyone_with_a_record_starts_a_standalone_group_and_holds_its_rotating_convenor_role(
    participant: User, client_for: Clients
) -> None:
    key = str(uuid.uuid4())
    data = {"submission": key, "name": "Allotment action", "purpose": "Grow food", "joining": "invitation"}
    client = client_for(participant)
    response = client.post(reverse("groups:group_new"), data)
    again = client.post(reverse("groups:group_new"), data)
    group = CommunityGroup.objects.get()
    assert response["Location"] == again["Location"] == reverse("groups:group_detail", args=[group.uuid])
    assert group.lab is None and group.cohort is None and group.purpose == "Grow food"
    term = RoleTerm.objects.select_related("role").get(role__group=group)
    assert term.person == person_of(participant) and term.role.name == "Convenor"
    assert (term.role.term_months, term.role.max_consecutive_terms) == (12, 2)
    assert set(term.role.powers.values_list("power", flat=True)) == {
        Power.INVITE_PEOPLE,
        Power.RUN_DECISIONS,
        Power.RECORD_VOTES,
        Power.GIVE_ROLES,
        Power.INVITE_PROFESSIONALS,
    }


def test_a_group_may_name_only_a_gathering_its_founder_reaches(
    participant: User, facilitator: User, client_for: Clients
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    session = make_session(cohort, starts_at=timezone.now() - timedelta(days=2))
    data = {"name": "Formed at the hall", "joining": "invitation", "formed_at": str(session.uuid)}
    refused = client_for(participant).post(reverse("groups:group_new"), data)
    assert "Select a valid choice" in refused.content.decode()
    assert 'value="Formed at the hall"' in refused.content.decode()
    enrol(cohort, participant)
    client_for(participant).post(reverse("groups:group_new"), data)
    assert CommunityGroup.objects.get().formed_at == session


def test_an_organiser_starts_a_group_in_their_lab_and_a_participant_cannot_name_a_lab(
    organiser: User, participant: User, client_for: Clients
) -> None:
    lab = create_programme(
        by=None, name="Riverside Care Lab", description="Community organising.", kind="care_lab"
    )
    make_cohort(lab, facilitator=organiser)
    form = client_for(participant).get(reverse("groups:group_new")).content.decode()
    assert "Riverside Care Lab" not in form and 'name="lab"' not in form
    client_for(participant).post(
        reverse("groups:group_new"), {"name": "Mine", "joining": "invitation", "lab": str(lab.uuid)}
    )
    assert CommunityGroup.objects.get(name="Mine").lab is None
    client_for(organiser).post(
        reverse("groups:group_new"), {"name": "Lab group", "joining": "invitation", "lab": str(lab.uuid)}
    )
    assert CommunityGroup.objects.get(name="Lab group").lab == lab


def test_the_group_page_shows_roles_holders_and_the_rotation_to_members_only(
    participant: User, convenor: User, client_for: Clients
) -> None:
    group = found(purpose="Clean the river")
    join(group, participant)
    next_one = make_person("Next", "Convenor")
    join(group, next_one)
    convenor_role = group.roles.get()
    ends = convenor_role.terms.get().ends_on
    assert ends is not None
    services.give_term(role=convenor_role, person=next_one, starts_on=ends, by=None)
    url = reverse("groups:group_detail", args=[group.uuid])
    page = client_for(participant).get(url).content.decode()
    assert "Clean the river" in page and "Next Convenor" in page
    assert f"last day {(ends - timedelta(days=1)):%-d %B %Y}" in page
    assert f"from {ends:%-d %B %Y}" in page
    assert "No role at the moment." in page
    assert AuditEvent.objects.filter(actor=participant, action="groups.viewed").exists()
    assert client_for(convenor).get(url).status_code == 404


def test_the_group_page_query_count_stays_constant_as_members_roles_terms_initiatives_and_decisions_grow(
    participant: User, client_for: Clients
) -> None:
    today = timezone.localdate()
    group = found()
    join(group, participant)
    make_action(make_initiative(group, participant, "First"), participant)
    client = client_for(participant)
    url = reverse("groups:group_detail", args=[group.uuid])
    few = queries_for(client, url)
    for n in range(3):
        person = make_person(f"Member{n}", "Extra")
        join(group, person)
        role = make_role(group, f"Role {n}", term_months=3, seats=2, powers=[Power.RECORD_VOTES])
        services.give_term(role=role, person=person, starts_on=today, by=None)
        services.give_term(
            role=role, person=person_of(participant), starts_on=today + timedelta(days=100), by=None
        )
        make_action(make_initiative(group, person, f"Initiative {n}"), person)
        open_one(group, person_of(participant))
    assert queries_for(client, url) == few


def test_the_group_page_reads_books_in_the_same_query_as_without(
    participant: User, client_for: Clients
) -> None:
    plain = found()
    join(plain, participant)
    client = client_for(participant)
    few = queries_for(client, reverse("groups:group_detail", args=[plain.uuid]))
    books = make_books("Riverside mutual aid")
    join_books(books, participant)
    page = reverse("groups:group_detail", args=[books.group.uuid])
    assert queries_for(client, page) == few
    assert links_on(client, books.group)["money"]


def test_the_group_page_query_count_stays_constant_with_books_a_plan_and_more_staff_and_initiatives(
    participant: User, facilitator: User, evaluator: User, client_for: Clients
) -> None:
    books = make_books("Riverside mutual aid")
    join_books(books, participant)
    group = convened(books.group)
    assert group.convened_by is not None
    services.give_convening_seat(group=group, person=employ(group.convened_by, facilitator), by=None)
    plan_for(group, facilitator)
    make_initiative(group, participant, "First")
    client = client_for(participant)
    page = reverse("groups:group_detail", args=[group.uuid])
    few = queries_for(client, page)
    services.give_convening_seat(group=group, person=employ(group.convened_by, evaluator), by=None)
    for n in range(3):
        make_action(make_initiative(group, participant, f"Initiative {n}"), participant)
        open_one(group, person_of(participant))
    assert queries_for(client, page) == few
    assert links_on(client, group) == {
        "decisions": True, "initiatives": True, "handover": True, "money": True, "leave": True,
    }  # fmt: skip


def convened(group: CommunityGroup) -> CommunityGroup:
    """A group with books convened by an organisation. No service starts a group with books for an
    organisation, so the fixture sets the one field a convened group differs by."""
    CommunityGroup.objects.filter(pk=group.pk).update(convened_by=make_organisation())
    return CommunityGroup.objects.get(pk=group.pk)


def links_on(client: Client, group: CommunityGroup) -> dict[str, bool]:
    page = client.get(reverse("groups:group_detail", args=[group.uuid])).content.decode()
    return {
        "decisions": f'href="{reverse("decisions:decision_list", args=[group.uuid])}"' in page,
        "initiatives": f'href="{reverse("initiatives:initiative_list", args=[group.uuid])}"' in page,
        "handover": f'href="{reverse("groups:handover", args=[group.uuid])}"' in page,
        "money": hasattr(group, "books")
        and f'href="{reverse("finances:group_detail", args=[group.books.uuid])}"' in page,
        "leave": f'href="{reverse("groups:group_leave", args=[group.uuid])}"' in page,
    }


def test_a_member_of_a_group_with_books_and_no_handover_is_linked_to_initiatives_and_money(
    participant: User, client_for: Clients
) -> None:
    books = make_books("Riverside mutual aid")
    join_books(books, participant)
    assert links_on(client_for(participant), books.group) == {
        "decisions": True, "initiatives": True, "handover": False, "money": True, "leave": True,
    }  # fmt: skip


def test_staff_see_the_handover_link_while_convening_and_never_the_money_link(
    participant: User, facilitator: User, evaluator: User, client_for: Clients
) -> None:
    books = make_books("Riverside mutual aid")
    join_books(books, participant)
    group = convened(books.group)
    assert group.convened_by is not None
    services.give_convening_seat(group=group, person=employ(group.convened_by, facilitator), by=None)
    invite_back(group, evaluator)
    expected = {
        participant: {"decisions": True, "initiatives": True, "handover": True, "money": True, "leave": True},
        facilitator: {
            "decisions": True,
            "initiatives": True,
            "handover": True,
            "money": False,
            "leave": False,
        },
        evaluator: {
            "decisions": False,
            "initiatives": True,
            "handover": False,
            "money": False,
            "leave": False,
        },
    }
    for user, links in expected.items():
        assert links_on(client_for(user), group) == links, user.email


def test_the_handover_link_comes_with_convening_staff_or_a_plan(
    participant: User, facilitator: User, client_for: Clients
) -> None:
    group = convened_group(members=[participant])
    assert group.convened_by is not None
    client = client_for(participant)
    assert not links_on(client, group)["handover"]
    seat = services.give_convening_seat(group=group, person=employ(group.convened_by, facilitator), by=None)
    assert links_on(client, group)["handover"]
    plan_for(group, facilitator)
    services.end_convening_seat(seat=seat, by=None)
    assert links_on(client, group)["handover"]


def test_you_hold_box_shows_your_roles_and_powers(participant: User, client_for: Clients) -> None:
    group = found(participant)
    page = client_for(participant).get(reverse("groups:group_detail", args=[group.uuid])).content.decode()
    assert "Convenor, until" in page and "Invite people" in page and "Give roles" in page


def test_a_holder_invites_someone_the_group_knows_or_by_email_and_they_accept(
    facilitator: User, participant: User, outsider: User, client_for: Clients
) -> None:
    cohort = make_cohort()
    known = create_person(by=None, given_name="Known", family_name="Member")
    enrol(cohort, known)
    stranger = create_person(by=None, given_name="Not", family_name="Known")
    group = services.found_group(name="Cohort group", founder=person_of(facilitator), by=None, cohort=cohort)
    url = reverse("groups:members", args=[group.uuid])
    client = client_for(facilitator)
    form = client.get(url).content.decode()
    assert "Known Member" in form and "Not Known" not in form
    assert client.post(url, {"person": str(known.uuid)}).status_code == 302
    assert client.post(url, {"person": str(stranger.uuid)}).status_code == 200
    unknown = client.post(url, {"email": "nobody@example.org"}).content.decode()
    assert "Nobody here has that email address" in unknown and 'value="nobody@example.org"' in unknown
    assert client.post(url, {"email": participant.email.upper()}).status_code == 302
    invitation = GroupMembership.objects.get(group=group, person=person_of(participant))
    assert invitation.state == MembershipState.INVITED
    assert (
        client_for(outsider).get(reverse("groups:invitation_answer", args=[invitation.uuid])).status_code
        == 404
    )
    answer = client_for(participant).post(
        reverse("groups:invitation_answer", args=[invitation.uuid]), {"answer": "accept"}
    )
    assert answer["Location"] == reverse("groups:group_detail", args=[group.uuid])
    assert client_for(participant).get(url).status_code == 404  # a member without invite_people


def test_a_shared_link_shows_name_and_purpose_and_a_holder_answers_the_request(
    facilitator: User, participant: User, client_for: Clients
) -> None:
    group = services.found_group(
        name="Open group",
        purpose="Anyone nearby",
        founder=person_of(facilitator),
        by=None,
        joining=Joining.INVITATION_OR_REQUEST,
    )
    link = reverse("groups:group_join", args=[group.uuid])
    page = client_for(participant).get(link).content.decode()
    assert "Anyone nearby" in page and person_of(facilitator).display_name not in page
    assert Client().get(link).status_code == 302
    client_for(participant).post(link)
    asked = GroupMembership.objects.get(group=group, person=person_of(participant))
    assert asked.state == MembershipState.REQUESTED
    members = client_for(facilitator).get(reverse("groups:members", args=[group.uuid])).content.decode()
    assert person_of(participant).display_name in members
    client_for(facilitator).post(
        reverse("groups:request_answer", args=[group.uuid, asked.uuid]), {"answer": "accept"}
    )
    asked.refresh_from_db()
    assert asked.state == MembershipState.ACTIVE
    closed = found(name="Invitation only")
    assert client_for(participant).get(reverse("groups:group_join", args=[closed.uuid])).status_code == 404


def test_leaving_asks_first_then_ends_the_membership_and_the_role(
    participant: User, client_for: Clients
) -> None:
    group = found(participant)
    url = reverse("groups:group_leave", args=[group.uuid])
    client = client_for(participant)
    assert "Yes, leave the group" in client.get(url).content.decode()
    client.post(url)
    assert GroupMembership.objects.current(timezone.localdate()).filter(group=group).exists()
    client.post(url, {"confirm": "yes"})
    assert not GroupMembership.objects.current(timezone.localdate()).filter(group=group).exists()
    assert client.get(reverse("groups:group_detail", args=[group.uuid])).status_code == 404


def test_the_main_menu_links_to_your_groups_for_anyone_with_a_record(
    participant: User, client_for: Clients
) -> None:
    page = client_for(participant).get(reverse("home:index")).content.decode()
    assert f'href="{reverse("groups:group_list")}"' in page and "Your groups" in page


def test_a_member_starts_a_working_group_of_their_group_and_nobody_else_can(
    participant: User, outsider: User, client_for: Clients
) -> None:
    mutual_aid = found(name="Riverside Mutual Aid")
    join(mutual_aid, participant)
    form = client_for(participant).get(reverse("groups:group_new")).content.decode()
    assert "Riverside Mutual Aid" in form
    data = {"name": "Shopping rota", "joining": "invitation", "parent": str(mutual_aid.uuid)}
    client_for(participant).post(reverse("groups:group_new"), data)
    working = CommunityGroup.objects.get(name="Shopping rota")
    assert working.parent == mutual_aid and working.lab is None
    assert 'name="parent"' not in client_for(outsider).get(reverse("groups:group_new")).content.decode()
    client_for(outsider).post(reverse("groups:group_new"), {**data, "name": "Not mine"})
    assert CommunityGroup.objects.get(name="Not mine").parent is None  # a group of their own, no more
    with pytest.raises(ValidationError):
        services.found_group(name="Sneaky", founder=person_of(outsider), by=None, parent=mutual_aid)
