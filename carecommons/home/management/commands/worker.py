"""`carecommons worker`: runs queued background tasks (the django-tasks database worker, each task
exactly once on PostgreSQL: home/task_runs.py) and records a heartbeat while it runs, so staff and
/health can tell when no worker is running."""

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from carecommons.home.heartbeat import beating
from carecommons.home.task_runs import OneTransactionWorker


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
        self.configure_logging(options["verbosity"])
        queues = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = OneTransactionWorker(
            queue_names=queues,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        with beating(options["worker_id"]):
            worker.configure_signals()
            if options["reload"] and not options["batch"]:
                run_with_reloader(worker.run)  # the reloader's child: runs tasks, restarts on a change
            else:
                worker.run()
