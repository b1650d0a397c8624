"""Writes for decisions: opening, voting, recording a hand vote, objections, advice, closing with
the count, and the outcome statement (decision 0030 section 5).

Keyword-only, one transaction each, audited. `decisions.voted` and `decisions.vote_recorded` name
the actor and the decision only, never an option or a ballot. Who may do what is decided by
`access.py` before a service is called; the rules that hold whoever asks are kept here.
"""

import hashlib
import hmac
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.decisions import ballots as pure
from carecommons.decisions.digest import note_opened, note_outcome
from carecommons.decisions.kinds import get_kind, load_kinds
from carecommons.decisions.models import (
    Advice,
    Ballot,
    BallotKey,
    BallotMark,
    Decision,
    DecisionOption,
    Method,
    Objection,
    Outcome,
    Participation,
    Results,
)
from carecommons.decisions.schema import Kind, carries_steps
from carecommons.decisions.tally import as_json, count_in_db
from carecommons.groups.access import convening_seat
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    GroupMembershipQuerySet,
    HandoverStep,
    Standing,
)
from carecommons.groups.services import complete_step
from carecommons.lib.dates import PLANNED, check_date
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person
from carecommons.programmes.models import Session

SHORTEST = timedelta(hours=1)
LONGEST = timedelta(days=90)


@dataclass(frozen=True)
class OptionInput:
    label: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    issue: Issue | None = None
    theme: Theme | None = None


def members_of(group: CommunityGroup, on: date) -> GroupMembershipQuerySet:
    return GroupMembership.objects.current(on).filter(group=group, standing=Standing.MEMBER)


def is_member(group: CommunityGroup, person: Person, on: date) -> bool:
    return members_of(group, on).filter(person=person).exists()


def setup_of(decision: Decision, kind: Kind, *, members: int = 0) -> pure.Setup:
    keys = tuple(option.key for option in decision.options.all()) if kind.options_from == "decision" else ()
    return pure.Setup(
        options=keys,
        dots=decision.dots,
        quorum=Fraction(decision.quorum_percent, 100) if decision.quorum_percent else None,
        vote_share=Fraction(decision.share_percent, 100) if decision.share_percent else None,
        members=members,
    )


def slot_label(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%a %-d %b %Y, %H:%M}–{end:%H:%M}"


@transaction.atomic
def open_decision(
    *,
    group: CommunityGroup,
    person: Person,
    by: User,
    kind: str,
    title: str,
    closes_at: datetime,
    details: str = "",
    options: Sequence[OptionInput] = (),
    anonymous: bool = False,
    results: str = Results.AFTER_VOTE,
    quorum_percent: int | None = None,
    share_percent: int | None = None,
    dots: int | None = None,
    session: Session | None = None,
    handover_step: HandoverStep | None = None,
    now: datetime | None = None,
) -> Decision:
    """Members open decisions, and so does convening staff while they hold a seat (they run the
    group's decisions until the handover moves that area, and propose the steps themselves)."""
    now = now or timezone.now()
    if kind not in load_kinds():
        raise ValidationError({"kind": "Choose one of the kinds of decision offered."})
    declared = get_kind(kind)
    today = timezone.localdate(now)
    if not is_member(group, person, today) and convening_seat(group, person, today) is None:
        raise ValidationError("Only members of the group open its decisions.")
    if handover_step is not None:
        check_carried(group, declared, handover_step)
    if not now + SHORTEST <= closes_at <= now + LONGEST:
        raise ValidationError({"closes_at": "Close it between an hour and 90 days from now."})
    if anonymous and not declared.anonymous:
        raise ValidationError({"anonymous": f"A {declared.words.name.lower()} is never anonymous."})
    listed = (
        [o for o in options if o.label.strip() or o.starts_at] if declared.options_from == "decision" else []
    )
    if declared.makes_calendar:
        for slot in listed:
            if slot.starts_at is None or slot.ends_at is None or slot.ends_at <= slot.starts_at:
                raise ValidationError({"options": "Give each time a start and an end after it."})
            check_date(slot.starts_at, PLANNED, field="options")
    labels = [
        slot_label(o.starts_at, o.ends_at)
        if declared.makes_calendar and o.starts_at and o.ends_at
        else o.label.strip()
        for o in listed
    ]
    setup = pure.Setup(
        options=tuple(labels),
        dots=dots,
        quorum=Fraction(quorum_percent, 100) if quorum_percent else None,
        vote_share=Fraction(share_percent, 100) if share_percent else None,
    )
    if errors := pure.setup_errors(declared, setup):
        raise ValidationError({"options": errors})
    decision = Decision(
        group=group,
        kind=kind,
        title=title.strip(),
        details=details.strip(),
        opened_by=person,
        closes_at=closes_at,
        anonymous=anonymous,
        results=results,
        quorum_percent=quorum_percent,
        share_percent=share_percent,
        dots=dots,
        session=session,
        handover_step=handover_step,
    )
    decision.full_clean()
    decision.save()
    if declared.options_from == "kind":
        rows = [
            DecisionOption(decision=decision, position=i, key=o.key, label=o.label)
            for i, o in enumerate(declared.options, 1)
        ]
    else:
        rows = [
            DecisionOption(
                decision=decision,
                position=i,
                key=f"o{i}",
                label=label,
                starts_at=o.starts_at if declared.makes_calendar else None,
                ends_at=o.ends_at if declared.makes_calendar else None,
                issue=o.issue,
                theme=o.theme,
            )
            for i, (o, label) in enumerate(zip(listed, labels, strict=True), 1)
        ]
    DecisionOption.objects.bulk_create(rows)
    if anonymous:
        BallotKey.objects.create(decision=decision, key=secrets.token_hex(32))
    record_event(actor=by, action="decisions.opened", target=decision, detail={"kind": kind})
    note_opened(decision, on=timezone.localdate(now))
    transaction.on_commit(lambda: close_at_deadline(decision))
    return decision


