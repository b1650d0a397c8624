"""Each queued task runs exactly once, however many workers share the queue (decision 0037).

django-tasks-db claims a task in one transaction (SELECT ... FOR UPDATE SKIP LOCKED, then RUNNING)
and runs it after that commit. A worker killed mid-task (kill -9, a lost machine) leaves the task
RUNNING for ever, whatever part of it had been written. On PostgreSQL this worker claims, runs and
records each task in one transaction instead, the task's row locked throughout so other workers pass
it by: the task's writes and its SUCCESSFUL commit together, and a worker that dies mid-task leaves
nothing, since PostgreSQL rolls its transaction back when the connection drops and the next worker
takes the task. An email sent before the death is sent again (at least once); every database write
happens once.

On SQLite a transaction that long would hold the database's one write lock for the whole task, so
there the library's claim-then-run stays (one machine, one worker: docs/deploy.md).
"""

import logging
import time

from django.db import close_old_connections, connections, transaction
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

logger = logging.getLogger(__name__)


class OneTransactionWorker(Worker):
    def run(self) -> None:
        if connections[DBTaskResult.objects.db].vendor != "postgresql":
            super().run()
            return
        while self.running:
            close_old_connections()
            with transaction.atomic():
                task_result = self.ready_tasks().get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                    self.run_in_savepoint(task_result)
            if self.batch and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def ready_tasks(self) -> DBTaskResultQuerySet:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def run_in_savepoint(self, db_task_result: DBTaskResult) -> None:
        """Worker.run_task, with the task's own writes in a savepoint: a task that fails is rolled
        back whole and only its failure is recorded."""
        self.running_task = True
        try:
            task, result = db_task_result.task, db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=result)
            with transaction.atomic():
                if task.takes_context:
                    value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
                else:
                    value = task.call(*result.args, **result.kwargs)
                db_task_result.set_successful(value)
        except BaseException as error:
            db_task_result.set_failed(error)
            logger.warning("Task id=%s failed", db_task_result.id, exc_info=error)
        finally:
            self.running_task = False
            self._run_tasks += 1
        try:
            sender = type(db_task_result.task.get_backend())
        except Exception:
            return
        task_finished.send(sender=sender, task_result=db_task_result.task_result)
