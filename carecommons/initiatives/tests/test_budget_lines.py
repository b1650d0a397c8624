"""Money needs on a budget line of the group's own books: the service and the database refuse any
other line, the form offers only the group's lines, and the initiative page shows what was spent
against a line only to viewers who may see the group's money."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.finances import services as money
from carecommons.finances.ledger import Line
from carecommons.finances.models import Budget, Group, TransactionKind
from carecommons.finances.tests.factories import account, join, make_group
from carecommons.groups import services as groups
from carecommons.groups.models import CommunityGroup
from carecommons.groups.tests.handover_factories import employ, invite_back, make_organisation
from carecommons.initiatives import services
from carecommons.initiatives.models import Initiative, InitiativeNeed, NeedKind
from carecommons.initiatives.tests.factories import group_of, make_initiative

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]
KEY = "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
TODAY = timezone.localdate()


def books_with_member(user: User, name: str = "Riverside mutual aid") -> Group:
    books = make_group(name)
    join(books, user)
    return books


def travel_budget(books: Group, amount_pence: int = 20_000) -> Budget:
    return money.set_budget(
        group=books,
        category=account(books, "Travel"),
        starts_on=date(TODAY.year, 1, 1),
        ends_on=date(TODAY.year, 12, 31),
        amount_pence=amount_pence,
        by=None,
    )


def spend_on_travel(books: Group, pence: int) -> None:
    money.post_transaction(
        group=books,
        kind=TransactionKind.EXPENSE,
        occurred_on=TODAY,
        description="Bus fares",
        lines=[Line(account(books, "Travel").pk, pence), Line(account(books, "Bank account").pk, -pence)],
        by=None,
    )


def money_need(initiative: Initiative, budget: Budget | None = None) -> InitiativeNeed:
    return services.add_need(
        initiative=initiative,
        kind=NeedKind.MONEY,
        text="bus fares",
        amount_pence=3000,
        budget=budget,
        by=None,
    )


def detail_url(initiative: Initiative) -> str:
    return reverse("initiatives:initiative_detail", args=[initiative.group.uuid, initiative.uuid])


def convened_by_an_organisation(group: CommunityGroup) -> CommunityGroup:
    """The books' community group convened by an organisation. No service yet starts a group with
    books for an organisation, so the fixture sets the one field a convened group differs by."""
    CommunityGroup.objects.filter(pk=group.pk).update(convened_by=make_organisation())
    return CommunityGroup.objects.get(pk=group.pk)


def test_a_money_need_goes_on_a_budget_line_of_the_groups_own_books(participant: User) -> None:
    books = books_with_member(participant)
    budget = travel_budget(books)
    need = money_need(make_initiative(books.group, participant), budget)
    assert need.budget == budget


def test_another_groups_budget_line_is_refused(participant: User) -> None:
    books = books_with_member(participant)
    other = travel_budget(make_group("Northside mutual aid"))
    initiative = make_initiative(books.group, participant)
    with pytest.raises(ValidationError) as refused:
        money_need(initiative, other)
    assert refused.value.message_dict["budget"] == [services.NOT_OUR_BUDGET]
    assert not InitiativeNeed.objects.exists()


def test_a_group_without_books_cannot_use_any_budget_line(participant: User) -> None:
    initiative = make_initiative(group_of(participant), participant)
    with pytest.raises(ValidationError, match="own budget lines"):
        money_need(initiative, travel_budget(make_group()))


def test_a_call_for_help_on_a_budget_line_is_refused_by_the_service_and_the_database(
    participant: User,
) -> None:
    books = books_with_member(participant)
    budget = travel_budget(books)
    initiative = make_initiative(books.group, participant)
    with pytest.raises(ValidationError, match="Only a money need"):
        services.add_need(
            initiative=initiative,
            kind=NeedKind.PEOPLE,
            text="Drivers",
            people_wanted=2,
            budget=budget,
            by=None,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeNeed.objects.create(
            initiative=initiative, kind=NeedKind.PEOPLE, text="Drivers", people_wanted=2, budget=budget
        )


def test_the_need_form_offers_only_the_groups_budget_lines(participant: User, client_for: Clients) -> None:
    books = books_with_member(participant)
    ours = travel_budget(books)
    theirs = travel_budget(make_group("Northside mutual aid"), amount_pence=99_900)
    initiative = make_initiative(books.group, participant)
    url = reverse("initiatives:need_create", args=[books.group.uuid, initiative.uuid])
    client = client_for(participant)
    page = client.get(url).content.decode()
    assert f"Travel, 1 Jan {TODAY.year} to 31 Dec {TODAY.year}: £200.00 planned" in page
    assert "£999.00" not in page and "keeps no money here" not in page
    data = {"submission": KEY, "kind": "money", "text": "Bus fares", "amount_pence": "30"}
    response = client.post(url, data | {"budget": theirs.uuid})
    assert response.status_code == 200 and "budget" in response.context["form"].errors
    response = client.post(url, data | {"budget": ours.uuid})
    assert response.status_code == 302
    assert InitiativeNeed.objects.get().budget == ours


def test_the_need_form_says_when_the_group_keeps_no_money_here(
    participant: User, client_for: Clients
) -> None:
    group = group_of(participant)
    initiative = make_initiative(group, participant)
    response = client_for(participant).get(
        reverse("initiatives:need_create", args=[group.uuid, initiative.uuid])
    )
    assert "This group keeps no money here" in response.content.decode()
    assert "budget" not in response.context["form"].fields


def test_members_see_the_budget_line_and_what_was_spent_against_it(
    participant: User, client_for: Clients
) -> None:
    books = books_with_member(participant)
    initiative = make_initiative(books.group, participant)
    money_need(initiative, travel_budget(books))
    spend_on_travel(books, 4_550)
    page = client_for(participant).get(detail_url(initiative)).content.decode()
    assert "From the budget line Travel" in page
    assert "£200.00 planned, £45.50 spent" in page and "£154.50 left" in page


def test_staff_invited_back_or_convening_see_only_that_a_line_is_linked(
    participant: User, evaluator: User, facilitator: User, client_for: Clients
) -> None:
    books = books_with_member(participant)
    group = convened_by_an_organisation(books.group)
    assert group.convened_by is not None
    invite_back(group, evaluator)
    groups.give_convening_seat(group=group, person=employ(group.convened_by, facilitator), by=None)
    initiative = make_initiative(group, participant)
    money_need(initiative, travel_budget(books))
    spend_on_travel(books, 4_550)
    for staff in (evaluator, facilitator):
        response = client_for(staff).get(detail_url(initiative))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Linked to a budget line in the group's money." in page
        assert "Travel" not in page and "£45.50" not in page and "£200.00" not in page


def test_the_page_takes_the_same_queries_however_many_needs_sit_on_budget_lines(
    participant: User, client_for: Clients
) -> None:
    books = books_with_member(participant)
    initiative = make_initiative(books.group, participant)
    budget = travel_budget(books)
    money_need(initiative, budget)
    client = client_for(participant)

    def queries() -> int:
        client.get(detail_url(initiative))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail_url(initiative)).status_code == 200
        return len(captured)

    few = queries()
    for year in (1, 2, 3):
        other = money.set_budget(
            group=books,
            category=account(books, "Phone and data"),
            starts_on=date(TODAY.year - year, 1, 1),
            ends_on=date(TODAY.year - year, 12, 31),
            amount_pence=1_000,
            by=None,
        )
        money_need(initiative, other)
        money_need(initiative, budget)
    assert queries() == few
