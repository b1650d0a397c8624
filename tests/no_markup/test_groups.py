"""A group's name and purpose and the names of its roles, typed with markup, are shown as text on
every group page that shows them, and on the home page's items."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.models import Joining
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import person_of
from tests.no_markup.typed import shows, typed

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
GROUP, PURPOSE, ROLE, DESCRIPTION = typed("Group"), typed("Purpose"), typed("Role"), typed("Does")


def test_group_and_role_words_in_markup_are_text_on_the_group_pages(
    participant: User, facilitator: User, client_for: Clients
) -> None:
    today = timezone.localdate()
    group = services.found_group(
        name=GROUP,
        purpose=PURPOSE,
        founder=person_of(facilitator),
        by=None,
        joining=Joining.INVITATION_OR_REQUEST,
    )
    role = services.name_role(group=group, name=ROLE, description=DESCRIPTION, by=None, term_months=1)
    services.give_term(
        role=role, person=person_of(facilitator), starts_on=today, ends_on=today + timedelta(days=10), by=None
    )
    asking = create_person(by=None, given_name=typed("Asker"), family_name="Okafor")
    services.request_to_join(group=group, person=asking, by=None)
    invitation = services.invite_member(group=group, person=person_of(participant), by=None)
    holder = client_for(facilitator)
    shows(holder, reverse("groups:group_list"), GROUP)
    shows(holder, reverse("groups:group_detail", args=[group.uuid]), GROUP, PURPOSE, ROLE, DESCRIPTION)
    shows(holder, reverse("groups:role_detail", args=[group.uuid, role.uuid]), GROUP, ROLE, DESCRIPTION)
    shows(holder, reverse("groups:members", args=[group.uuid]), GROUP, typed("Asker"))
    shows(holder, reverse("home:index"), GROUP, ROLE)
    invited = client_for(participant)
    shows(invited, reverse("groups:group_list"), GROUP, PURPOSE)
    shows(invited, reverse("groups:invitation_answer", args=[invitation.uuid]), GROUP, PURPOSE)
    shows(invited, reverse("groups:group_join", args=[group.uuid]), GROUP, PURPOSE)
    shows(invited, reverse("home:index"), GROUP)
    shows(holder, reverse("groups:group_leave", args=[group.uuid]), GROUP)
