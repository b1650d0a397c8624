"""Evidence files kept across an evidence form that came back with a problem, as expenses keeps
receipts (expenses/kept.py, decision 0018).

Browsers never refill a file input, so without this a person who forgot to tick the consent box had
to find their photo again. A file that passes its checks is stored against the person and the
form's submission key (lib/once.py); sending the same form again without choosing a file uses it,
and choosing another file replaces it. Nobody else can use it: it is looked up by its owner too.
"""

from datetime import timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.programmes.uploads import check_material
from carecommons.ripples.models import KeptEvidence
from carecommons.ripples.services import evidence_max_bytes

KEPT_FOR = timedelta(days=1)


def kept_for(user: User, key: UUID | None) -> KeptEvidence | None:
    if key is None:
        return None
    return KeptEvidence.objects.filter(user=user, submission=key).order_by("-created_at", "-id").first()


def as_upload(kept: KeptEvidence) -> UploadedFile:
    """The kept file, read like a fresh upload so the service checks and stores it as usual."""
    return UploadedFile(kept.file.open("rb"), name=kept.name, content_type=kept.content_type, size=kept.size)


def discard(row: KeptEvidence | None = None, *, older_than: timedelta | None = None) -> None:
    """Remove a kept file (once the transaction commits): the row given, or every one older than
    `older_than`."""
    rows = (
        [row]
        if row is not None
        else list(KeptEvidence.objects.filter(created_at__lt=timezone.now() - (older_than or KEPT_FOR)))
    )
    if not rows:
        return
    files = [(kept.file.storage, kept.file.name) for kept in rows]
    KeptEvidence.objects.filter(pk__in=[kept.pk for kept in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files if name])


@transaction.atomic
def keep(*, user: User, key: UUID, upload: UploadedFile) -> KeptEvidence:
    """Keep a checked file for this person's form, replacing what it kept before; a file that
    fails the checks is refused with the reason, under "file"."""
    head = upload.read(2048)
    upload.seek(0)
    problem, content_type = check_material(upload.name or "", head, upload.size or 0, evidence_max_bytes())
    if problem:
        raise ValidationError({"file": problem})
    if (earlier := kept_for(user, key)) is not None:
        discard(earlier)
    discard(older_than=KEPT_FOR)
    row = KeptEvidence(
        user=user,
        submission=key,
        name=(upload.name or "evidence")[-200:],
        content_type=content_type,
        size=upload.size or 0,
    )
    row.file.save("evidence", upload, save=False)
    row.save()
    record_event(
        actor=user,
        action="ripples.evidence_file_kept",
        target=None,
        detail={"kept": str(row.uuid), "submission": str(key)},
    )
    return row
