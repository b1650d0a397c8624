"""Bank statements and how their lines match the books.

A `StatementImport` is one uploaded file for one bank (or cash) account of a group: first a dry
run, then, when a treasurer says so, its lines become `StatementLine` rows. A line is the same line
whichever statement it arrives in (`statementline_once`), so overlapping statements add nothing
twice. A `Match` ties a line to the ledger `Entry` it stands for: suggested by the app, confirmed
by a person. `reconciled` on the line repeats "has a confirmed match" so unmatched lines can be
counted from a small partial index.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from carecommons.finances.models import Account, Entry, Group
from carecommons.lib.dates import EARLIEST_RECORD
from carecommons.lib.models import TimestampedModel


class ImportStatus(models.TextChoices):
    DRY_RUN = "dry_run", "Checked, not yet imported"
    QUEUED = "queued", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Import failed"
    DISCARDED = "discarded", "Discarded"


class StatementImport(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="statement_imports")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="statement_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.TextField(blank=True, help_text="The decoded file; cleared once imported or discarded.")
    mapping = models.JSONField(
        default=dict, help_text="The columns and date format used (csvformat.Mapping)."
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.DRY_RUN)
    problems = models.JSONField(default=list, blank=True, help_text='[{"line": 7, "reason": "..."}]')
    mapping_problems = models.JSONField(default=list, blank=True)
    headings = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True, help_text="The first lines as read.")
    row_count = models.PositiveIntegerField(default=0)
    bad_row_count = models.PositiveIntegerField(default=0)
    new_line_count = models.PositiveIntegerField(default=0)
    known_line_count = models.PositiveIntegerField(default=0, help_text="Lines imported before.")
    imported_line_count = models.PositiveIntegerField(default=0)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    closing_balance_pence = models.BigIntegerField(null=True, blank=True)
    skip_bad_rows = models.BooleanField(default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "sha256"],
                condition=Q(status="imported"),
                name="statement_file_imported_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="statement_status_known"
            ),
        ]
        indexes = [models.Index(fields=["group", "created_at"], name="statement_group_idx")]

    def __str__(self) -> str:
        return self.filename or str(self.uuid)

    @property
    def readable(self) -> bool:
        return not self.mapping_problems and self.row_count > 0

    @property
    def good_row_count(self) -> int:
        return self.new_line_count + self.known_line_count


class StatementLine(TimestampedModel):
    # No index of their own for `statement` and `account`: statementline_page_idx and
    # statementline_once start with them, and every index is paid for on each imported line.
    statement = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="statement_lines", db_index=False
    )
    line_number = models.PositiveIntegerField(help_text="Where it was in the file.")
    occurred_on = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    amount_pence = models.BigIntegerField(help_text="Money in positive, money out negative.")
    balance_pence = models.BigIntegerField(null=True, blank=True)
    occurrence = models.PositiveIntegerField(default=0, help_text="Which of identical lines on one day.")
    reconciled = models.BooleanField(default=False, help_text="Has a confirmed match.")

    class Meta:
        ordering = ["statement_id", "occurred_on", "line_number"]
        constraints = [
            # The upper bound moves with today, so csvformat.py checks it (lib/dates.py).
            models.CheckConstraint(
                condition=Q(occurred_on__gte=EARLIEST_RECORD), name="statement_line_date_bounded"
            ),
            models.CheckConstraint(condition=~Q(amount_pence=0), name="statementline_not_zero"),
            models.UniqueConstraint(
                fields=["account", "occurred_on", "amount_pence", "description", "occurrence"],
                name="statementline_once",
            ),
        ]
        indexes = [
            models.Index(fields=["group"], condition=Q(reconciled=False), name="statementline_unmatched_idx"),
            models.Index(
                fields=["statement", "reconciled", "occurred_on", "line_number"],
                name="statementline_page_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.description} {self.amount_pence}"


class MatchState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"


class Match(TimestampedModel):
    """A bank line and the ledger entry it stands for. An entry matches one line at most."""

    line = models.OneToOneField(StatementLine, on_delete=models.PROTECT, related_name="match")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="statement_match")
    state = models.CharField(max_length=20, choices=MatchState.choices, default=MatchState.SUGGESTED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["line_id"]
        verbose_name_plural = "matches"
        constraints = [
            models.CheckConstraint(
                condition=Q(state=MatchState.SUGGESTED, confirmed_at__isnull=True)
                | Q(state=MatchState.CONFIRMED, confirmed_at__isnull=False),
                name="match_confirmed_with_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} = {self.entry} ({self.state})"


class Rejection(TimestampedModel):
    """A person said this entry is not this line, so it is never suggested for it again."""

    line = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="rejections")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["line_id", "entry_id"]
        constraints = [models.UniqueConstraint(fields=["line", "entry"], name="rejection_once")]

    def __str__(self) -> str:
        return f"{self.entry} is not {self.line}"
