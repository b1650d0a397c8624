from datetime import date

import pytest
from django.core.exceptions import ValidationError

from carecommons.audit.models import AuditEvent
from carecommons.finances import services as books
from carecommons.finances.ledger import Line
from carecommons.finances.models import Entry, Group, Transaction, TransactionKind
from carecommons.finances.tests.factories import account
from carecommons.people.services import create_person
from carecommons.statements import queries, services
from carecommons.statements.models import Match, MatchState, Rejection, StatementImport, StatementLine
from carecommons.statements.tests.factories import bank, imported, statement_csv, treasurers_group

pytestmark = pytest.mark.django_db


def donation(group: Group, pence: int, on: date) -> Entry:
    txn = books.record_donation(group=group, amount_pence=pence, occurred_on=on, by=None)
    return Entry.objects.get(transaction=txn, account=bank(group))


def spend(group: Group, pence: int, on: date, what: str = "Food parcel") -> Entry:
    txn = books.post_transaction(
        group=group,
        kind=TransactionKind.EXPENSE,
        occurred_on=on,
        description=what,
        lines=[Line(account(group, "Food and essentials").pk, pence), Line(bank(group).pk, -pence)],
        by=None,
    )
    return Entry.objects.get(transaction=txn, account=bank(group))


def line(description: str) -> StatementLine:
    return StatementLine.objects.get(description=description)


def test_each_line_is_suggested_the_entry_of_the_same_amount_at_the_nearest_date() -> None:
    group = treasurers_group()
    early = donation(group, 2500, date(2026, 10, 28))
    near = donation(group, 2500, date(2026, 11, 2))
    shop = spend(group, 1249, date(2026, 11, 3))
    donation(group, 2500, date(2026, 10, 1))  # too long before
    donation(group, 1249, date(2026, 11, 3))  # money in, not out
    imported(group, statement_csv([
        ("01/11/2026", "Gift A", "25.00", ""),
        ("04/11/2026", "Gift B", "25.00", ""),
        ("04/11/2026", "TESCO", "-12.49", ""),
        ("05/11/2026", "Unknown", "-3.00", ""),
    ]))  # fmt: skip
    suggested = dict(Match.objects.values_list("line__description", "entry_id"))
    assert suggested == {"Gift A": early.pk, "Gift B": near.pk, "TESCO": shop.pk}
    assert set(Match.objects.values_list("state", flat=True)) == {MatchState.SUGGESTED}
    assert not StatementLine.objects.filter(reconciled=True).exists()


def test_an_entry_already_matched_is_not_suggested_for_a_later_statement() -> None:
    group = treasurers_group()
    donation(group, 500, date(2026, 11, 1))
    imported(group, statement_csv([("01/11/2026", "Gift", "5.00", "")]))
    services.confirm_match(line=line("Gift"), by=None)
    imported(group, statement_csv([("02/11/2026", "Another gift", "5.00", "")]), filename="b.csv")
    assert not Match.objects.filter(line=line("Another gift")).exists()


def test_confirming_twice_does_nothing_the_second_time(treasurer) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    entry = donation(group, 500, date(2026, 11, 1))
    statement = imported(group, statement_csv([("01/11/2026", "Gift", "5.00", "")]))
    gift = line("Gift")
    assert services.confirm_match(line=gift, by=treasurer)
    first = Match.objects.get(line=gift)
    assert not services.confirm_match(line=gift, by=treasurer)
    again = Match.objects.get(line=gift)
    assert (again.state, again.entry_id, again.confirmed_at) == (
        MatchState.CONFIRMED,
        entry.pk,
        first.confirmed_at,
    )
    assert again.confirmed_by == treasurer
    assert line("Gift").reconciled
    confirmed = AuditEvent.objects.filter(action="statements.match_confirmed", target_id=str(statement.uuid))
    assert confirmed.count() == 1
    assert confirmed.get().detail["transaction"] == str(entry.transaction.uuid)


