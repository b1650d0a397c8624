"""What decisions hold about a person (decision 0030 section 5).

Erasure deletes their named ballots, their participation and the advice they gave: a closed
decision's count stays in `Outcome.result`, which names nobody. Anonymous ballots name nobody and
stay. Decisions they opened stay, for the group, with `opened_by` unlinked; free text naming them
is reworded by the erasure itself, as everywhere.
"""

from typing import Any

from django.db.models import QuerySet

from carecommons.decisions.models import Advice, Ballot, Decision, DecisionNotice, Participation
from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person


def decisions(person: Person) -> list[Row]:
    opened = [
        row(group=d.group.name, opened=d.title, closes_at=d.closes_at)
        for d in Decision.objects.filter(opened_by=person).select_related("group")
    ]
    voted = [
        row(group=p.decision.group.name, voted_in=p.decision.title, at=p.voted_at, how=p.get_method_display())
        for p in Participation.objects.filter(person=person).select_related("decision__group")
    ]
    ballots = [
        row(
            decision=b.decision.title,
            marks={m.option.label: m.value for m in b.marks.all()},
            reason=b.reason,
        )
        for b in Ballot.objects.filter(person=person)
        .select_related("decision")
        .prefetch_related("marks__option")
    ]
    advice = [
        row(decision=a.decision.title, advice=a.text)
        for a in Advice.objects.filter(person=person).select_related("decision")
    ]
    return opened + voted + ballots + advice


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [
        ("named ballots", Ballot.objects.filter(person=person)),
        ("records that you voted", Participation.objects.filter(person=person)),
        ("advice you gave", Advice.objects.filter(person=person)),
        ("news waiting for your daily digest", DecisionNotice.objects.filter(person=person)),
    ]


def unlink(person: Person, erasing: Erasing) -> None:
    Decision.objects.filter(opened_by=person).update(opened_by=None)


PERSONAL_DATA = Holding(
    covers=(
        "decision.opened_by",
        "ballot.person",
        "participation.person",
        "advice.person",
        "decisionnotice.person",
    ),
    sections=(
        Collector(
            "decisions",
            "Decisions you opened, voted in or advised on",
            decisions,
            "Anonymous ballots are not here: nothing links them to you.",
        ),
    ),
    audited=((Decision, "opened_by"),),
    deleted=deleted,
    unlink=unlink,
)
