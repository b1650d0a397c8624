"""Writes to a group's books. Every posting is one transaction, audited, and refused whole if any
part is wrong; the database checks the balance again when it posts (migration 0002)."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.finances import ledger, roles
from carecommons.finances.models import (
    MONEY_KINDS,
    Account,
    AccountKind,
    AccountPurpose,
    Budget,
    Entry,
    Fund,
    Group,
    GroupRole,
    Host,
    Transaction,
    TransactionKind,
)
from carecommons.groups import rotation
from carecommons.groups import services as groups
from carecommons.groups.models import (
    CommunityGroup,
    GroupMembership,
    MembershipState,
    Role,
    RoleTerm,
    Standing,
)
from carecommons.lib.dates import EARLIEST_RECORD, HAPPENED, PLANNED, DateBounds, add_months, check_date
from carecommons.lib.words import plural
from carecommons.people.models import Organisation, Person

STARTING_ACCOUNTS: list[tuple[str, AccountKind, AccountPurpose | None]] = [
    ("Bank account", AccountKind.BANK, AccountPurpose.BANK),
    ("Cash box", AccountKind.CASH, AccountPurpose.CASH_BOX),
    ("Donations", AccountKind.INCOME, AccountPurpose.DONATIONS),
    ("Grants", AccountKind.INCOME, AccountPurpose.GRANTS),
    ("Opening balance", AccountKind.EQUITY, None),
    ("Food and essentials", AccountKind.EXPENSE, None),
    ("Travel", AccountKind.EXPENSE, None),
    ("Phone and data", AccountKind.EXPENSE, None),
    ("Utilities and bills", AccountKind.EXPENSE, None),
    ("Medicine and prescriptions", AccountKind.EXPENSE, None),
    ("Running costs", AccountKind.EXPENSE, None),
]


def starting_purpose(name: str, kind: str) -> AccountPurpose | None:
    """The purpose a starting account of this name and kind has: for books that name none."""
    return next((p for n, k, p in STARTING_ACCOUNTS if (n, k) == (name, kind)), None)


@transaction.atomic
def create_host(*, name: str, by: User | None, organisation: Organisation | None = None) -> Host:
    host = Host.objects.create(name=name, organisation=organisation)
    record_event(actor=by, action="finances.host_created", target=host)
    return host


def _name_money_roles(group: CommunityGroup, by: User | None, treasurer_term_months: int | None) -> None:
    """ "Treasurer" and "Approver", each only where none of the group's roles has its money power yet
    (money finds roles by their powers, never by their names)."""
    for role_name, word, powers in roles.STARTING_ROLES:
        if Role.objects.filter(group=group, powers__power=roles.POWER_OF[word]).exists():
            continue
        months = treasurer_term_months if word == GroupRole.TREASURER else None
        groups.name_role(group=group, name=role_name, by=by, term_months=months, powers=powers)


@transaction.atomic
def start_money_group(
    *, name: str, by: User | None, treasurer_term_months: int | None = None
) -> CommunityGroup:
    """The community group that will have books, with its "Treasurer" and "Approver" roles."""
    group = groups.start_group(name=name, by=by)
    _name_money_roles(group, by, treasurer_term_months)
    return group


@transaction.atomic
def create_group(
    *,
    name: str = "",
    slug: str,
    by: User | None,
    host: Host | None = None,
    organisation: Organisation | None = None,
    approval_threshold_pence: int = 0,
    approvals_over_threshold: int = 2,
    treasurer_term_months: int | None = None,
    group: CommunityGroup | None = None,
) -> Group:
    """Books with the accounts most mutual aid groups start with; they can add their own. Without
    `group`, a new community group named `name` with its money roles. With `group`, books for that
    existing group (an action group taking on money): the books take its name, so `name` is left
    out; it keeps its roles and gains "Treasurer" (`treasurer_term_months`) and "Approver" only
    where none of its roles has that money power yet."""
    if group is not None and name:
        raise ValueError("Books for an existing group take its name: give `name` or `group`, not both.")
    books = Group(
        slug=slug,
        host=host,
        organisation=organisation,
        approval_threshold_pence=approval_threshold_pence,
        approvals_over_threshold=approvals_over_threshold,
    )
    books.full_clean(exclude=["group"])
    if group is None:
        books.group = start_money_group(name=name, by=by, treasurer_term_months=treasurer_term_months)
    else:
        group = CommunityGroup.objects.select_for_update().get(pk=group.pk)
        if Group.objects.filter(group=group).exists():
            raise ValidationError("This group already has books.")
        _name_money_roles(group, by, treasurer_term_months)
        books.group = group
    books.save()
    Account.objects.bulk_create(
        Account(group=books, name=n, kind=k, purpose=p) for n, k, p in STARTING_ACCOUNTS
    )
    record_event(actor=by, action="finances.group_created", target=books)
    return books


@transaction.atomic
def add_account(
    *, group: Group, name: str, kind: str, by: User | None, purpose: str | None = None
) -> Account:
    account = Account(group=group, name=name.strip(), kind=kind, purpose=purpose or None)
    account.full_clean()
    account.save()
    detail = {"kind": kind, **({"purpose": account.purpose} if account.purpose else {})}
    record_event(actor=by, action="finances.account_added", target=account, detail=detail)
    return account


# A role is given from a day in PLANNED's window and may end up to the longest treasurer term after
# PLANNED's reach (a term of ten years is the most a new group is offered).
LONGEST_TERM_MONTHS = 120
ROLE_ENDS = DateBounds(earliest=EARLIEST_RECORD, days_ahead=(PLANNED.days_ahead or 0) + 3660)


def _cover(group: Group, person: Person, starts: date, ends: date | None) -> GroupMembership:
    """A membership covering every day from `starts` to `ends`: the person's memberships that
    overlap or touch that time are joined into one (the first kept), or a new one is made."""
    rows = [
        m
        for m in GroupMembership.objects.select_for_update()
        .filter(
            group_id=group.group_id, person=person, standing=Standing.MEMBER, state=MembershipState.ACTIVE
        )
        .order_by("starts_on", "id")
        if m.starts_on is not None
        and (ends is None or m.starts_on <= ends)
        and (m.ends_on is None or m.ends_on >= starts)
    ]
    if not rows:
        return GroupMembership.objects.create(
            group_id=group.group_id,
            person=person,
            state=MembershipState.ACTIVE,
            starts_on=starts,
            ends_on=ends,
            answered_at=timezone.now(),
        )
    kept, rest = rows[0], rows[1:]
    ending = [r.ends_on for r in rows] + [ends]
    new_start = min(starts, kept.starts_on or starts)
    new_end = None if None in ending else max(e for e in ending if e is not None)
    GroupMembership.objects.filter(pk__in=[r.pk for r in rest]).delete()
    if (kept.starts_on, kept.ends_on) != (new_start, new_end):
        kept.starts_on, kept.ends_on = new_start, new_end
        kept.save(update_fields=["starts_on", "ends_on", "updated_at"])
    return kept


def _give_money_role(
    group: Group, person: Person, word: str, starts: date, ends: date | None, by: User | None
) -> RoleTerm:
    role = Role.objects.select_for_update().get(pk=roles.money_role(group, word).pk)
    terms = list(RoleTerm.objects.filter(role=role))
    errors = rotation.term_errors(
        rotation.Rule(role.term_months, role.max_consecutive_terms, role.seats),
        rotation.Span(starts, ends),
        own=[rotation.Span(t.starts_on, t.ends_on) for t in terms if t.person_id == person.pk],
        others=[rotation.Span(t.starts_on, t.ends_on) for t in terms if t.person_id != person.pk],
    )
    if errors:
        field = "person" if any("already hold" in e for e in errors) else "ends_on"
        raise ValidationError({field: errors})
    _cover(group, person, starts, ends)
    return RoleTerm.objects.create(
        role=role, person=person, starts_on=starts, ends_on=ends, planned_by=by if by and by.pk else None
    )


@transaction.atomic
def add_member(
    *,
    group: Group,
    person: Person,
    role: str,
    by: User | None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> roles.MoneyRow:
    """Make someone a member of the group, or give them a money role (a term in the group's role
    with that money power, refused by the role's rules in `groups/rotation.py`); a role holder is a
    member for as long as the role lasts."""
    starts = starts_on or timezone.localdate()
    check_date(starts, PLANNED, field="starts_on")
    check_date(ends_on, ROLE_ENDS, field="ends_on")
    if ends_on is not None and ends_on < starts:
        raise ValidationError({"ends_on": "The end must be on or after the start."})
    if role == GroupRole.MEMBER:
        if roles.members_on(starts).filter(group_id=group.group_id, person=person).exists():
            raise ValidationError({"person": "They are already a member of this group."})
        row: roles.MoneyRow = _cover(group, person, starts, ends_on)
    else:
        row = _give_money_role(group, person, role, starts, ends_on, by)
    record_event(
        actor=by,
        action="finances.member_added",
        target=group,
        detail={"person": str(person.uuid), "role": role},
    )
    return row


@transaction.atomic
def add_first_treasurer(*, group: Group, person: Person, by: User | None) -> None:
    """A new group's first treasurer: a member and treasurer for as long as a term allows; they
    give everyone else their roles."""
    months = roles.treasurer_term_months(group)
    # A command or CSV may set a longer rule; the first term then runs the longest a role may.
    ends_on = add_months(timezone.localdate(), min(months, LONGEST_TERM_MONTHS)) if months else None
    add_member(group=group, person=person, role=GroupRole.MEMBER, by=by)
    add_member(group=group, person=person, role=GroupRole.TREASURER, by=by, ends_on=ends_on)


@transaction.atomic
def end_membership(*, membership: roles.MoneyRow, by: User | None, on: date | None = None) -> None:
    """End a money role today (one not started yet is taken out), or someone's membership, which
    ends their roles in the group too (`groups.services.leave_group`)."""
    day = on or timezone.localdate()
    if isinstance(membership, RoleTerm):
        word, group_id = roles.word_of(membership.role), membership.role.group_id
        groups.end_term(term=membership, by=by, on=day)
    else:
        word, group_id = GroupRole.MEMBER, membership.group_id
        groups.leave_group(membership=membership, by=by, on=max(day, membership.starts_on or day))
    record_event(
        actor=by,
        action="finances.member_ended",
        target=Group.objects.get(group_id=group_id),
        detail={"person": str(membership.person.uuid), "role": word},
    )


@transaction.atomic
def create_fund(
    *, group: Group, name: str, conditions: str, categories: Iterable[Account], by: User | None
) -> Fund:
    chosen = list(categories)
    if not chosen:
        raise ValidationError({"allowed_categories": "Choose what this money may be spent on."})
    if any(c.group_id != group.pk or c.kind != AccountKind.EXPENSE for c in chosen):
        raise ValidationError({"allowed_categories": "Choose spending categories of this group."})
    fund = Fund(group=group, name=name.strip(), conditions=conditions.strip())
    fund.full_clean()
    fund.save()
    fund.allowed_categories.set(chosen)
    record_event(actor=by, action="finances.fund_created", target=fund)
    return fund


def fund_balance(fund: Fund) -> int:
    """Money held for this fund: its posted entries on bank and cash accounts."""
    total = Entry.objects.filter(
        fund=fund, transaction__posted=True, account__kind__in=MONEY_KINDS
    ).aggregate(total=Sum("amount_pence"))["total"]
    return int(total or 0)


def check_lines(group: Group, lines: Sequence[ledger.Line]) -> None:
    try:
        ledger.check_balanced(lines)
    except ledger.Unbalanced as problem:
        raise ValidationError(str(problem)) from None
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={line.account for line in lines}, group=group)}
    if len(accounts) != len({line.account for line in lines}):
        raise ValidationError("Every entry must use one of this group's accounts.")
    fund_ids = {line.fund for line in lines if line.fund is not None}
    funds = {f.pk: f for f in Fund.objects.filter(pk__in=fund_ids, group=group)}
    if len(funds) != len(fund_ids):
        raise ValidationError("A restricted fund must belong to this group.")
    for fund_id, fund in funds.items():
        allowed = set(fund.allowed_categories.values_list("pk", flat=True))
        spent_on = {
            line.account
            for line in lines
            if line.fund == fund_id and accounts[line.account].kind == AccountKind.EXPENSE and line.pence > 0
        }
        if spent_on - allowed:
            raise ValidationError(f"“{fund.name}” may be spent only on what it allows: {fund.conditions}")
        change = sum(x.pence for x in lines if x.fund == fund_id and accounts[x.account].kind in MONEY_KINDS)
        if change < 0 and fund_balance(fund) + change < 0:
            raise ValidationError(f"“{fund.name}” does not hold enough money for this.")


@transaction.atomic
def post_transaction(
    *,
    group: Group,
    kind: str,
    occurred_on: date,
    description: str,
    lines: Sequence[ledger.Line],
    by: User | None,
    counterparty: str = "",
    counterparty_public: bool = False,
    reverses: Transaction | None = None,
) -> Transaction:
    """Post balanced lines as one transaction, or nothing at all."""
    # One posting at a time per group (PostgreSQL row lock; SQLite's IMMEDIATE transactions already
    # queue writers), so two spends from a fund cannot both see the same balance.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    # Here, not only in the forms: commands, expenses and the ledger import post through this too.
    check_date(occurred_on, HAPPENED, field="occurred_on")
    check_lines(group, lines)
    if not description.strip():
        raise ValidationError({"description": "Say what this was."})
    txn = Transaction.objects.create(
        group=group,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip()[:300],
        counterparty=counterparty.strip()[:200],
        counterparty_public=counterparty_public,
        reverses=reverses,
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    Entry.objects.bulk_create(
        Entry(transaction=txn, account_id=line.account, fund_id=line.fund, amount_pence=line.pence)
        for line in lines
    )
    Transaction.objects.filter(pk=txn.pk, posted=False).update(posted=True)
    txn.posted = True
    record_event(
        actor=by,
        action="finances.transaction_posted",
        target=txn,
        detail={"group": str(group.uuid), "kind": kind, "entries": len(lines)},
    )
    return txn


def lines_of(txn: Transaction) -> list[ledger.Line]:
    return [
        ledger.Line(account=e.account_id, pence=e.amount_pence, fund=e.fund_id)
        for e in Entry.objects.filter(transaction=txn).order_by("id")
    ]


@transaction.atomic
def reverse_transaction(
    *, txn: Transaction, reason: str, by: User | None, on: date | None = None
) -> Transaction:
    """Cancel a posted transaction exactly, with a new one; the original stays as it was."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why it is being reversed."})
    if txn.kind == TransactionKind.REVERSAL:
        raise ValidationError("A reversal cannot itself be reversed: post the transaction again instead.")
    if Transaction.objects.filter(reverses=txn).exists():
        raise ValidationError("This transaction has already been reversed.")
    try:
        with transaction.atomic():
            return post_transaction(
                group=txn.group,
                kind=TransactionKind.REVERSAL,
                occurred_on=on or timezone.localdate(),
                description=f"Reversal of “{txn.description}”: {reason.strip()}",
                lines=ledger.reversal(lines_of(txn)),
                by=by,
                reverses=txn,
            )
    except IntegrityError:
        raise ValidationError("This transaction has already been reversed.") from None


