"""Who may see import batches: directory users only; anyone else gets a 404."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.people.access import require_directory
from carecommons.transfers.models import ImportBatch


def get_batch_for_user(user: User, batch_uuid: UUID) -> ImportBatch:
    require_directory(user)
    try:
        return ImportBatch.objects.select_related("created_by").get(uuid=batch_uuid)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def recent_batches_for_user(user: User, *, limit: int = 10) -> QuerySet[ImportBatch]:
    require_directory(user)
    return ImportBatch.objects.select_related("created_by")[:limit]
