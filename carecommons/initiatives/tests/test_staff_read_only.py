"""Staff of the convening organisation who reach a group (a convening seat, or invited back) read
its initiatives but change nothing: every write is a member's (decision 0030 section 4)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.groups import services as groups
from carecommons.groups.models import StaffVisit
from carecommons.groups.tests.handover_factories import employ, invite_back, make_organisation
from carecommons.initiatives import services
from carecommons.initiatives.models import Initiative, InitiativeAction, InitiativeNeed, NeedKind
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]
KEY = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


def staffed_initiative(member: User, convening: User, invited: User) -> Initiative:
    organisation = make_organisation()
    group = group_of(member, convened_by=organisation)
    groups.give_convening_seat(group=group, person=employ(organisation, convening), by=None)
    invite_back(group, invited)
    return make_initiative(group, member)


def writes(initiative: Initiative) -> dict[str, dict[str, object]]:
    group, action = initiative.group, make_action(initiative, initiative.members.get())
    need = services.add_need(
        initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=3, by=None
    )
    at = [group.uuid, initiative.uuid]
    return {
        reverse("initiatives:initiative_create", args=[group.uuid]): {
            "submission": KEY, "title": "Staff idea", "purpose": "Theirs", "status": "idea",
        },
        reverse("initiatives:initiative_status", args=at): {"status": "active"},
        reverse("initiatives:initiative_join", args=at): {"confirm": "yes"},
        reverse("initiatives:action_create", args=at): {"submission": KEY, "text": "Staff task"},
        reverse("initiatives:action_follow_up", args=[*at, action.uuid]): {"status": "done"},
        reverse("initiatives:update_create", args=at): {"submission": KEY, "text": "Staff news"},
        reverse("initiatives:need_create", args=at): {
            "submission": KEY, "kind": "people", "text": "Staff need", "people_wanted": 1,
        },
        reverse("initiatives:need_volunteer", args=[*at, need.uuid]): {"confirm": "yes"},
    }  # fmt: skip


def test_convening_and_invited_staff_read_initiatives_without_the_write_links(
    participant: User, facilitator: User, evaluator: User, client_for: Clients
) -> None:
    initiative = staffed_initiative(participant, facilitator, evaluator)
    make_action(initiative, participant, "Book the hall")
    group = initiative.group
    for staff in (facilitator, evaluator):
        client = client_for(staff)
        listing = client.get(reverse("initiatives:initiative_list", args=[group.uuid]))
        detail = client.get(reverse("initiatives:initiative_detail", args=[group.uuid, initiative.uuid]))
        assert listing.status_code == detail.status_code == 200
        page = listing.content.decode() + detail.content.decode()
        assert "Tuesday lunch club" in page and "Book the hall" in page
        for offer in ("Start an initiative", "Add an action", "Post an update", "Add a need", "Join it"):
            assert offer not in page, offer
        assert "Follow up" not in page and "Not followed up yet" in page
    assert StaffVisit.objects.filter(invitation__person__user=evaluator).count() == 2
    member_page = client_for(participant).get(
        reverse("initiatives:initiative_detail", args=[group.uuid, initiative.uuid])
    )
    assert "Add an action" in member_page.content.decode()


def test_convening_and_invited_staff_get_a_404_from_every_write(
    participant: User, facilitator: User, evaluator: User, client_for: Clients
) -> None:
    initiative = staffed_initiative(participant, facilitator, evaluator)
    pages = writes(initiative)
    before = (
        Initiative.objects.count(),
        InitiativeAction.objects.count(),
        InitiativeNeed.objects.count(),
        initiative.updates.count(),
        AuditEvent.objects.filter(action__startswith="initiatives.", actor__isnull=False).count(),
    )
    for staff in (facilitator, evaluator):
        client = client_for(staff)
        for url, data in pages.items():
            assert client.get(url).status_code == 404, url
            assert client.post(url, data).status_code == 404, url
    initiative.refresh_from_db()
    assert initiative.status == "idea" and initiative.members.count() == 1
    assert not InitiativeAction.objects.exclude(status="open").exists()
    assert not initiative.needs.get().volunteers.exists()
    assert (
        Initiative.objects.count(),
        InitiativeAction.objects.count(),
        InitiativeNeed.objects.count(),
        initiative.updates.count(),
        AuditEvent.objects.filter(action__startswith="initiatives.", actor__isnull=False).count(),
    ) == before
