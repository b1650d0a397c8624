"""The rules on terms, pure: no database (decision 0030 section 3).

A term runs from `starts` until the start of `ends` (None: no end yet). A term is *in a row* with
the one before it when it starts less than one term length after that one ended, so after a full
run a person sits out a whole term before they may serve again.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from carecommons.lib.dates import add_months


@dataclass(frozen=True)
class Rule:
    term_months: int | None = None
    max_consecutive_terms: int | None = None
    seats: int | None = None


@dataclass(frozen=True)
class Span:
    starts: date
    ends: date | None

    def overlaps(self, other: "Span") -> bool:
        return (other.ends is None or self.starts < other.ends) and (
            self.ends is None or other.starts < self.ends
        )

    def holds_on(self, day: date) -> bool:
        return self.starts <= day and (self.ends is None or day < self.ends)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def in_a_row(earlier: Span, later: Span, term_months: int) -> bool:
    return earlier.ends is None or later.starts < add_months(earlier.ends, term_months)


def run_length(term: Span, own: Sequence[Span], term_months: int) -> int:
    """How many terms in a row the person would serve, `term` included, counting terms on both
    sides (a term planned into a gap can join two runs)."""
    terms = sorted([*own, term], key=lambda s: s.starts)
    at = terms.index(term)
    first = at
    while first > 0 and in_a_row(terms[first - 1], terms[first], term_months):
        first -= 1
    last = at
    while last + 1 < len(terms) and in_a_row(terms[last], terms[last + 1], term_months):
        last += 1
    return last - first + 1


def most_holders(term: Span, others: Sequence[Span]) -> int:
    """The most people holding the role on any one day of `term`, `term`'s holder included."""
    during = [o for o in others if o.overlaps(term)]
    days = {term.starts} | {o.starts for o in during if o.starts > term.starts}
    return 1 + max((sum(o.holds_on(day) for o in during) for day in days), default=0)


def term_problems(
    rule: Rule, term: Span, own: Sequence[Span], others: Sequence[Span]
) -> list[tuple[str, str]]:
    """Why `term` may not be given, each with the field of the term form it is about (`starts_on`,
    `ends_on`, `person`), so the form shows it beside that field; empty when it may. `own` are
    the person's other terms in the role, `others` everyone else's."""
    problems = []
    if term.ends is not None and term.ends <= term.starts:
        problems.append(("ends_on", "A term ends after it starts."))
    if rule.term_months is not None:
        limit = add_months(term.starts, rule.term_months)
        if term.ends is None or term.ends > limit:
            problems.append(
                (
                    "ends_on",
                    f"A term of this role lasts at most {rule.term_months} months: "
                    f"it must end by {_long(limit)}.",
                )
            )
    if any(term.overlaps(o) for o in own):
        problems.append(("starts_on", "They already hold this role for part of that time."))
    if rule.seats is not None and most_holders(term, others) > rule.seats:
        seats = "one person" if rule.seats == 1 else f"{rule.seats} people"
        problems.append(
            ("starts_on", f"This role is held by at most {seats} at a time, and that time is taken.")
        )
    if (
        rule.term_months is not None
        and rule.max_consecutive_terms is not None
        and not any(term.overlaps(o) for o in own)
        and run_length(term, own, rule.term_months) > rule.max_consecutive_terms
    ):
        terms = "one term" if rule.max_consecutive_terms == 1 else f"{rule.max_consecutive_terms} terms"
        problems.append(
            (
                "person",
                f"Nobody serves more than {terms} of this role in a row; "
                f"they must sit out a whole term ({rule.term_months} months) first.",
            )
        )
    return problems


def term_errors(rule: Rule, term: Span, own: Sequence[Span], others: Sequence[Span]) -> list[str]:
    """Why `term` may not be given, in plain words; empty when it may."""
    return [message for _, message in term_problems(rule, term, own, others)]
