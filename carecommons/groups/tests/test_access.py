"""Members see their group; to everyone else, site convenors included, it does not exist."""

from uuid import uuid4

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.access import get_group_for_user
from carecommons.groups.models import GroupMembership, Power
from carecommons.groups.tests.factories import make_group, make_role
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db


def test_a_member_sees_their_group_with_every_members_power_and_their_roles_powers(participant: User) -> None:
    me = person_of(participant)
    today = timezone.localdate()
    group = make_group(members=[me], today=today)
    role = make_role(group, "Inviter", powers=[Power.INVITE_PEOPLE])
    assert get_group_for_user(participant, group.uuid).powers == {Power.SEE}
    services.give_term(role=role, person=me, starts_on=today, by=None, today=today)
    access = get_group_for_user(participant, group.uuid, need=Power.INVITE_PEOPLE)
    assert access.group == group and access.person == me
    assert access.powers == {Power.SEE, Power.INVITE_PEOPLE}


def test_a_member_without_the_power_asked_for_gets_a_404(participant: User) -> None:
    group = make_group(members=[person_of(participant)], today=timezone.localdate())
    with pytest.raises(Http404):
        get_group_for_user(participant, group.uuid, need=Power.GIVE_ROLES)


@pytest.mark.parametrize("persona", ["convenor", "organiser", "facilitator", "outsider"])
def test_site_roles_and_outsiders_get_a_404(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    group = make_group(today=timezone.localdate())
    with pytest.raises(Http404):
        get_group_for_user(user, group.uuid)


def test_someone_invited_or_who_has_left_gets_a_404_and_so_does_an_unknown_group(
    participant: User, outsider: User
) -> None:
    today = timezone.localdate()
    group = make_group(members=[person_of(participant)], today=today)
    services.invite_member(group=group, person=person_of(outsider), by=None)
    services.leave_group(membership=GroupMembership.objects.get(person__user=participant), by=None, on=today)
    for user in (participant, outsider):
        with pytest.raises(Http404):
            get_group_for_user(user, group.uuid)
    with pytest.raises(Http404):
        get_group_for_user(participant, uuid4())


def test_a_signed_out_visitor_gets_a_404() -> None:
    group = make_group(today=timezone.localdate())
    with pytest.raises(Http404):
        get_group_for_user(AnonymousUser(), group.uuid)  # type: ignore[arg-type]