@transaction.atomic
def record_donation(
    *,
    group: Group,
    amount_pence: int,
    occurred_on: date,
    by: User | None,
    donor: str = "",
    donor_public: bool = False,
    into: Account | None = None,
    income: Account | None = None,
) -> Transaction:
    """A gift into the bank (or `into`). Anonymous when `donor` is empty; named on the public page
    only when `donor_public` (the donor agreed)."""
    money = into or Account.objects.for_purpose(group, AccountPurpose.BANK, field="into")
    category = income or Account.objects.for_purpose(group, AccountPurpose.DONATIONS)
    return post_transaction(
        group=group,
        kind=TransactionKind.DONATION,
        occurred_on=occurred_on,
        # The donor's name is for the treasurers (the transaction's counterparty); the ledger every
        # member reads names them only if they agreed to be thanked by name.
        description=f"Donation from {donor}"
        if donor and donor_public
        else "Donation"
        if donor
        else "Anonymous donation",
        lines=[ledger.Line(money.pk, amount_pence), ledger.Line(category.pk, -amount_pence)],
        by=by,
        counterparty=donor,
        counterparty_public=bool(donor) and donor_public,
    )


@transaction.atomic
def record_grant(
    *,
    group: Group,
    fund: Fund,
    amount_pence: int,
    occurred_on: date,
    funder: str,
    by: User | None,
    into: Account | None = None,
) -> Transaction:
    """A grant: money that belongs to a restricted fund from the moment it arrives. Its funder is
    named: a grant's conditions are owed to someone, and the public page names who."""
    funder = funder.strip()
    if not funder:
        raise ValidationError({"funder": "Say who gave the grant."})
    money = into or Account.objects.for_purpose(group, AccountPurpose.BANK, field="into")
    income = Account.objects.for_purpose(group, AccountPurpose.GRANTS)
    return post_transaction(
        group=group,
        kind=TransactionKind.GRANT,
        occurred_on=occurred_on,
        description=f"Grant from {funder} for {fund.name}",
        lines=[ledger.Line(money.pk, amount_pence, fund.pk), ledger.Line(income.pk, -amount_pence, fund.pk)],
        by=by,
        counterparty=funder,
        counterparty_public=True,
    )


