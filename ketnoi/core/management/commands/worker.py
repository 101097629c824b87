"""The task worker that survives: django_tasks_db's `db_worker`, started again with a growing
delay (2 s, 4 s, … 5 min) when the database fails it — a SQLite database locked for longer than
its busy timeout, a PostgreSQL server restarting. A task the dead worker had claimed is put back
in the queue, so it runs again instead of staying "running" for ever. Same options as
db_worker; `make run` starts this one.
"""

import logging
import time

from django.db import OperationalError, connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

from ketnoi.core.tasks import backoff_seconds

logger = logging.getLogger(__name__)

# A worker that ran this long before failing starts again from the shortest delay.
HEALTHY_SECONDS = 300


def requeue_claimed(worker_id: str) -> int:
    """Tasks left RUNNING by this worker (it died mid-task) go back to READY."""
    ids = [
        row.pk
        for row in DBTaskResult.objects.running().only("id", "worker_ids")
        if row.worker_ids and row.worker_ids[-1] == worker_id
    ]
    if ids:
        DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return len(ids)


def _drop_broken_connections() -> None:
    """A connection the error left unusable is closed, to be opened afresh (one inside a
    transaction — only ever a test's — is left alone)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Command(DbWorkerCommand):
    help = "Run the database task worker, restarting it with a growing delay when the database fails it."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-restarts", type=int, default=None, help="give up after this many restarts (default: never)"
        )
        parser.set_defaults(reload=False)

    def handle(self, *args, max_restarts: int | None = None, **options) -> None:
        failures = 0
        while True:
            started = time.monotonic()
            try:
                requeued = requeue_claimed(options["worker_id"])
                if requeued:
                    logger.warning("Put %s task(s) claimed by the stopped worker back in the queue", requeued)
                super().handle(*args, **options)
                return  # --batch or --max-tasks: the worker finished on its own
            except OperationalError as error:
                if time.monotonic() - started > HEALTHY_SECONDS:
                    failures = 0
                failures += 1
                if max_restarts is not None and failures > max_restarts:
                    raise
                delay = backoff_seconds(failures, base=2, cap=300)
                logger.error("Task worker stopped by a database error (%s); restarting in %s s", error, delay)
                self.stderr.write(f"worker: database error ({error}); restarting in {delay:g} s")
                _drop_broken_connections()
                time.sleep(delay)
