from django_tasks import task

from carecommons.decisions import services


@task()
def close_due_decisions() -> int:
    """Close, and count, every decision whose deadline has passed (queued for each deadline)."""
    return services.close_due_decisions()
