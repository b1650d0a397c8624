from django_tasks import task

from carecommons.trials.services import run_report


@task()
def build_report(report_id: int) -> str:
    """Build a queued evaluation report (see services.request_report)."""
    return run_report(report_id).status
