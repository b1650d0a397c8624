"""Decisions' news for the daily digest (issue 13 point 6; people/digests.py sends it).

Only three things make news: a decision opening (for every member but the one who opened it), a
decision closing within a day (for members who have not voted yet), and a decision's outcome (for
every member). Each is one `DecisionNotice` per person and decision, so a retry or a second run adds
nothing. Notices name no ballot and no vote: anonymous decisions stay anonymous.
"""

from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from carecommons.decisions.kinds import get_kind
from carecommons.decisions.models import Decision, DecisionNotice, NoticeKind, Participation
from carecommons.groups.models import GroupMembership, Standing
from carecommons.people.digests import DigestItem, DigestSource
from carecommons.people.models import Person

CLOSING_SOON = timedelta(hours=24)


def _members(decision: Decision, on: date) -> list[int]:
    return list(
        GroupMembership.objects.current(on)
        .filter(group_id=decision.group_id, standing=Standing.MEMBER)
        .values_list("person_id", flat=True)
    )


def _note(decision: Decision, kind: str, people: list[int]) -> int:
    """Notices for those people not yet told this; how many are new."""
    told = set(
        DecisionNotice.objects.filter(decision=decision, kind=kind, person_id__in=people).values_list(
            "person_id", flat=True
        )
    )
    rows = [DecisionNotice(person_id=p, decision=decision, kind=kind) for p in people if p not in told]
    # ignore_conflicts: a notice written meanwhile by another run is the same notice.
    DecisionNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def note_opened(decision: Decision, *, on: date) -> int:
    return _note(
        decision, NoticeKind.OPENED, [p for p in _members(decision, on) if p != decision.opened_by_id]
    )


def note_outcome(decision: Decision, *, on: date) -> int:
    return _note(decision, NoticeKind.OUTCOME, _members(decision, on))


def note_closing_soon(now: datetime) -> int:
    """Members who have not voted on a decision that closes within a day."""
    noted = 0
    closing = Decision.objects.still_open().filter(closes_at__gt=now, closes_at__lte=now + CLOSING_SOON)
    for decision in closing:
        voted = set(Participation.objects.filter(decision=decision).values_list("person_id", flat=True))
        waiting = [p for p in _members(decision, timezone.localdate(now)) if p not in voted]
        if get_kind(decision.kind).key != "advice":
            noted += _note(decision, NoticeKind.CLOSING_SOON, waiting)
    return noted


def waiting() -> list[int]:
    return list(
        DecisionNotice.objects.filter(taken_on__isnull=True).values_list("person_id", flat=True).distinct()
    )


def _words(notice: DecisionNotice) -> str | None:
    decision = notice.decision
    title = f"“{decision.title}”"
    if notice.kind == NoticeKind.OPENED:
        if decision.closed_at is not None:
            return None  # closed before the digest went: the outcome says the rest
        closes = timezone.localtime(decision.closes_at)
        return f"New decision: {title}, open until {closes:%a %-d %b, %H:%M}."
    if notice.kind == NoticeKind.CLOSING_SOON:
        if decision.closed_at is not None or notice.voted:  # type: ignore[attr-defined]
            return None
        closes = timezone.localtime(decision.closes_at)
        return f"Closes at {closes:%a %-d %b, %H:%M} and you have not voted yet: {title}."
    return f"Decided: {title}. Read the result and what the group says it means."


def take(person: Person, day: date) -> list[DigestItem]:
    """The person's waiting notices, marked taken today; news from a group they have left, or about
    a decision that moved on since, is taken and left out."""
    notices = list(
        DecisionNotice.objects.filter(person=person, taken_on__isnull=True)
        .select_related("decision__group")
        .annotate(
            voted=Exists(Participation.objects.filter(decision=OuterRef("decision"), person=person)),
            member=Exists(
                GroupMembership.objects.current(day).filter(
                    group=OuterRef("decision__group"), person=person, standing=Standing.MEMBER
                )
            ),
        )
        .order_by("decision__closes_at", "id")
    )
    DecisionNotice.objects.filter(pk__in=[n.pk for n in notices]).update(taken_on=day)
    items = []
    for notice in notices:
        text = _words(notice) if notice.member else None
        if text is not None:
            decision = notice.decision
            path = reverse(
                "decisions:decision_detail",
                kwargs={"group_id": decision.group.uuid, "decision_id": decision.uuid},
            )
            items.append(DigestItem(heading=decision.group.name, text=text, path=path))
    return items


DIGEST = DigestSource(waiting=waiting, take=take, prepare=note_closing_soon)
