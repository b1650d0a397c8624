"""The site's day is London's. At half past midnight on a summer night it is still the day before
in UTC, and everything that means "today" must take London's date, not the server's.

Each test fixes Django's own clock (`django.utils.timezone.now`) at 23:30 UTC on 15 July 2026,
which is 00:30 British Summer Time on 16 July; nothing of ours is replaced."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms
from django.conf import settings
from django.utils import timezone

from carecommons.accounts.models import Role
from carecommons.expenses import services as expenses
from carecommons.expenses.forms import ExpenseForm, PayForm
from carecommons.finances import portable, services
from carecommons.finances.forms import IncomeForm, MemberForm
from carecommons.finances.models import GroupRole
from carecommons.finances.tests.factories import account, held, make_group, person_of
from carecommons.groups.forms import TermForm
from carecommons.lib.dates import add_months
from carecommons.listening.forms import ConversationForm
from carecommons.listening.tests.factories import make_lab, record_conversation
from conftest import make_user

HALF_PAST_MIDNIGHT_IN_LONDON = datetime(2026, 7, 15, 23, 30, tzinfo=UTC)
LONDON_TODAY = date(2026, 7, 16)
EARLIER = date(2026, 7, 1)


@pytest.fixture
def half_past_midnight(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    """Django's clock stands at 00:30 in London, 23:30 the day before in UTC. Used before anything
    is made, so every row's own dates come from the same clock."""
    monkeypatch.setattr(timezone, "now", lambda: HALF_PAST_MIDNIGHT_IN_LONDON)


def test_the_site_keeps_london_time_so_half_past_midnight_is_already_the_next_day() -> None:
    assert settings.TIME_ZONE == "Europe/London" and settings.USE_TZ
    assert timezone.localdate(HALF_PAST_MIDNIGHT_IN_LONDON) == LONDON_TODAY
    assert HALF_PAST_MIDNIGHT_IN_LONDON.date() == LONDON_TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (ExpenseForm, "spent_on"),
        (PayForm, "paid_on"),
        (IncomeForm, "occurred_on"),
        (MemberForm, "starts_on"),
        (ConversationForm, "held_on"),
        (TermForm, "starts_on"),
    ],
)
def test_every_form_that_proposes_today_proposes_londons_day(
    half_past_midnight: None, form: type[forms.Form], field: str
) -> None:
    assert form.base_fields[field].initial() == LONDON_TODAY


def test_a_role_that_starts_today_in_london_counts_from_half_past_midnight(half_past_midnight: None) -> None:
    group = make_group()
    person = person_of(make_user("ada", []))
    role = services.add_member(
        group=group,
        person=person,
        role=GroupRole.APPROVER,
        by=None,
        starts_on=LONDON_TODAY,
        ends_on=LONDON_TODAY + timedelta(days=1),
    )
    assert list(held(group, GroupRole.APPROVER).current(timezone.localdate())) == [role]


def test_a_role_added_without_a_date_starts_on_londons_day(half_past_midnight: None) -> None:
    group = make_group()
    role = services.add_member(
        group=group, person=person_of(make_user("ada", [])), role=GroupRole.MEMBER, by=None
    )
    assert role.starts_on == LONDON_TODAY


def test_ending_a_role_without_a_date_ends_it_on_londons_day(half_past_midnight: None) -> None:
    group = make_group()
    role = services.add_member(
        group=group, person=person_of(make_user("ada", [])), role=GroupRole.MEMBER, by=None, starts_on=EARLIER
    )
    services.end_membership(membership=role, by=None)
    role.refresh_from_db()
    assert role.ends_on == LONDON_TODAY


def test_a_first_treasurers_term_runs_from_londons_day(half_past_midnight: None) -> None:
    group = make_group(treasurer_term_months=12)
    services.add_first_treasurer(group=group, person=person_of(make_user("tess", [])), by=None)
    term = held(group, GroupRole.TREASURER).get()
    assert (term.starts_on, term.ends_on) == (LONDON_TODAY, add_months(LONDON_TODAY, 12))


def test_a_donation_received_today_in_london_is_accepted_and_its_reversal_dated_that_day(
    half_past_midnight: None,
) -> None:
    group = make_group()
    donation = services.record_donation(group=group, amount_pence=2_000, occurred_on=LONDON_TODAY, by=None)
    reversal = services.reverse_transaction(txn=donation, reason="Counted twice", by=None)
    assert reversal.occurred_on == LONDON_TODAY


def test_a_claim_spent_today_in_london_is_accepted_and_paid_on_londons_day(half_past_midnight: None) -> None:
    group = make_group(approval_threshold_pence=5_000)
    claimant, tess = make_user("claimant", []), make_user("tess", [])
    services.add_member(group=group, person=person_of(claimant), role=GroupRole.MEMBER, by=None)
    services.add_first_treasurer(group=group, person=person_of(tess), by=None)
    services.add_member(group=group, person=person_of(tess), role=GroupRole.APPROVER, by=None)
    expense = expenses.create_expense(
        group=group,
        by=claimant,
        amount_pence=1_250,
        category=account(group, "Food and essentials"),
        description="Milk and bread",
        spent_on=LONDON_TODAY,
        submit=True,
    )
    expenses.approve_expense(expense=expense, by=tess)
    paid = expenses.pay_expense(expense=expense, by=tess, account=account(group, "Bank account"))
    assert paid.spent_on == LONDON_TODAY
    assert paid.paid_transaction is not None and paid.paid_transaction.occurred_on == LONDON_TODAY


def test_a_conversation_held_today_in_london_is_accepted(half_past_midnight: None) -> None:
    organiser = make_user("organiser", [Role.ORGANISER])
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, held_on=LONDON_TODAY)
    assert conversation.held_on == LONDON_TODAY


def test_an_exported_book_is_dated_londons_day(half_past_midnight: None) -> None:
    assert portable.export_json(group=make_group(), by=None)["exported_on"] == LONDON_TODAY.isoformat()
