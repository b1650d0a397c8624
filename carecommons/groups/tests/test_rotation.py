"""The term rules, pure, held to plain day-by-day references by property tests."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.groups.rotation import Rule, Span, run_length, term_errors
from carecommons.lib.dates import add_months

PROPERTY = settings(max_examples=150, deadline=None)
START = date(2026, 1, 1)


def test_back_to_back_terms_are_in_a_row_and_a_full_term_out_starts_a_new_run() -> None:
    rule = Rule(term_months=12, max_consecutive_terms=2)
    first, second = Span(date(2024, 1, 1), date(2025, 1, 1)), Span(date(2025, 1, 1), date(2026, 1, 1))
    assert term_errors(rule, Span(date(2026, 12, 31), date(2027, 12, 31)), [first, second], []) != []
    assert term_errors(rule, Span(date(2027, 1, 1), date(2028, 1, 1)), [first, second], []) == []


def test_a_term_planned_into_a_gap_that_would_join_two_runs_is_refused() -> None:
    rule = Rule(term_months=6, max_consecutive_terms=2)
    before, after = Span(date(2026, 1, 1), date(2026, 7, 1)), Span(date(2027, 1, 1), date(2027, 7, 1))
    assert term_errors(rule, Span(date(2026, 7, 1), date(2027, 1, 1)), [before, after], []) != []


def test_an_open_ended_term_overlaps_everything_after_it() -> None:
    assert term_errors(Rule(), Span(date(2030, 1, 1), None), [Span(date(2020, 1, 1), None)], []) == [
        "They already hold this role for part of that time."
    ]


# Terms as (start offset in days, length in months), turned into dates from START.
terms = st.lists(st.tuples(st.integers(0, 1500), st.integers(1, 6)), max_size=6)


def spans(raw: list[tuple[int, int]]) -> list[Span]:
    return [Span(START + timedelta(days=d), add_months(START + timedelta(days=d), m)) for d, m in raw]


def holders_by_day(term: Span, others: list[Span]) -> int:
    """Reference: walk every day of the term and count."""
    assert term.ends is not None
    days = (term.starts + timedelta(days=n) for n in range((term.ends - term.starts).days))
    return 1 + max(sum(o.starts <= day < o.ends for o in others if o.ends) for day in days)


@PROPERTY
@given(terms, st.tuples(st.integers(0, 1500), st.integers(1, 6)), st.integers(1, 4))
def test_the_seat_rule_agrees_with_counting_holders_day_by_day(
    others: list[tuple[int, int]], new: tuple[int, int], seats: int
) -> None:
    [term] = spans([new])
    refused = any("at a time" in e for e in term_errors(Rule(seats=seats), term, [], spans(others)))
    assert refused == (holders_by_day(term, spans(others)) > seats)


def longest_run_reference(own: list[Span], term: Span, months: int) -> int:
    """Reference: walk the terms in order, counting up while each starts within a term length of
    the previous end and starting again at 1 otherwise; the run the new term is in."""
    ordered = sorted([*own, term], key=lambda s: s.starts)
    runs: list[list[Span]] = []
    for span in ordered:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and previous.ends is not None
            and span.starts < add_months(previous.ends, months)
        ):
            runs[-1].append(span)
        else:
            runs.append([span])
    return next(len(run) for run in runs if term in run)


def without_overlaps(raw: list[tuple[int, int]]) -> list[Span]:
    kept: list[Span] = []
    for span in spans(raw):
        if not any(span.overlaps(k) for k in kept):
            kept.append(span)
    return kept


@PROPERTY
@given(terms, st.integers(0, 1500), st.integers(1, 6), st.integers(1, 4))
def test_the_terms_in_a_row_rule_agrees_with_a_plain_walk_through_the_terms(
    own_raw: list[tuple[int, int]], offset: int, months: int, most: int
) -> None:
    own = without_overlaps([(d, months) for d, _ in own_raw])
    [term] = spans([(offset, months)])
    if any(term.overlaps(o) for o in own):
        return
    rule = Rule(term_months=months, max_consecutive_terms=most)
    refused = any("in a row" in e for e in term_errors(rule, term, own, []))
    assert run_length(term, own, months) == longest_run_reference(own, term, months)
    assert refused == (longest_run_reference(own, term, months) > most)


@PROPERTY
@given(st.integers(1, 24), st.integers(1, 5))
def test_exactly_the_allowed_number_of_back_to_back_terms_is_accepted_and_one_more_is_refused(
    months: int, most: int
) -> None:
    rule = Rule(term_months=months, max_consecutive_terms=most)
    own: list[Span] = []
    starts = START
    for _ in range(most):
        term = Span(starts, add_months(starts, months))
        assert term_errors(rule, term, own, []) == []
        own.append(term)
        starts = term.ends  # type: ignore[assignment]
    assert term_errors(rule, Span(starts, add_months(starts, months)), own, []) != []
    rested = add_months(starts, months)
    assert term_errors(rule, Span(rested, add_months(rested, months)), own, []) == []
