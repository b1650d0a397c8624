"""Books for a community group that already exists: an action group taking on money (decision 0030)."""

import pytest
from django.core.exceptions import ValidationError

from carecommons.finances import services
from carecommons.finances.models import Account, Group, GroupRole
from carecommons.finances.roles import money_role
from carecommons.groups.models import Power, Role
from carecommons.groups.tests.factories import make_group, make_person, make_role

pytestmark = pytest.mark.django_db


def test_books_for_an_existing_group_link_it_and_add_only_the_money_roles_it_lacks() -> None:
    group = make_group("Riverside Action Group", members=[make_person()])
    make_role(group, "Convenor", powers=[Power.INVITE_PEOPLE])
    make_role(group, "Keeper of the tin", term_months=6, powers=[Power.KEEP_BOOKS])
    books = services.create_group(slug="riverside-action", by=None, group=group, treasurer_term_months=3)
    assert Group.objects.get(pk=books.pk).group_id == group.pk and books.name == "Riverside Action Group"
    assert sorted(Role.objects.filter(group=group).values_list("name", flat=True)) == [
        "Approver",
        "Convenor",
        "Keeper of the tin",
    ]
    assert money_role(books, GroupRole.TREASURER).name == "Keeper of the tin"
    assert money_role(books, GroupRole.TREASURER).term_months == 6  # its own rule stands
    assert Account.objects.filter(group=books).count() == len(services.STARTING_ACCOUNTS)


def test_a_group_without_money_roles_gets_treasurer_and_approver() -> None:
    group = make_group("Tenants' group")
    books = services.create_group(slug="tenants", by=None, group=group, treasurer_term_months=4)
    assert money_role(books, GroupRole.TREASURER).term_months == 4
    assert money_role(books, GroupRole.APPROVER).name == "Approver"


def test_a_group_has_books_once_and_takes_no_second_name() -> None:
    group = make_group("Tenants' group")
    services.create_group(slug="tenants", by=None, group=group)
    with pytest.raises(ValidationError, match="already has books"):
        services.create_group(slug="tenants-again", by=None, group=group)
    assert Group.objects.filter(group=group).count() == 1
    with pytest.raises(ValueError, match="not both"):
        services.create_group(name="Other", slug="other", by=None, group=make_group("Other"))
