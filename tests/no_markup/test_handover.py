"""Words typed about a group's handover are shown as text on its Handover page: the reason staff are
invited back, the names of staff and of the organisation, and the group's own name."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups.models import CommunityGroup, HandoverArea
from carecommons.groups.services import invite_staff_back
from carecommons.groups.tests.handover_factories import convened_group, employ, hand_over, plan_for
from carecommons.people.models import Organisation
from carecommons.people.services import update_person
from carecommons.programmes.tests.factories import person_of
from tests.no_markup.typed import shows, typed

pytestmark = pytest.mark.django_db


def test_purpose_names_and_group_name_in_markup_are_text_on_the_handover_page(
    organiser: User, participant: User, facilitator: User, client_for: Callable[[User], Client]
) -> None:
    group = convened_group(staff=[organiser], members=[participant])
    CommunityGroup.objects.filter(pk=group.pk).update(name=typed("Group"))
    assert group.convened_by is not None
    Organisation.objects.filter(pk=group.convened_by.pk).update(name=typed("Lab"))
    update_person(person=person_of(organiser), by=None, given_name=typed("Ann"))
    hand_over(plan_for(group, organiser), *HandoverArea)
    invite_staff_back(
        group=group,
        person=employ(group.convened_by, facilitator),
        purpose=typed("Purpose"),
        valid_until=timezone.now() + timedelta(days=3),
        by=None,
    )
    shows(
        client_for(participant),
        reverse("groups:handover", args=[group.uuid]),
        typed("Group"),
        typed("Lab"),
        typed("Ann"),
        typed("Purpose"),
    )
