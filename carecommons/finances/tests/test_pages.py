import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.finances import services
from carecommons.finances.ledger import Line
from carecommons.finances.models import Balance, Group, GroupRole, Transaction, TransactionKind
from carecommons.finances.roles import treasurer_term_months
from carecommons.finances.tests.factories import account, held, join, make_group, member, memberships_of
from carecommons.lib.dates import add_months
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = add_months(TODAY.replace(day=1), -1)
TWO_MONTHS_AGO = add_months(TODAY.replace(day=1), -2)


def spend(group: Group, category: str, pence: int, *, on: date = TODAY) -> Transaction:
    return services.post_transaction(
        group=group,
        kind=TransactionKind.EXPENSE,
        occurred_on=on,
        description=f"Paid Mrs Smith for {category}",
        lines=[Line(account(group, category).pk, pence), Line(account(group, "Bank account").pk, -pence)],
        by=None,
    )


def test_a_member_sees_what_the_group_holds_and_its_latest_transactions(participant, client_for) -> None:
    group = make_group()
    join(group, participant)
    services.record_donation(group=group, amount_pence=12_345, occurred_on=TODAY, by=None, donor="Ann")
    spend(group, "Food and essentials", 2_000)
    page = client_for(participant).get(reverse("finances:group_detail", args=[group.uuid])).content.decode()
    assert "£103.45" in page  # held in the bank
    assert "Donation" in page and "Ann" not in page  # she did not agree to be named
    assert "Record money in" not in page  # a member is not a treasurer


def test_people_outside_the_group_get_a_404_for_every_group_page(outsider, convenor, client_for) -> None:
    group = make_group()
    txn = services.record_donation(group=group, amount_pence=100, occurred_on=TODAY, by=None)
    for user in (outsider, convenor):
        client = client_for(user)
        assert client.get(reverse("finances:group_detail", args=[group.uuid])).status_code == 404
        assert (
            client.get(reverse("finances:transaction_detail", args=[group.uuid, txn.uuid])).status_code == 404
        )


def test_a_former_member_loses_access_when_their_role_ends(participant, client_for) -> None:
    group = make_group()
    person = join(group, participant)
    url = reverse("finances:group_detail", args=[group.uuid])
    assert client_for(participant).get(url).status_code == 200
    for membership in memberships_of(group).filter(person=person):
        services.end_membership(membership=membership, by=None, on=TODAY - timedelta(days=1))
    assert client_for(participant).get(url).status_code == 404


