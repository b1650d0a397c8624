from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets.tests.factories import make_asset, make_issue, make_lab
from carecommons.audit.models import AuditEvent
from carecommons.groups.services import leave_group
from carecommons.initiatives import services
from carecommons.initiatives.models import InitiativeStatus, NeedKind
from carecommons.initiatives.tests.factories import group_of, make_action, make_initiative
from carecommons.learningsets.models import ActionCommitment
from carecommons.lib.action_states import ActionStatus
from carecommons.listening.themes import create_theme
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


def outsider_person():  # type: ignore[no-untyped-def]
    return create_person(by=None, given_name="Olu", family_name="Outside")


def test_the_starter_is_a_member_and_the_start_is_audited_without_the_typed_words(participant: User) -> None:
    group = group_of(participant)
    initiative = make_initiative(group, participant, purpose="Secret words")
    assert list(initiative.members.all()) == [person_of(participant)]
    assert initiative.status == InitiativeStatus.IDEA
    event = AuditEvent.objects.get(action="initiatives.started")
    assert "Secret words" not in str(event.detail)


def test_members_must_be_current_members_of_the_group(participant: User) -> None:
    group = group_of(participant)
    with pytest.raises(ValidationError) as error:
        make_initiative(group, participant, members=[outsider_person()])
    assert "members" in error.value.error_dict


def test_a_person_who_left_the_group_cannot_be_given_an_action(participant: User, facilitator: User) -> None:
    group = group_of(participant, facilitator)
    initiative = make_initiative(group, participant)
    leaving = group.memberships.get(person=person_of(facilitator))
    leave_group(membership=leaving, by=None, on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        make_action(initiative, facilitator)
    assert "owner" in error.value.error_dict


def test_themes_issues_and_assets_must_come_from_the_groups_own_lab(
    organiser: User, participant: User
) -> None:
    lab, other = make_lab("Riverside Care Lab", organiser=organiser), make_lab("Hilltop Care Lab")
    group = group_of(participant, lab=lab)
    theme, issue = create_theme(lab=lab, by=None, name="Loneliness"), make_issue(lab, by=organiser)
    initiative = make_initiative(group, participant, themes=[theme], issues=[issue], assets=[make_asset(lab)])
    assert [t.name for t in initiative.themes.all()] == ["Loneliness"]
    with pytest.raises(ValidationError) as error:
        make_initiative(
            group,
            participant,
            themes=[create_theme(lab=other, by=None, name="Damp")],
            issues=[make_issue(other, by=organiser)],
            assets=[make_asset(other)],
        )
    assert set(error.value.error_dict) == {"themes", "issues", "assets"}


def test_a_group_with_no_lab_takes_no_themes(organiser: User, participant: User) -> None:
    lab = make_lab("Riverside Care Lab", organiser=organiser)
    with pytest.raises(ValidationError):
        make_initiative(
            group_of(participant), participant, themes=[create_theme(lab=lab, by=None, name="Damp")]
        )


def test_status_changes_are_audited_and_the_same_status_is_refused(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    services.change_status(initiative=initiative, status=InitiativeStatus.ACTIVE, by=None)
    assert AuditEvent.objects.get(action="initiatives.status_changed").detail == {
        "from": "idea",
        "to": "active",
    }
    with pytest.raises(ValidationError):
        services.change_status(initiative=initiative, status=InitiativeStatus.ACTIVE, by=None)


def test_an_action_is_followed_up_once_with_the_learning_sets_states(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    action = make_action(initiative, participant)
    services.follow_up_action(
        action=action, status=ActionStatus.PARTLY, note="Hall booked for May only", by=None
    )
    action.refresh_from_db()
    assert (action.status, action.note, action.followed_up_on) == (
        "partly",
        "Hall booked for May only",
        timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.follow_up_action(action=action, status=ActionStatus.DONE, by=None)


def test_open_is_not_a_follow_up(participant: User) -> None:
    action = make_action(make_initiative(group_of(participant), participant), participant)
    with pytest.raises(ValidationError):
        services.follow_up_action(action=action, status=ActionStatus.OPEN, by=None)


def test_the_action_states_keep_the_values_learning_sets_stored() -> None:
    assert ActionStatus.values == ["open", "done", "partly", "not_done"]
    assert ActionCommitment._meta.get_field("status").choices == list(ActionStatus.choices)


def test_a_due_date_too_far_ahead_is_refused(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    with pytest.raises(ValidationError) as error:
        make_action(initiative, participant, due_in_days=5000)
    assert "due_on" in error.value.error_dict


def test_a_closed_initiative_takes_no_new_actions_or_needs(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    services.change_status(initiative=initiative, status=InitiativeStatus.CLOSED, by=None)
    with pytest.raises(ValidationError):
        make_action(initiative, participant)
    with pytest.raises(ValidationError):
        services.add_need(
            initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=2, by=None
        )


def test_a_money_need_has_an_amount_and_a_call_for_help_a_number(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    money = services.add_need(
        initiative=initiative, kind=NeedKind.MONEY, text="Hall hire", amount_pence=4500, by=None
    )
    assert (money.amount_pence, money.people_wanted) == (4500, None)
    with pytest.raises(ValidationError) as error:
        services.add_need(initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", by=None)
    assert "people_wanted" in error.value.error_dict


def test_members_answer_a_call_for_help_once_until_it_is_filled(
    participant: User, facilitator: User, treasurer: User
) -> None:
    group = group_of(participant, facilitator, treasurer)
    initiative = make_initiative(group, participant)
    need = services.add_need(
        initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=1, by=None
    )
    services.volunteer(need=need, person=person_of(facilitator), by=None)
    with pytest.raises(ValidationError, match="already volunteered"):
        services.volunteer(need=need, person=person_of(facilitator), by=None)
    with pytest.raises(ValidationError, match="Enough people"):
        services.volunteer(need=need, person=person_of(treasurer), by=None)
    with pytest.raises(ValidationError, match="not a current member"):
        services.volunteer(need=need, person=outsider_person(), by=None)
    assert need.volunteers.count() == 1


def test_a_member_joins_an_initiative_once(participant: User, facilitator: User) -> None:
    initiative = make_initiative(group_of(participant, facilitator), participant)
    services.join_initiative(initiative=initiative, person=person_of(facilitator), by=None)
    assert initiative.members.count() == 2
    with pytest.raises(ValidationError):
        services.join_initiative(initiative=initiative, person=person_of(facilitator), by=None)


def test_an_update_keeps_its_author_and_day(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    update = services.post_update(
        initiative=initiative, author=person_of(participant), text=" First lunch held ", by=None
    )
    assert (update.text, update.posted_on) == ("First lunch held", timezone.localdate())
    with pytest.raises(ValidationError):
        services.post_update(initiative=initiative, author=None, text="  ", by=None)
