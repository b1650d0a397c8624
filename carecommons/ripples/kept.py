"""Evidence files kept across an evidence form that came back with a problem (the consent box left
unticked, say), as expenses keeps receipts (lib/kept_files.py, decision 0018): a file that passes
the evidence checks is kept for the person and the form's submission key, so the corrected form
need not have it chosen again."""

from collections.abc import Sequence
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib import kept_files
from carecommons.ripples.models import KeptEvidence
from carecommons.ripples.services import check_evidence_file


def checked_evidence(uploads: Sequence[UploadedFile]) -> list[kept_files.Checked]:
    checked = []
    for upload in uploads:
        problem, content_type = check_evidence_file(upload)
        if problem:
            raise ValidationError({"file": problem})
        checked.append(kept_files.Checked(content_type, "evidence"))
    return checked


@transaction.atomic
def keep(*, user: User, key: UUID, upload: UploadedFile) -> KeptEvidence:
    """Keep a checked file for this person's form, replacing what it kept before; a file that
    fails the checks is refused with the reason, under "file"."""
    [row] = kept_files.keep(KeptEvidence, user=user, key=key, uploads=[upload], check=checked_evidence)
    record_event(
        actor=user,
        action="ripples.evidence_file_kept",
        target=None,
        detail={"kept": str(row.uuid), "submission": str(key)},
    )
    return row