def check_carried(group: CommunityGroup, kind: Kind, step: HandoverStep) -> None:
    """A step of the group's own plan, not done, carried by no other open decision, by a kind that
    passes or fails. The step's row is locked, so two decisions opened at once cannot both carry it."""
    error = {"handover_step": "Choose a step of this group's handover that is not done yet."}
    if not carries_steps(kind):
        raise ValidationError({"handover_step": f"A {kind.words.name.lower()} cannot carry a handover step."})
    row = HandoverStep.objects.select_for_update().select_related("plan").filter(pk=step.pk).first()
    if row is None or row.plan.group_id != group.pk or row.done_on is not None or row.plan.completed_on:
        raise ValidationError(error)
    if Decision.objects.still_open().filter(handover_step=row).exists():
        raise ValidationError({"handover_step": "Another open decision already carries this step."})


def close_at_deadline(decision: Decision) -> None:
    """Ask the worker to close it at its deadline; `carecommons close_decisions` from cron covers
    backends that cannot wait."""
    from carecommons.decisions.tasks import close_due_decisions

    if close_due_decisions.get_backend().supports_defer:
        close_due_decisions.using(run_after=decision.closes_at + timedelta(seconds=30)).enqueue()


def voter_token(decision: Decision, person: Person) -> str:
    secret = BallotKey.objects.get(decision=decision).key
    return hmac.new(bytes.fromhex(secret), str(person.uuid).encode(), hashlib.sha256).hexdigest()


def own_ballot(decision: Decision, person: Person) -> Ballot | None:
    """The member's own ballot while the decision is open (anonymous ones found by their token)."""
    if decision.anonymous:
        if decision.closed_at is not None:
            return None
        return Ballot.objects.filter(decision=decision, voter_token=voter_token(decision, person)).first()
    return Ballot.objects.filter(decision=decision, person=person).first()


def marks_for(kind: Kind, choices: Sequence[str], marks: Mapping[str, int]) -> dict[str, int]:
    """A ballot's choices as stored marks: chosen is 1; a ranking stores ranks from 1."""
    if kind.shape == "ranking":
        return {key: rank for rank, key in enumerate(choices, 1)}
    if kind.shape in ("one", "some"):
        return dict.fromkeys(choices, 1)
    return {key: value for key, value in marks.items() if value or kind.shape == "marks"}


def locked_open(decision: Decision, now: datetime) -> Decision:
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.closed_at is not None or locked.closes_at <= now:
        raise ValidationError("This decision has closed: votes can no longer change.")
    return locked