@transaction.atomic
def record_cash(
    *,
    group: Group,
    amount_pence: int,
    occurred_on: date,
    collected_by: Person,
    by: User | None,
    into: Account | None = None,
) -> Transaction:
    """Cash a member collected (a bucket at the food bank): into the cash box, as donations."""
    box = into or Account.objects.for_purpose(group, AccountPurpose.CASH_BOX, field="into")
    if box.kind != AccountKind.CASH:
        raise ValidationError({"into": "Cash goes into a cash box."})
    return post_transaction(
        group=group,
        kind=TransactionKind.CASH,
        occurred_on=occurred_on,
        description=f"Cash collected by {collected_by.display_name}",
        lines=[
            ledger.Line(box.pk, amount_pence),
            ledger.Line(Account.objects.for_purpose(group, AccountPurpose.DONATIONS).pk, -amount_pence),
        ],
        by=by,
    )


POLICY_FIELDS = (
    "approval_threshold_pence",
    "approvals_over_threshold",
    "treasurer_term_months",
    "public_page",
    "public_intro",
)
# Kept on the group's treasurer role, not on the books.
ROLE_POLICY = "treasurer_term_months"


def policy_of(group: Group) -> dict[str, object]:
    """The group's rules as `update_policy` takes them."""
    return {
        name: roles.treasurer_term_months(group) if name == ROLE_POLICY else getattr(group, name)
        for name in POLICY_FIELDS
    }


