"""Receipts kept across a claim form that came back with a problem.

Browsers never refill a file input, so without this a person who mistyped the amount had to find
their receipt photo again. A receipt that passes its checks is stored against the person and the
form's submission key (lib/once.py); sending the same form again without choosing a file uses it,
and choosing another file replaces it. Nobody else can use it: it is looked up by its owner too.
"""

from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.expenses.models import KeptReceipt
from carecommons.expenses.receipts import Kind

KEPT_FOR = timedelta(days=1)


def kept_for(user: User, key: UUID | None) -> list[KeptReceipt]:
    if key is None:
        return []
    return list(KeptReceipt.objects.filter(user=user, submission=key))


def as_uploads(kept: Sequence[KeptReceipt]) -> list[UploadedFile]:
    """The kept files, read like fresh uploads so the service checks and stores them as usual."""
    return [
        UploadedFile(row.file.open("rb"), name=row.name, content_type=row.content_type, size=row.size)
        for row in kept
    ]


def discard(rows: Sequence[KeptReceipt] | None = None, *, older_than: timedelta | None = None) -> None:
    """Remove kept receipts (their files once the transaction commits): the rows given, or every
    one older than `older_than`."""
    if rows is None:
        rows = list(KeptReceipt.objects.filter(created_at__lt=timezone.now() - (older_than or KEPT_FOR)))
    if not rows:
        return
    files = [(row.file.storage, row.file.name) for row in rows]
    KeptReceipt.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files if name])


@transaction.atomic
def keep(
    *, user: User, key: UUID, uploads: Sequence[UploadedFile], kinds: Sequence[Kind]
) -> list[KeptReceipt]:
    """Keep checked uploads for this person's form, replacing what it kept before."""
    discard(kept_for(user, key))
    discard(older_than=KEPT_FOR)
    kept = []
    for upload, kind in zip(uploads, kinds, strict=True):
        upload.seek(0)
        row = KeptReceipt(
            user=user,
            submission=key,
            name=(upload.name or "receipt")[-200:],
            content_type=kind.content_type,
            size=upload.size or 0,
        )
        row.file.save(f"receipt{kind.extension}", upload, save=False)
        row.save()
        kept.append(row)
    record_event(
        actor=user,
        action="expenses.receipt_kept",
        target=None,
        detail={"kept": [str(row.uuid) for row in kept], "submission": str(key)},
    )
    return kept
