"""Erasing a person: their places and answers go; their actions and updates stay, unlinked and
reworded; their own data lists what initiatives held about them."""

import pytest

from carecommons.accounts.models import User
from carecommons.initiatives import services
from carecommons.initiatives.models import InitiativeAction, InitiativeUpdate, InitiativeVolunteer, NeedKind
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative
from carecommons.people.erasure import erase_person, plan_for
from carecommons.people.own_data import collect
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db


def test_erasure_unlinks_actions_and_updates_rewords_their_name_and_deletes_answers(
    participant: User,
) -> None:
    ann = create_person(by=None, given_name="Ann", family_name="Lee")
    group = group_of(participant, ann)
    initiative = make_initiative(group, participant, purpose="Ann Lee's idea", members=[ann])
    make_action(initiative, ann, "Ann Lee books the hall")
    services.post_update(initiative=initiative, author=ann, text="Ann Lee here: it went well", by=None)
    need = services.add_need(
        initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=2, by=None
    )
    services.volunteer(need=need, person=ann, by=None)
    assert dict(plan_for(ann).deleted)["answers to initiatives' calls for help"] == 1

    erase_person(person=ann, by=None, reason="They asked on 3 May")

    action, update = InitiativeAction.objects.get(), InitiativeUpdate.objects.get()
    assert action.owner is None and update.author is None
    assert "Ann Lee" not in action.text + update.text
    initiative.refresh_from_db()
    assert "Ann Lee" not in initiative.purpose
    assert not InitiativeVolunteer.objects.exists()
    assert list(initiative.members.values_list("given_name", flat=True)) == ["Participant"]


def test_their_own_data_lists_initiatives_actions_updates_and_answers(participant: User) -> None:
    ann = create_person(by=None, given_name="Ann", family_name="Lee")
    initiative = make_initiative(group_of(participant, ann), ann, "Lunch club")
    make_action(initiative, ann, "Book the hall")
    services.post_update(initiative=initiative, author=ann, text="It went well", by=None)
    text = str(collect(ann).section("initiatives").rows)
    assert "Lunch club" in text and "Book the hall" in text and "It went well" in text
