"""`carecommons worker`: runs queued background tasks (the django-tasks database worker)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run Care Commons background tasks (emails, re-indexing). Same options as db_worker."
