"""The expense state machine and who may move it, as plain rules with no queries.

    draft ──submit──▶ submitted ──approve (enough approvals)──▶ approved ──pay──▶ paid
                          │                                        │
                        reject ──▶ rejected          cancel (from draft, submitted or approved)

The services check these rules with the expense row locked, then move it with a conditional UPDATE,
so a double click or a second person acting at the same moment changes nothing the second time.
"""

from dataclasses import dataclass
from enum import StrEnum

from carecommons.expenses.models import ExpenseState as State
from carecommons.finances.models import GroupRole


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    PAY = "pay"
    CANCEL = "cancel"


# Each action: the states it may start from and the state it leads to.
MOVES: dict[Action, tuple[frozenset[str], str]] = {
    Action.SUBMIT: (frozenset({State.DRAFT}), State.SUBMITTED),
    Action.APPROVE: (frozenset({State.SUBMITTED}), State.APPROVED),
    Action.REJECT: (frozenset({State.SUBMITTED}), State.REJECTED),
    Action.PAY: (frozenset({State.APPROVED}), State.PAID),
    Action.CANCEL: (frozenset({State.DRAFT, State.SUBMITTED, State.APPROVED}), State.CANCELLED),
}
STAMPS: dict[str, str] = {
    State.SUBMITTED: "submitted_at",
    State.APPROVED: "approved_at",
    State.REJECTED: "rejected_at",
    State.PAID: "paid_at",
    State.CANCELLED: "cancelled_at",
}
SUBMITTER_MAY_CANCEL = frozenset({State.DRAFT, State.SUBMITTED})
RECEIPTS_CLOSED = frozenset({State.REJECTED, State.CANCELLED})
PAST = {
    Action.SUBMIT: "submitted",
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.PAY: "paid",
    Action.CANCEL: "cancelled",
}
NOW = {
    State.DRAFT: "still a draft",
    State.SUBMITTED: "waiting for approval",
    State.APPROVED: "approved and not yet paid",
    State.PAID: "paid",
    State.REJECTED: "rejected",
    State.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Actor:
    """Someone about to act on one expense: whether they made it, their roles in its group, and
    whether they have approved it already."""

    is_submitter: bool
    roles: frozenset[str]
    has_approved: bool = False

    @property
    def approver(self) -> bool:
        return GroupRole.APPROVER in self.roles

    @property
    def treasurer(self) -> bool:
        return GroupRole.TREASURER in self.roles


def who_refusal(action: Action, state: str, actor: Actor) -> str | None:
    if action is Action.SUBMIT and not actor.is_submitter:
        return "Only the person who claimed this expense can submit it."
    if action in (Action.APPROVE, Action.REJECT):
        if not actor.approver:
            return "Only the group's approvers can approve or reject expenses."
        if actor.is_submitter and action is Action.APPROVE:
            return "You cannot approve your own expense: another approver must."
        if actor.is_submitter:
            return "You cannot reject your own expense: cancel it instead."
        if actor.has_approved and action is Action.APPROVE:
            return "You have already approved this expense."
    if action is Action.PAY and not actor.treasurer:
        return "Only the group's treasurers can pay expenses."
    if action is Action.CANCEL and not actor.treasurer:
        if not actor.is_submitter:
            return "Only the person who claimed this expense, or a treasurer, can cancel it."
        if state not in SUBMITTER_MAY_CANCEL and state in MOVES[action][0]:
            return "It has been approved: ask a treasurer to cancel it."
    return None


def state_refusal(action: Action, state: str) -> str | None:
    sources, target = MOVES[action]
    if state in sources:
        return None
    if state == target:
        return f"This expense has already been {PAST[action]}."
    return f"This expense is {NOW[State(state)]}, so it cannot be {PAST[action]} now."


def refusal(action: Action, state: str, actor: Actor) -> str | None:
    """Why this person may not take this action on an expense in this state; None if they may."""
    return who_refusal(action, state, actor) or state_refusal(action, state)


def actions_for(state: str, actor: Actor) -> set[Action]:
    return {action for action in Action if refusal(action, state, actor) is None}


def receipts_refusal(state: str, actor: Actor) -> str | None:
    if not (actor.is_submitter or actor.treasurer):
        return "Only the person who claimed this expense, or a treasurer, can add receipts."
    if state in RECEIPTS_CLOSED:
        return f"This expense is {NOW[State(state)]}: receipts can no longer be added."
    return None
