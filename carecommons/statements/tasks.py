from django_tasks import task

from carecommons.statements.services import run_queued_import


@task()
def import_statement(statement_id: int) -> str:
    """Import a queued bank statement (see services.request_import)."""
    return run_queued_import(statement_id).status
