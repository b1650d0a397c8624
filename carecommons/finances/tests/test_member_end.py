"""Ending someone's role cannot be undone, so it asks first (lib/confirm.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.finances.models import GroupRole
from carecommons.finances.tests.factories import held, make_group, member, memberships_of

pytestmark = pytest.mark.django_db


def test_ending_a_role_asks_first_and_only_the_yes_ends_it(client_for) -> None:
    group = make_group("Confirming Group")
    treasurer = member(group, "treasurer")
    helper = member(group, "approver")
    approvers = held(group, GroupRole.APPROVER)
    approver = approvers.current(timezone.localdate()).get(person__user=helper)
    url = reverse("finances:member_end", args=[group.uuid, approver.uuid])
    client = client_for(treasurer)
    assert f'href="{url}"' in client.get(reverse("finances:members", args=[group.uuid])).content.decode()
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        assert "Yes, end the role of approver" in response.content.decode()
    assert approvers.current(timezone.localdate()).filter(pk=approver.pk).exists()
    assert AuditEvent.objects.filter(action="finances.member_end_asked").count() == 2
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not approvers.filter(pk=approver.pk).exists()  # it began today, so it is taken out


def test_only_a_treasurer_of_the_group_reaches_the_confirmation(client_for) -> None:
    group = make_group("Confirming Group")
    member(group, "treasurer")
    plain = member(group)
    outsider = member(make_group("Another Group"), "treasurer")
    members = memberships_of(group).current(timezone.localdate())
    ended = members.get(person__user=plain)
    url = reverse("finances:member_end", args=[group.uuid, ended.uuid])
    for user in (plain, outsider):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"confirm": "yes"}).status_code == 404
    assert members.filter(pk=ended.pk).exists()