@transaction.atomic
def update_policy(*, group: Group, by: User | None, **values: object) -> Group:
    """The group's own rules: approvals, treasurer terms, whether its page is public."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"Not a policy: {', '.join(sorted(unknown))}")
    now = policy_of(group)
    changed = [name for name, value in values.items() if now[name] != value]
    if "approvals_over_threshold" in changed:
        today = timezone.localdate()
        approving = roles.money_terms_on(today, roles.POWER_OF[GroupRole.APPROVER])
        approvers = approving.filter(role__group_id=group.group_id).values("person").distinct().count()
        if int(str(values["approvals_over_threshold"])) > approvers:
            people = plural(approvers, "approver")
            message = f"The group has {people}: give more people the approver role first, or ask for fewer."
            raise ValidationError({"approvals_over_threshold": message})
    on_books = [name for name in changed if name != ROLE_POLICY]
    for name in on_books:
        setattr(group, name, values[name])
    group.full_clean()
    Group.objects.filter(pk=group.pk).update(**{name: values[name] for name in on_books})
    if ROLE_POLICY in changed:
        _set_treasurer_term(group, values[ROLE_POLICY])
    record_event(actor=by, action="finances.policy_changed", target=group, detail={"fields": sorted(changed)})
    return group


def _set_treasurer_term(group: Group, months: object) -> None:
    role = roles.money_role(group, GroupRole.TREASURER)
    if months is None and role.max_consecutive_terms is not None:
        message = "The treasurer role limits terms in a row, so a term needs a length."
        raise ValidationError({ROLE_POLICY: message})
    role.term_months = None if months is None else int(str(months))
    role.save(update_fields=["term_months", "updated_at"])


@transaction.atomic
def set_budget(
    *, group: Group, category: Account, starts_on: date, ends_on: date, amount_pence: int, by: User | None
) -> Budget:
    """Plan what to spend on a category over a period; a second plan for the same start replaces
    the amount, and the change is audited."""
    if category.group_id != group.pk or category.kind != AccountKind.EXPENSE:
        raise ValidationError({"category": "Choose one of this group's spending categories."})
    check_date(starts_on, PLANNED, field="starts_on")
    check_date(ends_on, PLANNED, field="ends_on")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The end must be on or after the start."})
    budget, created = Budget.objects.update_or_create(
        group=group,
        category=category,
        starts_on=starts_on,
        defaults={"ends_on": ends_on, "amount_pence": amount_pence},
    )
    record_event(
        actor=by,
        action="finances.budget_set" if created else "finances.budget_changed",
        target=budget,
        detail={"category": str(category.uuid)},
    )
    return budget
