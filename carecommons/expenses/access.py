"""Who may see an expense and its receipts: the current members of its group (any role), and no one
else. Hosts see only totals (finances/access.py), never an expense or a receipt. Payee details are
for the group's current treasurers only (`ExpenseAccess.is_treasurer`). Views load expenses only
through here, with the viewer's standing in the group (`ExpenseAccess`) worked out once."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.expenses.models import Expense, Receipt
from carecommons.expenses.rules import Actor
from carecommons.finances.access import Need, groups_of, roles_in
from carecommons.finances.models import GroupRole
from carecommons.people.access import own_person
from carecommons.people.models import Person


def expenses_visible_to(user: User) -> QuerySet[Expense]:
    return Expense.objects.filter(group__in=groups_of(user))


@dataclass(frozen=True)
class ExpenseAccess:
    """An expense with who is looking at it: their person and their current roles in its group."""

    expense: Expense
    person: Person | None
    roles: frozenset[str]

    @property
    def is_claimant(self) -> bool:
        return self.person is not None and self.expense.submitted_by_id == self.person.pk

    @property
    def is_approver(self) -> bool:
        return GroupRole.APPROVER in self.roles

    @property
    def is_treasurer(self) -> bool:
        return GroupRole.TREASURER in self.roles

    def actor(self) -> Actor:
        return actor_in(self.expense, self.person, self.roles)


def actor_in(expense: Expense, person: Person | None, roles: frozenset[str]) -> Actor:
    return Actor(
        is_submitter=person is not None and expense.submitted_by_id == person.pk,
        roles=roles,
        has_approved=person is not None and expense.approvals.filter(approver=person).exists(),
    )


def get_expense_access(user: User, uuid: UUID, *, need: Need = Need.MEMBER) -> ExpenseAccess:
    """The expense and the user's standing if they hold the role needed in its group; a 404 otherwise."""
    expense = (
        expenses_visible_to(user)
        .select_related("group__group", "category", "fund", "submitted_by", "paid_transaction")
        .filter(uuid=uuid)
        .first()
    )
    if expense is None:
        raise Http404
    roles = frozenset(roles_in(user, expense.group))
    if not roles or (need is not Need.MEMBER and need.value not in roles):
        raise Http404
    return ExpenseAccess(expense=expense, person=own_person(user), roles=roles)


def get_expense_for_user(user: User, uuid: UUID, *, need: Need = Need.MEMBER) -> Expense:
    """The expense if the user holds the role needed in its group; a 404 otherwise."""
    return get_expense_access(user, uuid, need=need).expense


def get_receipt_for_user(user: User, uuid: UUID) -> Receipt:
    receipt = (
        Receipt.objects.select_related("expense")
        .filter(uuid=uuid, expense__in=expenses_visible_to(user))
        .first()
    )
    if receipt is None:
        raise Http404
    receipt.expense = get_expense_for_user(user, receipt.expense.uuid)
    return receipt