@transaction.atomic
def cast_vote(
    *,
    decision: Decision,
    person: Person,
    by: User,
    choices: Sequence[str] = (),
    marks: Mapping[str, int] | None = None,
    reason: str = "",
    method: str = Method.ONLINE,
    now: datetime | None = None,
) -> None:
    """Cast or change a member's ballot, under a lock on the decision: a second submit replaces
    the first, and two members voting at the same moment are both counted. `method` other than
    online is a hand vote recorded by `by` for `person`."""
    now = now or timezone.now()
    decision = locked_open(decision, now)
    kind = get_kind(decision.kind)
    if kind.key == "advice":
        raise ValidationError("Advice is given with the advice form.")
    if not is_member(decision.group, person, timezone.localdate(now)):
        raise ValidationError("Only members of the group vote.")
    given = pure.Ballot(choices=tuple(choices), marks=dict(marks or {}), reason=reason.strip())
    if errors := pure.validate_ballot(kind, given, setup_of(decision, kind)):
        raise ValidationError(errors)
    ballot = own_ballot(decision, person)
    if ballot is None:
        ballot = Ballot(decision=decision)
        if decision.anonymous:
            ballot.voter_token = voter_token(decision, person)
        else:
            ballot.person = person
    ballot.reason = given.reason
    ballot.save()
    ballot.marks.all().delete()
    option_ids = dict(decision.options.values_list("key", "id"))
    BallotMark.objects.bulk_create(
        BallotMark(ballot=ballot, option_id=option_ids[key], value=value)
        for key, value in marks_for(kind, given.choices, given.marks).items()
    )
    if kind.blocks_until_resolved:
        objects = not set(given.choices).isdisjoint(kind.blocks)
        existing = Objection.objects.filter(ballot=ballot).first()
        if objects and existing is None:
            objection = Objection.objects.create(ballot=ballot)
            record_event(
                actor=by,
                action="decisions.objection_raised",
                target=decision,
                detail={"objection": str(objection.uuid)},
            )
        elif not objects and existing is not None:
            existing.delete()
    ballots_changed(decision)
    Participation.objects.update_or_create(
        decision=decision,
        person=person,
        defaults={"voted_at": now, "method": method, "recorded_by": by if method != Method.ONLINE else None},
    )
    if method == Method.ONLINE:
        record_event(actor=by, action="decisions.voted", target=decision)
    else:
        record_event(actor=by, action="decisions.vote_recorded", target=decision, detail={"method": method})


@transaction.atomic
def resolve_objection(
    *, objection: Objection, by: User, resolution: str, now: datetime | None = None
) -> Objection:
    locked_open(objection.ballot.decision, now or timezone.now())
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.resolved_at is not None:
        raise ValidationError("This objection is already resolved.")
    if not resolution.strip():
        raise ValidationError({"resolution": "Say how the objection was resolved."})
    objection.resolved_at, objection.resolved_by, objection.resolution = (
        now or timezone.now(),
        by,
        resolution.strip(),
    )
    objection.save()
    ballots_changed(objection.ballot.decision)
    record_event(
        actor=by,
        action="decisions.objection_resolved",
        target=objection.ballot.decision,
        detail={"objection": str(objection.uuid)},
    )
    return objection


@transaction.atomic
def give_advice(
    *,
    decision: Decision,
    by: User,
    text: str,
    person: Person | None = None,
    source: str = "",
    now: datetime | None = None,
) -> Advice:
    """A member's own advice (changed until close), or advice from someone outside the group that
    the decider records with `source` saying whose it is."""
    now = now or timezone.now()
    decision = locked_open(decision, now)
    if decision.kind != "advice":
        raise ValidationError("Only an advice decision gathers advice.")
    if not text.strip():
        raise ValidationError({"text": "Write the advice."})
    if person is not None:
        if not is_member(decision.group, person, timezone.localdate(now)):
            raise ValidationError("Only members give advice here; record advice from others by name.")
        advice, _ = Advice.objects.update_or_create(
            decision=decision, person=person, defaults={"text": text.strip(), "recorded_by": by}
        )
        Participation.objects.update_or_create(
            decision=decision, person=person, defaults={"voted_at": now, "method": Method.ONLINE}
        )
    else:
        if not source.strip():
            raise ValidationError({"source": "Say whose advice this is."})
        advice = Advice.objects.create(
            decision=decision, source=source.strip(), text=text.strip(), recorded_by=by
        )
    ballots_changed(decision)
    record_event(actor=by, action="decisions.advice_given", target=decision)
    return advice


def count_now(decision: Decision, *, on: date | None = None) -> dict[str, Any]:
    """The count as it stands, in `Outcome.result`'s shape, counted now (closing counts this way)."""
    return _count(decision, *_turnout(decision, on))


def _turnout(decision: Decision, on: date | None) -> tuple[int, int]:
    voted = Participation.objects.filter(decision=decision).count()
    return voted, max(members_of(decision.group, on or timezone.localdate()).count(), voted)


def _count(decision: Decision, voted: int, members: int) -> dict[str, Any]:
    kind = get_kind(decision.kind)
    options = dict(decision.options.values_list("key", "id"))
    return as_json(count_in_db(decision, kind, setup_of(decision, kind, members=members), options))


