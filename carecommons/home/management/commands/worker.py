"""`carecommons worker`: runs queued background tasks (the django-tasks database worker) and
records a heartbeat while it runs, so staff and /health can tell when no worker is running."""

import os
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from carecommons.home.heartbeat import beating


class Command(DatabaseWorkerCommand):
    help = (
        "Run Care Commons background tasks (emails, imports, re-indexing) and record a heartbeat. "
        "Same options as db_worker; --reload is off unless asked for."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # db_worker reloads whenever DEBUG is on; then the task loop runs in a thread that can die
        # while its process (and so the heartbeat) lives on. Reloading is for those who ask.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        watcher = (
            options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if watcher:
            # This process only watches files; the process it starts runs tasks and beats.
            super().handle(*args, **options)
            return
        with beating(options["worker_id"]):
            super().handle(*args, **options)
