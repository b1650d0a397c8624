"""The people app's access helpers: whose person a user is, and rows read through a loaded person."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.audit.access import audit_log_for
from carecommons.people import services
from carecommons.people.access import (
    erasure_requests_for,
    get_affiliation,
    get_relationship,
    organisations_visible_to,
    own_person,
)
from carecommons.people.models import Affiliation, Person, Relationship, RelationshipKind
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_own_person_is_the_users_person_asked_once_per_user_and_none_without_one() -> None:
    user = make_user("ruth", [Role.PARTICIPANT])
    fresh, expected = User.objects.get(pk=user.pk), Person.objects.get(user=user)
    with CaptureQueriesContext(connection) as queries:
        assert own_person(fresh) == expected
        assert own_person(fresh) == expected
    assert len(queries) == 1
    nobody = User.objects.get(pk=make_user("sam", [Role.PARTICIPANT], with_person=False).pk)
    assert own_person(nobody) is None and own_person(nobody) is None
    assert own_person(AnonymousUser()) is None and own_person(None) is None


def test_another_persons_affiliation_or_relationship_is_a_404_through_this_person() -> None:
    ada, bo = (services.create_person(by=None, given_name=name) for name in ("Ada", "Bo"))
    org = services.create_organisation(by=None, name="Levenshulme Food Friends", kind="grassroots")
    bos_affiliation = services.add_affiliation(person=bo, organisation=org, role="Volunteer", by=None)
    bos_tie = services.add_relationship(from_person=bo, to_person=ada, kind=RelationshipKind.FRIEND, by=None)
    assert get_affiliation(bo, bos_affiliation.pk) == bos_affiliation
    assert get_relationship(bo, bos_tie.pk) == bos_tie
    with pytest.raises(Http404):
        get_affiliation(ada, bos_affiliation.pk)
    with pytest.raises(Http404):
        get_relationship(ada, bos_tie.pk)  # recorded from Bo to Ada: only Bo's page removes it


def test_removing_another_persons_affiliation_through_a_persons_page_changes_nothing(
    convenor, client_for
) -> None:
    ada, bo = (services.create_person(by=None, given_name=name) for name in ("Ada", "Bo"))
    org = services.create_organisation(by=None, name="Levenshulme Food Friends", kind="grassroots")
    affiliation = services.add_affiliation(person=bo, organisation=org, role="Volunteer", by=None)
    tie = services.add_relationship(from_person=bo, to_person=ada, kind=RelationshipKind.FRIEND, by=None)
    client = client_for(convenor)
    url = reverse("people:affiliation_remove", args=[ada.uuid, affiliation.pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("people:relationship_remove", args=[ada.uuid, tie.pk])).status_code == 404
    assert Affiliation.objects.filter(pk=affiliation.pk).exists()
    assert Relationship.objects.filter(pk=tie.pk).exists()


def test_lists_behind_a_role_are_a_404_for_everyone_else(convenor, participant, outsider) -> None:
    assert audit_log_for(convenor) is not None and erasure_requests_for(convenor) is not None
    assert organisations_visible_to(participant) is not None
    for call, user in (
        (audit_log_for, participant),
        (erasure_requests_for, participant),
        (organisations_visible_to, outsider),
    ):
        with pytest.raises(Http404):
            call(user)