def test_a_treasurer_records_a_donation_once_however_often_the_form_is_sent(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    client = client_for(treasurer)
    form = {
        "submission": str(uuid.uuid4()),
        "kind": "donation",
        "amount": "25.50",
        "occurred_on": TODAY.isoformat(),
        "into": account(group, "Bank account").pk,
        "name": "",
    }
    url = reverse("finances:income_new", args=[group.uuid])
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Transaction.objects.filter(group=group).count() == 1
    assert Balance.objects.get(account=account(group, "Bank account")).pence == 2550


def test_a_bad_amount_is_refused_beside_the_field_and_keeps_what_was_typed(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    response = client_for(treasurer).post(
        reverse("finances:income_new", args=[group.uuid]),
        {"kind": "grant", "amount": "12.345", "occurred_on": TODAY.isoformat(), "name": "City Council"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an amount in pounds and pence" in page
    assert "Choose the fund this grant is for." in page
    assert 'value="12.345"' in page and 'value="City Council"' in page
    assert not Transaction.objects.exists()


def test_a_member_cannot_record_income_or_reverse(client_for) -> None:
    group = make_group()
    approver = member(group, GroupRole.APPROVER)  # signs in with a second factor, as the role needs
    txn = services.record_donation(group=group, amount_pence=100, occurred_on=TODAY, by=None)
    client = client_for(approver)
    assert client.get(reverse("finances:income_new", args=[group.uuid])).status_code == 404
    reverse_url = reverse("finances:transaction_reverse", args=[group.uuid, txn.uuid])
    assert client.post(reverse_url, {"reason": "No"}).status_code == 404
    assert Transaction.objects.count() == 1


def test_the_ledger_page_query_count_does_not_grow_with_transactions(participant, client_for) -> None:
    group = make_group()
    join(group, participant)
    client = client_for(participant)
    url = reverse("finances:ledger", args=[group.uuid])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.record_donation(group=group, amount_pence=100, occurred_on=TODAY, by=None)
    few = count()
    for n in range(25):
        services.record_donation(group=group, amount_pence=100 + n, occurred_on=TODAY, by=None, donor=f"D{n}")
        spend(group, "Travel", 10 + n)
    assert count() == few


def test_treasurer_terms_are_limited_by_the_groups_rule(treasurer, client_for) -> None:
    group = make_group(treasurer_term_months=3)
    services.add_member(
        group=group,
        person=Person.objects.get(user=treasurer),
        role=GroupRole.TREASURER,
        by=None,
        ends_on=TODAY + timedelta(days=80),
    )
    newcomer = Person.objects.create(given_name="Rosa", family_name="Lee", sort_key="lee rosa")
    services.add_member(group=group, person=newcomer, role=GroupRole.MEMBER, by=None)
    client = client_for(treasurer)
    url = reverse("finances:members", args=[group.uuid])
    too_long = {"person": newcomer.pk, "role": "treasurer", "starts_on": TODAY.isoformat(), "ends_on": ""}
    response = client.post(url, too_long)
    assert response.status_code == 400
    assert "A term of this role lasts at most 3 months" in response.content.decode()
    ok = too_long | {"ends_on": (TODAY + timedelta(days=60)).isoformat()}
    assert client.post(url, ok).status_code == 302
    assert held(group, GroupRole.TREASURER).filter(person=newcomer).exists()
    assert AuditEvent.objects.filter(action="finances.member_added", target_id=str(group.uuid)).count() == 3


def test_the_public_page_is_off_until_the_group_turns_it_on(client) -> None:
    group = make_group()
    url = reverse("finances:public_page", args=[group.slug])
    assert client.get(url).status_code == 404
    services.update_policy(group=group, by=None, public_page=True)
    assert client.get(url).status_code == 200


def test_the_public_page_shows_categories_never_recipients_and_folds_small_ones(client) -> None:
    group = make_group()
    services.update_policy(group=group, by=None, public_page=True, public_intro="We share food.")
    services.record_donation(
        group=group, amount_pence=50_000, occurred_on=LAST_MONTH, by=None, donor="Quiet Donor"
    )
    services.record_donation(
        group=group,
        amount_pence=10_000,
        occurred_on=LAST_MONTH,
        by=None,
        donor="Corner Shop",
        donor_public=True,
    )
    for _ in range(5):
        spend(group, "Food and essentials", 1_000, on=LAST_MONTH)
    for _ in range(6):
        spend(group, "Travel", 2_000, on=LAST_MONTH)
    spend(group, "Medicine and prescriptions", 4_500, on=LAST_MONTH)
    page = client.get(reverse("finances:public_page", args=[group.slug])).content.decode()
    assert "Travel" in page and "£120.00" in page
    assert "Medicine and prescriptions" not in page  # one payment: never its own figure
    assert "£45.00" not in page  # nor an "Other spending" row resting on one payment ...
    assert "Other spending" in page and "£95.00" in page  # ... so the smallest category joins it
    assert "£215.00 was spent" in page
    assert "Mrs Smith" not in page  # descriptions never appear
    assert "Corner Shop" in page and "Quiet" not in page
    assert "<svg" in page and 'role="img"' in page


def test_the_rules_page_saves_the_approval_policy_and_audits_it(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER, GroupRole.APPROVER)
    rules = {"approval_threshold": "50", "approvals_over_threshold": "3", "treasurer_term_months": "3"}
    url = reverse("finances:policy", args=[group.uuid])
    refused = client_for(treasurer).post(url, rules)
    assert "The group has 1 approver" in refused.content.decode()
    for name in ("Ellen", "Tariq"):
        helper = Person.objects.create(given_name=name, family_name="Approver", sort_key=name.lower())
        services.add_member(group=group, person=helper, role=GroupRole.APPROVER, by=None)
    response = client_for(treasurer).post(url, rules)
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.approval_threshold_pence, group.approvals_over_threshold, treasurer_term_months(group)) == (
        5000,
        3,
        3,
    )
    assert group.approvals_needed(5000) == 1 and group.approvals_needed(5001) == 3
    assert AuditEvent.objects.filter(action="finances.policy_changed", target_id=str(group.uuid)).exists()


def test_budgets_show_planned_against_actual_spending_net_of_reversals(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    client = client_for(treasurer)
    url = reverse("finances:budgets", args=[group.uuid])
    food = account(group, "Food and essentials")
    year = TODAY.year
    plan = {"category": food.pk, "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31", "amount": "100"}
    assert client.post(url, plan | {"ends_on": f"{year - 1}-12-31"}).status_code == 400
    assert client.post(url, plan).status_code == 302
    spend(group, "Food and essentials", 3_000, on=date(year, 1, 1))
    mistake = spend(group, "Food and essentials", 9_999, on=date(year, 1, 1))
    services.reverse_transaction(txn=mistake, reason="Wrong amount", by=None, on=date(year, 1, 2))
    spend(group, "Food and essentials", 500, on=date(year - 1, 12, 31))  # outside the period
    page = client.get(url).content.decode()
    assert "£100.00" in page and "£30.00" in page and "£70.00" in page
    assert AuditEvent.objects.filter(action="finances.budget_set").count() == 1


def test_the_menu_offers_money_to_group_members_only(participant, outsider, client_for) -> None:
    group = make_group()
    join(group, participant)
    money = reverse("finances:my_groups")
    assert f'href="{money}"' in client_for(participant).get(reverse("home:index")).content.decode()
    assert f'href="{money}"' not in client_for(outsider).get(reverse("home:index")).content.decode()
    assert client_for(outsider).get(money).status_code == 404


def test_the_public_page_lists_no_single_payment_and_no_recipient(client) -> None:
    group = make_group()
    services.update_policy(group=group, by=None, public_page=True)
    services.record_donation(group=group, amount_pence=100_000, occurred_on=LAST_MONTH, by=None)
    for n in range(5):
        spend(group, "Food and essentials", 1_001 + n, on=LAST_MONTH)
    page = client.get(reverse("finances:public_page", args=[group.slug])).content.decode()
    assert "£50.15" in page  # the five together
    assert not any(f"£10.0{n + 1}" in page for n in range(5))  # never one of them alone
    assert "Mrs Smith" not in page and "Latest payments" not in page


def test_the_public_page_shows_no_spending_figure_resting_on_fewer_than_five_payments(client) -> None:
    group = make_group()
    services.update_policy(group=group, by=None, public_page=True)
    services.record_donation(group=group, amount_pence=50_000, occurred_on=LAST_MONTH, by=None)
    for _ in range(4):
        spend(group, "Utilities and bills", 2_500, on=LAST_MONTH)
    url = reverse("finances:public_page", args=[group.slug])
    page = client.get(url).content.decode()
    assert "£100.00" not in page and "£25.00" not in page and "was spent" not in page
    assert "Fewer than 5 payments in these twelve months" in page
    assert "not shown</span>" in page[page.index("Month by month") :]
    assert "holds" not in page  # a balance would move with every payment
    spend(group, "Utilities and bills", 2_500, on=LAST_MONTH)
    page = client.get(url).content.decode()
    assert "£125.00 was spent" in page and "Utilities and bills" in page
    months = page[page.index("Month by month") :]
    assert "£125.00" in months and "not shown</span>" not in months


def test_a_hidden_month_cannot_be_worked_out_from_the_total_and_the_other_months(client) -> None:
    group = make_group()
    services.update_policy(group=group, by=None, public_page=True)
    services.record_donation(group=group, amount_pence=90_000, occurred_on=TWO_MONTHS_AGO, by=None)
    for _ in range(5):
        spend(group, "Food and essentials", 1_000, on=TWO_MONTHS_AGO)
    spend(group, "Food and essentials", 3_333, on=LAST_MONTH)  # one payment: hidden
    page = client.get(reverse("finances:public_page", args=[group.slug])).content.decode()
    assert "£83.33 was spent" in page
    months = page[page.index("Month by month") :]
    assert "£50.00" not in months  # else £83.33 minus £50.00 gives the lone payment away
    assert months.count("not shown</span>") == 2


def test_the_public_page_shows_only_months_that_have_ended(client) -> None:
    group = make_group()
    services.update_policy(group=group, by=None, public_page=True)
    for _ in range(5):
        spend(group, "Food and essentials", 1_000, on=LAST_MONTH)
    url = reverse("finances:public_page", args=[group.slug])
    before = client.get(url).content.decode()
    spend(group, "Travel", 1_234)  # today: in no figure until the month has ended
    assert client.get(url).content.decode() == before
