"""Naming roles and giving, planning, ending and cancelling terms, through HTTP."""

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.groups import services
from carecommons.groups.models import CommunityGroup, Power, Role, RoleTerm
from carecommons.groups.tests.factories import make_person, make_role
from carecommons.programmes.tests.factories import person_of

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def convened_by(user: User) -> CommunityGroup:
    return services.found_group(name="Riverside action group", founder=person_of(user), by=None)


def test_a_convenor_names_a_role_with_powers_once(participant: User, client_for: Clients) -> None:
    group = convened_by(participant)
    data = {
        "submission": str(uuid.uuid4()),
        "name": "Note-taker",
        "term_months": "3",
        "max_consecutive_terms": "2",
        "seats": "1",
        "powers": ["record_votes"],
    }
    client = client_for(participant)
    first = client.post(reverse("groups:role_new", args=[group.uuid]), data)
    second = client.post(reverse("groups:role_new", args=[group.uuid]), data)
    role = Role.objects.get(group=group, name="Note-taker")
    assert (
        first["Location"] == second["Location"] == reverse("groups:role_detail", args=[group.uuid, role.uuid])
    )
    assert list(role.powers.values_list("power", flat=True)) == ["record_votes"]


def test_money_powers_are_offered_only_to_holders_of_give_money_roles(
    participant: User, client_for: Clients
) -> None:
    group = convened_by(participant)
    url = reverse("groups:role_new", args=[group.uuid])
    client = client_for(participant)
    assert 'value="keep_books"' not in client.get(url).content.decode()
    refused = client.post(url, {"name": "Treasurer", "powers": ["keep_books"]}).content.decode()
    assert "Only a member who may give money roles" in refused and 'value="Treasurer"' in refused
    money = make_role(group, "Money", powers=[Power.GIVE_MONEY_ROLES])
    services.give_term(role=money, person=person_of(participant), starts_on=timezone.localdate(), by=None)
    assert 'value="keep_books"' in client.get(url).content.decode()


def test_a_role_that_handles_money_needs_give_money_roles_for_its_terms(
    participant: User, client_for: Clients
) -> None:
    group = convened_by(participant)
    treasurer = make_role(group, "Treasurer", powers=[Power.KEEP_BOOKS])
    page = client_for(participant).get(reverse("groups:role_detail", args=[group.uuid, treasurer.uuid]))
    assert "only a member who may give money roles" in page.content.decode()
    assert 'name="starts_on"' not in page.content.decode()


def test_a_term_the_rules_refuse_shows_why_beside_the_field_and_keeps_what_was_typed(
    participant: User, client_for: Clients
) -> None:
    today = timezone.localdate()
    group = convened_by(participant)
    other = make_person("Bea", "Ade")
    services.invite_member(group=group, person=other, by=None)
    services.answer_invitation(membership=group.memberships.get(person=other), accept=True, by=None)
    role = group.roles.get()
    url = reverse("groups:role_detail", args=[group.uuid, role.uuid])
    late = today + timedelta(days=30)
    page = client_for(participant).post(
        url, {"person": str(other.uuid), "starts_on": late.isoformat(), "ends_on": ""}
    )
    html = page.content.decode()
    assert page.status_code == 200
    field = html.split('name="starts_on"')[0].rsplit('<div class="form-field', 1)[1]
    assert "has-error" in field and "at most one person at a time" in html
    assert f'value="{late.isoformat()}"' in html and f'value="{other.uuid}" selected' in html


def test_planning_the_next_term_shows_on_the_group_page_and_can_be_cancelled_after_asking(
    participant: User, client_for: Clients
) -> None:
    group = convened_by(participant)
    other = make_person("Bea", "Ade")
    services.invite_member(group=group, person=other, by=None)
    services.answer_invitation(membership=group.memberships.get(person=other), accept=True, by=None)
    role = group.roles.get()
    ends = role.terms.get().ends_on
    assert ends is not None
    client = client_for(participant)
    client.post(
        reverse("groups:role_detail", args=[group.uuid, role.uuid]),
        {"person": str(other.uuid), "starts_on": ends.isoformat()},
    )
    planned = RoleTerm.objects.get(role=role, person=other)
    page = client.get(reverse("groups:group_detail", args=[group.uuid])).content.decode()
    assert f"Bea Ade: from {ends:%-d %B %Y}" in page
    cancel = reverse("groups:term_end", args=[group.uuid, planned.uuid])
    assert "Yes, cancel the planned term" in client.get(cancel).content.decode()
    client.post(cancel, {"confirm": "yes"})
    assert not RoleTerm.objects.filter(pk=planned.pk).exists()


def test_ending_a_current_term_asks_first_and_keeps_it_in_history(
    participant: User, client_for: Clients
) -> None:
    group = convened_by(participant)
    note_taker = make_role(group, "Note-taker", term_months=None, seats=None)
    term = services.give_term(
        role=note_taker,
        person=person_of(participant),
        starts_on=timezone.localdate() - timedelta(days=3),
        by=None,
    )
    url = reverse("groups:term_end", args=[group.uuid, term.uuid])
    client = client_for(participant)
    assert "Yes, end the term as Note-taker" in client.get(url).content.decode()
    client.post(url, {"confirm": "yes"})
    term.refresh_from_db()
    assert term.ends_on == timezone.localdate()
    assert client.get(url).status_code == 404
