"""An initiative started from a closed decision of its group: the decision page offers it to members,
the form starts from the decision's title and outcome, and the initiative page links back."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from carecommons.decisions import services as decisions
from carecommons.decisions.models import Decision
from carecommons.decisions.tests.factories import make_member, open_one, user_of
from carecommons.groups.models import CommunityGroup, HandoverArea
from carecommons.groups.tests.handover_factories import convened_group, hand_over, invite_back, plan_for
from carecommons.initiatives.models import Initiative
from carecommons.initiatives.tests.factories import group_of, make_initiative
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db

Trio = tuple[CommunityGroup, list[Person]]


@pytest.fixture
def trio() -> Trio:
    people = [make_member(name) for name in ("Amira", "Bilal", "Cara")]
    return group_of(*people), people


def client_of(person: Person) -> Client:
    client = Client()
    client.force_login(user_of(person))
    return client


def closed(
    group: CommunityGroup, by: Person, statement: str = "We start a lunch club on Tuesdays."
) -> Decision:
    decision = open_one(group, by)
    decisions.cast_vote(decision=decision, person=by, by=user_of(by), choices=["agree"])
    decisions.close_decision(decision=decision, by=user_of(by))
    decisions.state_outcome(decision=decision, by=user_of(by), statement=statement, review_on=None)
    return decision


def test_an_initiative_names_the_decision_it_came_from(trio: Trio) -> None:
    group, (amira, *_) = trio
    decision = closed(group, amira)
    initiative = make_initiative(group, amira, decision=decision)
    assert list(decision.initiatives.all()) == [initiative]


def test_a_decision_of_another_group_or_still_open_is_refused(trio: Trio) -> None:
    group, (amira, *_) = trio
    elsewhere = group_of(amira, name="Another group")
    with pytest.raises(ValidationError) as refused:
        make_initiative(group, amira, decision=closed(elsewhere, amira))
    assert "decision" in refused.value.message_dict
    with pytest.raises(ValidationError):
        make_initiative(group, amira, decision=open_one(group, amira))


def test_a_member_starts_an_initiative_from_a_closed_decisions_page(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = closed(group, amira)
    detail = reverse("decisions:decision_detail", args=[group.uuid, decision.uuid])
    create = reverse("initiatives:initiative_create", args=[group.uuid]) + f"?decision={decision.uuid}"
    assert create.replace("&", "&amp;") in client_of(bilal).get(detail).content.decode()
    form = client_of(bilal).get(create).content.decode()
    assert "We start a lunch club on Tuesdays." in form and decision.title in form
    data = {
        "submission": "7e0c2a51-3b9d-4f1e-8a6c-1d2e3f4a5b6c",
        "title": decision.title,
        "purpose": "We start a lunch club on Tuesdays.",
        "status": "idea",
    }
    response = client_of(bilal).post(create, data)
    assert response.status_code == 302
    initiative = Initiative.objects.get(group=group)
    assert initiative.decision == decision
    page = client_of(amira).get(response["Location"]).content.decode()
    assert detail in page
    assert reverse("initiatives:initiative_detail", args=[group.uuid, initiative.uuid]) in (
        client_of(amira).get(detail).content.decode()
    )


def test_an_open_decision_offers_no_initiative_and_a_foreign_one_is_ignored(trio: Trio) -> None:
    group, (amira, *_) = trio
    still_open = open_one(group, amira)
    detail = reverse("decisions:decision_detail", args=[group.uuid, still_open.uuid])
    assert "Start an initiative from this decision" not in client_of(amira).get(detail).content.decode()
    create = reverse("initiatives:initiative_create", args=[group.uuid]) + f"?decision={still_open.uuid}"
    assert still_open.title not in client_of(amira).get(create).content.decode()


def test_staff_invited_back_read_the_initiative_but_not_which_decision_it_came_from() -> None:
    amira = make_member("Amira")
    staff = user_of(make_member("Sam"))
    group = convened_group(staff=[staff], members=[user_of(amira)])
    hand_over(plan_for(group, staff), *HandoverArea)
    decision = closed(group, amira)
    initiative = make_initiative(group, amira, decision=decision)
    guest = user_of(make_member("Tess"))
    invite_back(group, guest)
    page = reverse("initiatives:initiative_detail", args=[group.uuid, initiative.uuid])
    seen = Client()
    seen.force_login(guest)
    text = seen.get(page).content.decode()
    assert initiative.title in text and decision.title not in text
    assert decision.title in client_of(amira).get(page).content.decode()