def test_a_rejected_suggestion_is_not_made_again_and_the_line_can_be_matched_by_hand(treasurer) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    wrong = donation(group, 500, date(2026, 11, 1))
    statement = imported(group, statement_csv([("02/11/2026", "Gift", "5.00", "")]))
    gift = line("Gift")
    assert services.reject_match(line=gift, by=treasurer)
    assert not services.reject_match(line=gift, by=treasurer)
    assert Rejection.objects.filter(line=gift, entry=wrong).exists()
    assert services.suggest_again(statement=statement, by=treasurer) == 0
    right = donation(group, 500, date(2026, 11, 5))
    assert services.suggest_again(statement=statement, by=treasurer) == 1
    assert Match.objects.get(line=gift).entry == right
    actions = list(
        AuditEvent.objects.filter(target_id=str(statement.uuid))
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions.count("statements.match_rejected") == 1


def test_choosing_an_entry_by_hand_confirms_it_and_takes_it_from_another_lines_suggestion(treasurer) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    entry = donation(group, 500, date(2026, 11, 1))
    imported(group, statement_csv([("01/11/2026", "Gift", "5.00", ""), ("03/11/2026", "Other", "6.00", "")]))
    assert Match.objects.get(line=line("Gift")).entry == entry
    other = line("Other")
    assert queries.candidates(other)[0] == entry
    match = services.match_line(line=other, entry=entry, by=treasurer)
    assert (match.state, match.confirmed_by) == (MatchState.CONFIRMED, treasurer)
    assert not Match.objects.filter(line=line("Gift")).exists()
    assert line("Other").reconciled
    with pytest.raises(ValidationError, match="already matched"):
        services.match_line(line=line("Other"), entry=entry, by=treasurer)
    with pytest.raises(ValidationError, match="already matched to another"):
        services.match_line(line=line("Gift"), entry=entry, by=treasurer)


def test_undoing_a_confirmed_match_makes_the_line_unmatched_again() -> None:
    group = treasurers_group()
    donation(group, 500, date(2026, 11, 1))
    imported(group, statement_csv([("01/11/2026", "Gift", "5.00", "")]))
    services.confirm_match(line=line("Gift"), by=None)
    assert queries.unmatched_counts([group.pk]) == {group.pk: 0}
    services.reject_match(line=line("Gift"), by=None)
    assert queries.unmatched_counts([group.pk]) == {group.pk: 1}
    assert not Match.objects.exists()


def test_an_entry_of_another_account_cannot_be_matched() -> None:
    group = treasurers_group()
    imported(group, statement_csv([("01/11/2026", "Gift", "5.00", "")]))
    cash = books.record_cash(
        group=group,
        amount_pence=500,
        occurred_on=date(2026, 11, 1),
        collected_by=create_person(by=None, given_name="Bo"),
        by=None,
    )
    with pytest.raises(ValidationError, match="this statement's account"):
        services.match_line(line=line("Gift"), entry=cash.entries.get(account__kind="cash"), by=None)


def test_unmatched_counts_for_many_groups_take_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    groups = [treasurers_group(name=f"Group {n}") for n in range(3)]
    for n, group in enumerate(groups[:2]):
        imported(group, statement_csv([(f"0{d}/11/2026", "Gift", "5.00", "") for d in range(1, n + 3)]))
    donation(groups[0], 500, date(2026, 11, 1))
    services.suggest_again(statement=StatementImport.objects.get(group=groups[0]), by=None)
    services.confirm_match(
        line=StatementLine.objects.filter(group=groups[0]).get(match__isnull=False), by=None
    )
    ids = [g.pk for g in groups]
    with django_assert_num_queries(1):
        counts = queries.unmatched_counts(ids)
    assert counts == {groups[0].pk: 1, groups[1].pk: 3, groups[2].pk: 0}


def test_the_ledger_balance_and_unmatched_entries_cover_the_statement_period() -> None:
    group = treasurers_group()
    donation(group, 1000, date(2026, 10, 1))
    inside = spend(group, 300, date(2026, 11, 2))
    donation(group, 999, date(2026, 12, 1))
    assert queries.ledger_balance(bank(group), date(2026, 11, 30)) == 700
    entries = queries.unmatched_entries(bank(group), date(2026, 11, 1), date(2026, 11, 30))
    assert list(entries) == [inside]
    assert Transaction.objects.count() == 3
