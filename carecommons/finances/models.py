"""A mutual aid group's money: a double-entry ledger in whole pence.

Every `Transaction` holds two or more `Entry` rows whose amounts (debits positive, credits negative)
sum to zero within each fund. The database itself keeps the books (migration 0002's triggers):
entries can be added only to a transaction that is not yet posted; a transaction can be posted only
when it balances; posted transactions and all entries can never be changed or deleted. Mistakes are
put right by a reversing transaction. Balances count posted transactions only, and each account's
running balance (`Balance`) is kept by the posting trigger, in the same statement that posts.
"""

import uuid
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Organisation, Person


class Host(TimestampedModel):
    """A fiscal host: an organisation that holds money for many groups and oversees them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    staff = models.ManyToManyField(Person, blank=True, related_name="hosted_finances")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupQuerySet(models.QuerySet["Group"]):
    pass


class GroupManager(models.Manager["Group"]):
    def get_queryset(self) -> GroupQuerySet:
        # The name lives on the community group: every query for books brings it along.
        return GroupQuerySet(self.model, using=self._db).select_related("group")


class Group(TimestampedModel):
    """The books of a community group (decision 0030): a mutual aid group is a
    `groups.CommunityGroup` that has books. Its members and money roles are the group's own
    (`finances/roles.py`); what is here is money's alone."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.OneToOneField("groups.CommunityGroup", on_delete=models.PROTECT, related_name="books")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in the address of the public page.")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="finance_groups"
    )
    host = models.ForeignKey(Host, null=True, blank=True, on_delete=models.PROTECT, related_name="groups")
    public_page = models.BooleanField(
        default=False, help_text="Show income and spending by category on a public page."
    )
    public_intro = models.TextField(blank=True)
    approval_threshold_pence = models.PositiveBigIntegerField(
        default=0, help_text="Expenses over this amount need the larger number of approvals."
    )
    approvals_over_threshold = models.PositiveSmallIntegerField(default=2)

    objects = GroupManager()

    class Meta:
        ordering = ["group__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approvals_over_threshold__gte=1), name="group_needs_an_approval"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.group.name

    def approvals_needed(self, amount_pence: int) -> int:
        return self.approvals_over_threshold if amount_pence > self.approval_threshold_pence else 1


class GroupRole(models.TextChoices):
    MEMBER = "member", "Member"
    APPROVER = "approver", "Approver"
    TREASURER = "treasurer", "Treasurer"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> "MembershipQuerySet":
        """Roles held on that day. A role ends at the start of its `ends_on` day, so ending one
        today takes effect at once."""
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day), starts_on__lte=day)


