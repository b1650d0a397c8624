"""Staff of the convening organisation and decisions (decision 0030 section 4): a convening seat,
during the handover, sees decisions and runs them and records hand votes while its powers allow,
and never votes; staff invited back get a 404 on every decision URL."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.decisions import services
from carecommons.decisions.models import Decision, Method, Participation
from carecommons.decisions.tests.factories import make_member, open_one, user_of
from carecommons.groups.models import CommunityGroup, HandoverArea, HandoverPlan
from carecommons.groups.tests.handover_factories import convened_group, hand_over, invite_back, plan_for
from carecommons.people.models import Person
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


@dataclass
class Convened:
    group: CommunityGroup
    plan: HandoverPlan
    staff: User
    members: list[Person]
    decision: Decision


@pytest.fixture
def convened() -> Convened:
    members = [make_member(name) for name in ("Amira", "Bilal")]
    staff = user_of(make_member("Sam"))
    group = convened_group(staff=[staff], members=[user_of(m) for m in members])
    plan = plan_for(group, staff)
    decision = open_one(group, members[0], "consent")
    return Convened(group=group, plan=plan, staff=staff, members=members, decision=decision)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(c: Convened, name: str, *extra: object) -> str:
    return reverse(name, args=[c.group.uuid, c.decision.uuid, *extra])


def test_convening_staff_see_a_decision_but_are_given_no_ballot(convened: Convened) -> None:
    client = client_for(convened.staff)
    assert client.get(reverse("decisions:decision_list", args=[convened.group.uuid])).status_code == 200
    page = client.get(url(convened, "decisions:decision_detail")).content.decode()
    assert "Only members of the group vote" in page
    assert 'id="ballot-heading"' not in page and 'name="choice"' not in page
    posted = client.post(url(convened, "decisions:decision_detail"), {"choice": "consent"})
    assert posted.status_code == 404
    assert not Participation.objects.filter(decision=convened.decision).exists()
    member_page = client_for(user_of(convened.members[1])).get(url(convened, "decisions:decision_detail"))
    assert 'id="ballot-heading"' in member_page.content.decode()


def test_convening_staff_never_vote_even_through_the_service(convened: Convened) -> None:
    with pytest.raises(ValidationError):
        services.cast_vote(
            decision=convened.decision,
            person=person_of(convened.staff),
            by=convened.staff,
            choices=["consent"],
        )


def test_convening_staff_record_hand_votes_and_close_until_running_decisions_moves(
    convened: Convened,
) -> None:
    client = client_for(convened.staff)
    response = client.post(
        url(convened, "decisions:vote_record"),
        {"person": str(convened.members[1].uuid), "method": Method.IN_ROOM, "choice": "consent"},
    )
    assert response.status_code == 302
    recorded = Participation.objects.get(decision=convened.decision, person=convened.members[1])
    assert recorded.recorded_by == convened.staff and recorded.method == Method.IN_ROOM
    assert client.get(url(convened, "decisions:decision_close")).status_code == 200

    hand_over(convened.plan, HandoverArea.RUNNING_DECISIONS)
    assert client.get(url(convened, "decisions:decision_detail")).status_code == 200
    assert client.get(url(convened, "decisions:vote_record")).status_code == 404
    assert client.get(url(convened, "decisions:decision_close")).status_code == 404


def test_convening_staff_lose_decisions_when_the_handover_completes(convened: Convened) -> None:
    hand_over(convened.plan, *HandoverArea)
    assert client_for(convened.staff).get(url(convened, "decisions:decision_detail")).status_code == 404


PAGES: list[tuple[str, Callable[[Convened], str]]] = [
    ("list", lambda c: reverse("decisions:decision_list", args=[c.group.uuid])),
    ("propose", lambda c: reverse("decisions:propose", args=[c.group.uuid])),
    ("create", lambda c: reverse("decisions:decision_create", args=[c.group.uuid, "proposal"])),
    ("detail", lambda c: url(c, "decisions:decision_detail")),
    ("record", lambda c: url(c, "decisions:vote_record")),
    ("close", lambda c: url(c, "decisions:decision_close")),
    ("outcome", lambda c: url(c, "decisions:outcome_state")),
    ("ics", lambda c: url(c, "decisions:decision_ics")),
]


@pytest.mark.parametrize("name", [name for name, _ in PAGES])
def test_staff_invited_back_get_a_404_on_every_decision_url(convened: Convened, name: str) -> None:
    hand_over(convened.plan, *HandoverArea)
    services.cast_vote(
        decision=convened.decision,
        person=convened.members[0],
        by=user_of(convened.members[0]),
        choices=["object"],
        reason="It would leave Tuesdays uncovered.",
    )
    guest = user_of(make_member("Tess"))
    invite_back(convened.group, guest, scope="see_and_advise")
    client = client_for(guest)
    assert client.get(reverse("groups:group_detail", args=[convened.group.uuid])).status_code == 200
    target = dict(PAGES)[name](convened)
    assert client.get(target).status_code == 404
    assert client.post(target, {}).status_code == 404
    objection = convened.decision.ballots.get().objection
    resolve = url(convened, "decisions:objection_resolve", objection.uuid)
    assert client.get(resolve).status_code == 404
