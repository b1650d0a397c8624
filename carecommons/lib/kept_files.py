"""Files kept across a form that came back with a problem (decision 0018).

Browsers never refill a file input, so without this a person who mistyped one field had to find
their file again. A file that passes its checks is stored, in a row of the app's `KeptFile` model,
against the person and the form's submission key (lib/once.py); sending the same form again
without choosing a file uses it, and choosing another file replaces it. Nobody else can use it: it
is looked up by its owner too. What a file must be (its type, its size) is each app's own rule,
passed in as `check`, and so is the audit event that records the keeping.
"""

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import NamedTuple, TypeVar
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from carecommons.lib.models import KeptFile

KEPT_FOR = timedelta(days=1)

K = TypeVar("K", bound=KeptFile)


class Checked(NamedTuple):
    """What an app's check found an upload to be: its content type, and the name it is stored
    under (the model's path function decides how much of it to use)."""

    content_type: str
    stored_as: str


# An app's rule for the files it keeps: one Checked per upload, or a ValidationError under the
# form field's name, raised before anything is kept.
Check = Callable[[Sequence[UploadedFile]], Sequence[Checked]]


def kept_for(model: type[K], user: AbstractBaseUser, key: UUID | None) -> list[K]:
    """What this person's form has kept, oldest first."""
    if key is None:
        return []
    return list(model._default_manager.filter(user_id=user.pk, submission=key))


def as_upload(row: KeptFile) -> UploadedFile:
    """The kept file, read like a fresh upload so the service checks and stores it as usual."""
    return UploadedFile(row.file.open("rb"), name=row.name, content_type=row.content_type, size=row.size)


def discard(model: type[K], rows: Sequence[K] | None = None, *, older_than: timedelta = KEPT_FOR) -> None:
    """Remove kept files (from storage once the transaction commits): the rows given, or every one
    older than `older_than`."""
    if rows is None:
        rows = list(model._default_manager.filter(created_at__lt=timezone.now() - older_than))
    if not rows:
        return
    files = [(row.file.storage, row.file.name) for row in rows]
    model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files if name])


@transaction.atomic
def keep(
    model: type[K], *, user: AbstractBaseUser, key: UUID, uploads: Sequence[UploadedFile], check: Check
) -> list[K]:
    """Keep the uploads for this person's form if they pass `check`, replacing what it kept before
    and throwing away whatever anyone kept more than a day ago."""
    checked = check(uploads)
    discard(model, kept_for(model, user, key))
    discard(model)
    kept = []
    for upload, found in zip(uploads, checked, strict=True):
        upload.seek(0)
        row = model(
            user_id=user.pk,
            submission=key,
            name=(upload.name or found.stored_as)[-200:],
            content_type=found.content_type,
            size=upload.size or 0,
        )
        row.file.save(found.stored_as, upload, save=False)
        row.save()
        kept.append(row)
    return kept
