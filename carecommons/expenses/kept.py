"""Receipts kept across a claim form that came back with a problem (lib/kept_files.py, decision
0018): a receipt that passes the receipt checks is kept for the person and the form's submission
key, so the corrected form need not have it chosen again."""

from collections.abc import Sequence
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.expenses.models import KeptReceipt
from carecommons.expenses.services import check_receipts
from carecommons.lib import kept_files


def checked_receipts(uploads: Sequence[UploadedFile]) -> list[kept_files.Checked]:
    return [
        kept_files.Checked(kind.content_type, f"receipt{kind.extension}") for kind in check_receipts(uploads)
    ]


@transaction.atomic
def keep(*, user: User, key: UUID, uploads: Sequence[UploadedFile]) -> list[KeptReceipt]:
    """Keep receipts that pass their checks for this person's form, replacing what it kept before;
    a file that fails is refused with the reason, under "receipts"."""
    kept = kept_files.keep(KeptReceipt, user=user, key=key, uploads=uploads, check=checked_receipts)
    record_event(
        actor=user,
        action="expenses.receipt_kept",
        target=None,
        detail={"kept": [str(row.uuid) for row in kept], "submission": str(key)},
    )
    return kept
