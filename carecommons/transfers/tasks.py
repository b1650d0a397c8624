from django_tasks import task

from carecommons.transfers.services import run_queued_import


@task()
def import_batch(batch_id: int) -> str:
    """Import a queued CSV batch (see services.request_import)."""
    return run_queued_import(batch_id).status