class Membership(TimestampedModel):
    """A person's role in a group for a time, as kept before decision 0030. Nothing reads or
    writes these rows any more: members and money roles are the community group's
    (`finances/roles.py`); migration 0010 copied them there, and a later migration drops the table."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="finance_memberships")
    role = models.CharField(max_length=20, choices=GroupRole.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group_id", "role", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["person", "group", "role"], name="membership_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} as {self.get_role_display()} of {self.group}"


class AccountKind(models.TextChoices):
    BANK = "bank", "Bank account"
    CASH = "cash", "Cash"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Spending category"
    EQUITY = "equity", "Opening balance"


MONEY_KINDS: tuple[str, ...] = (AccountKind.BANK, AccountKind.CASH)


class AccountPurpose(models.TextChoices):
    """What the services look an account up for. At most one account of a group has each purpose,
    whatever it is called, so renamed or imported books still take donations, grants and cash."""

    BANK = "bank", "Main bank account"
    CASH_BOX = "cash_box", "Cash box"
    DONATIONS = "donations", "Donations"
    GRANTS = "grants", "Grants"


# The kind of account each purpose needs: donations never land in a spending category.
PURPOSE_KINDS: dict[str, str] = {
    AccountPurpose.BANK: AccountKind.BANK,
    AccountPurpose.CASH_BOX: AccountKind.CASH,
    AccountPurpose.DONATIONS: AccountKind.INCOME,
    AccountPurpose.GRANTS: AccountKind.INCOME,
}


class AccountQuerySet(models.QuerySet["Account"]):
    def for_purpose(
        self, group: Group, purpose: AccountPurpose, *, field: str = NON_FIELD_ERRORS
    ) -> "Account":
        """The group's account for this purpose, or a ValidationError a form can show (beside
        `field`) saying what to add."""
        account = self.filter(group=group, purpose=purpose).first()
        if account is None:
            message = (
                f"{group.name} has no account used for “{purpose.label}”: a treasurer can add one on the "
                "accounts page."
            )
            raise ValidationError({field: message})
        return account


class Account(TimestampedModel):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="accounts")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    purpose = models.CharField(
        "Used for",
        max_length=20,
        choices=AccountPurpose.choices,
        null=True,
        blank=True,
        help_text="Where donations, grants and cash go when nobody chooses; one account each.",
    )

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["group_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="account_name_once"),
            models.UniqueConstraint(
                fields=["group", "purpose"],
                condition=Q(purpose__isnull=False),
                name="account_purpose_once",
                violation_error_message="Another account of this group is already used for this.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # In clean, not a CHECK constraint: adding one rebuilds the table on SQLite, which the
        # ledger's triggers (migration 0002) that name it do not survive.
        if self.purpose and PURPOSE_KINDS[self.purpose] != self.kind:
            kind = AccountKind(PURPOSE_KINDS[self.purpose]).label.lower()
            raise ValidationError({"purpose": f"Only an account of the kind “{kind}” can be used for this."})


class Balance(models.Model):
    """The sum of an account's posted entries, written only by the posting trigger (migration
    0002), never by Python: a page reads one row instead of adding up every entry."""

    account = models.OneToOneField(
        Account, primary_key=True, on_delete=models.PROTECT, related_name="balance"
    )
    pence = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["account_id"]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.pence}"


class Fund(TimestampedModel):
    """Money given for a purpose (a grant): it may be spent only on the categories it allows."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="funds")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    conditions = models.TextField(help_text="What the funder said the money is for.")
    allowed_categories = models.ManyToManyField(Account, related_name="funds_allowed")

    class Meta:
        ordering = ["group_id", "name"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="fund_name_once")]

    def __str__(self) -> str:
        return self.name


class TransactionKind(models.TextChoices):
    OPENING = "opening", "Opening balance"
    DONATION = "donation", "Donation"
    GRANT = "grant", "Grant"
    CASH = "cash", "Cash collected"
    EXPENSE = "expense", "Expense paid"
    TRANSFER = "transfer", "Transfer"
    REVERSAL = "reversal", "Reversal"
    IMPORTED = "imported", "Imported"


class Transaction(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="transactions")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=TransactionKind.choices)
    occurred_on = models.DateField()
    description = models.CharField(max_length=300)
    # How the public page names who gave or received: never a private name unless they agreed.
    counterparty = models.CharField(max_length=200, blank=True)
    counterparty_public = models.BooleanField(default=False)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    posted = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["group", "occurred_on"], name="transaction_group_date_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.description}"


class Entry(models.Model):
    """One side of a transaction: debit positive, credit negative, never zero."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    amount_pence = models.BigIntegerField()

    class Meta:
        ordering = ["transaction_id", "id"]
        verbose_name_plural = "entries"
        constraints = [models.CheckConstraint(condition=~Q(amount_pence=0), name="entry_not_zero")]
        indexes = [models.Index(fields=["account", "transaction"], name="entry_account_idx")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount_pence}"


class Budget(TimestampedModel):
    """What a group plans to spend on one category over a period; actuals come from the ledger."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="budgets")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="budgets")
    starts_on = models.DateField()
    ends_on = models.DateField()
    amount_pence = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["group_id", "starts_on", "category_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="budget_ends_after_start"
            ),
            models.UniqueConstraint(fields=["category", "starts_on"], name="budget_once_per_category_period"),
        ]

    def __str__(self) -> str:
        return f"{self.category} from {self.starts_on}"