def ballots_changed(decision: Decision) -> None:
    """Called under the decision's lock whenever a ballot or objection changes: the kept live
    count no longer holds."""
    Decision.objects.filter(pk=decision.pk).update(ballots_version=F("ballots_version") + 1, live_count=None)


def live_count(decision: Decision, *, on: date | None = None) -> dict[str, Any]:
    """An open decision's count for its page: the kept one while nothing it rests on changed (the
    ballots, how many voted, how many members), else counted again and kept. Two queries when kept."""
    current = Decision.objects.filter(pk=decision.pk).values("ballots_version", "live_count").get()
    voted, members = _turnout(decision, on)
    key = [current["ballots_version"], voted, members]
    kept = current["live_count"]
    if kept is not None and kept.get("key") == key:
        return dict(kept["result"])
    result = _count(decision, voted, members)
    Decision.objects.filter(pk=decision.pk, ballots_version=key[0], closed_at__isnull=True).update(
        live_count={"key": key, "result": result}
    )
    return result


def shuffle_ballots(decision: Decision) -> None:
    """Rewrite an anonymous decision's ballots in random order with new ids and no tokens, so
    neither row order nor ids say who voted when."""
    kept = [
        (ballot.reason, [(mark.option_id, mark.value) for mark in ballot.marks.all()])
        for ballot in Ballot.objects.filter(decision=decision).prefetch_related("marks")
    ]
    Ballot.objects.filter(decision=decision).delete()
    random.SystemRandom().shuffle(kept)
    rows = [Ballot(decision=decision, reason=reason) for reason, _ in kept]
    Ballot.objects.bulk_create(rows)
    BallotMark.objects.bulk_create(
        BallotMark(ballot=ballot, option_id=option_id, value=value)
        for ballot, (_, marks) in zip(rows, kept, strict=True)
        for option_id, value in marks
    )


@transaction.atomic
def close_decision(*, decision: Decision, by: User | None, now: datetime | None = None) -> Outcome:
    """Count once, in the transaction that locks the decision, and keep the count. An anonymous
    decision's key goes, its tokens are cleared and its ballots rewritten shuffled."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.closed_at is not None:
        raise ValidationError("This decision is already closed.")
    result = count_now(decision, on=timezone.localdate(now))
    if decision.anonymous:
        BallotKey.objects.filter(decision=decision).delete()
        shuffle_ballots(decision)
    decision.closed_at, decision.live_count = now, None
    decision.save(update_fields=["closed_at", "live_count", "updated_at"])
    outcome = Outcome.objects.create(decision=decision, result=result)
    note_outcome(decision, on=timezone.localdate(now))
    record_event(
        actor=by, action="decisions.closed", target=decision, detail={"outcome": str(result["outcome"])}
    )
    if decision.handover_step_id is not None and agreed(result):
        step = HandoverStep.objects.select_for_update().get(pk=decision.handover_step_id)
        if step.done_on is None:
            complete_step(step=step, on=timezone.localdate(now), by=by)
    return outcome


def agreed(result: Mapping[str, Any]) -> bool:
    """A carried step is done only on "passes": a fail, no quorum or no votes leaves it open."""
    return result.get("outcome") == "passes"


def close_due_decisions(*, now: datetime | None = None) -> int:
    """Close every decision whose deadline has passed (the worker's task and the cron command)."""
    now = now or timezone.now()
    closed = 0
    for decision in Decision.objects.due_to_close(now):
        try:
            close_decision(decision=decision, by=None, now=now)
        except ValidationError:
            continue  # closed by someone else meanwhile
        closed += 1
    return closed


@transaction.atomic
def state_outcome(
    *, decision: Decision, by: User, statement: str, review_on: date | None, today: date | None = None
) -> Outcome:
    """The group's statement of what it decided, with a date to look at it again (after today)."""
    today = today or timezone.localdate()
    outcome = Outcome.objects.select_for_update().filter(decision=decision).first()
    if outcome is None:
        raise ValidationError("Close the decision before stating its outcome.")
    if not statement.strip():
        raise ValidationError({"statement": "Say what the group decided."})
    if review_on is not None and review_on <= today:
        raise ValidationError({"review_on": "Choose a review date after today."})
    check_date(review_on, PLANNED, field="review_on", today=today)
    outcome.statement, outcome.review_on, outcome.stated_by = statement.strip(), review_on, by
    outcome.save()
    record_event(actor=by, action="decisions.outcome_stated", target=decision)
    return outcome
