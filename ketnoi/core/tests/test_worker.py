"""The task worker survives a database that fails it: it starts again with a growing delay, and
the task it had claimed goes back to the queue instead of staying "running" for ever."""

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ketnoi.core.management.commands import worker
from ketnoi.core.tasks import backoff_seconds

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DB_TASKS


def test_the_worker_restarts_with_a_growing_delay_after_database_errors(database_queue, db, monkeypatch):
    runs, sleeps = [], []

    def dying_worker(self, *args, **options):
        runs.append(options["worker_id"])
        if len(runs) <= 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr(DbWorkerCommand, "handle", dying_worker)
    monkeypatch.setattr(worker.time, "sleep", sleeps.append)
    err = io.StringIO()
    call_command("worker", "--batch", "--worker-id", "w-test", stderr=err, stdout=io.StringIO())
    assert runs == ["w-test"] * 4
    assert sleeps == [2, 4, 8]
    assert "database is locked" in err.getvalue()


def test_the_worker_gives_up_after_max_restarts_when_asked(database_queue, db, monkeypatch):
    def dying_worker(self, *args, **options):
        raise OperationalError("database is locked")

    monkeypatch.setattr(DbWorkerCommand, "handle", dying_worker)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: None)
    with pytest.raises(OperationalError):
        call_command("worker", "--batch", "--max-restarts", "2", stderr=io.StringIO(), stdout=io.StringIO())


def test_a_task_claimed_by_the_dead_worker_goes_back_to_the_queue(database_queue, db):
    from django_tasks_db.models import DBTaskResult

    from ketnoi.core.tasks import send_outgoing_email

    mine = send_outgoing_email.enqueue(1).db_result
    theirs = send_outgoing_email.enqueue(2).db_result
    mine.claim("w-dead")
    theirs.claim("w-other")
    assert worker.requeue_claimed("w-dead") == 1
    assert DBTaskResult.objects.get(pk=mine.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=theirs.pk).status == "RUNNING"


def test_backoff_doubles_and_is_capped():
    assert [backoff_seconds(n, base=30, cap=200) for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 200, 200]
