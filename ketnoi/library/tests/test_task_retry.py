"""A database that stays locked does not lose a library file: the extraction is tried again with
a growing delay, and a file that keeps failing says so — with the reason and the number of tries
— to the programme's curators and staff, not to anyone else."""

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse

from ketnoi.library import tasks
from ketnoi.library.models import DocumentFile

from . import samples
from .test_tasks import add_file, media  # noqa: F401 - fixtures

LOCKED = "database is locked"


def _locked_for(times: int, real):
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise OperationalError(LOCKED)
        return real(*args, **kwargs)

    return flaky, calls


@pytest.mark.django_db
def test_a_locked_database_is_retried_then_the_file_is_ready(add_file, monkeypatch):  # noqa: F811
    flaky, calls = _locked_for(2, tasks._mark_ready)
    monkeypatch.setattr(tasks, "_mark_ready", flaky)
    file = add_file("bao-cao.pdf", samples.report_pdf())
    file.refresh_from_db()
    assert calls["n"] == 3
    assert (file.status, file.failure) == (DocumentFile.Status.READY, "")
    assert file.passages.exists()


@pytest.mark.django_db
def test_a_file_that_keeps_failing_is_marked_failed_with_reason_and_tries(add_file, monkeypatch):  # noqa: F811
    flaky, calls = _locked_for(1000, tasks._mark_ready)
    monkeypatch.setattr(tasks, "_mark_ready", flaky)
    file = add_file("bao-cao.pdf", samples.report_pdf())
    file.refresh_from_db()
    assert calls["n"] == tasks.EXTRACTION_ATTEMPTS
    assert file.status == DocumentFile.Status.FAILED
    assert file.failure == tasks.gave_up_reason(LOCKED, tasks.EXTRACTION_ATTEMPTS)
    assert LOCKED in file.failure and str(tasks.EXTRACTION_ATTEMPTS) in file.failure


@pytest.mark.django_db
def test_the_failure_shows_to_curators_and_staff_only(
    add_file,  # noqa: F811
    monkeypatch,
    client_for,
    curator,
    staff_admin,
    outsider,
    other_coordinator,
    prog,
):
    monkeypatch.setattr(tasks, "_mark_ready", _locked_for(1000, tasks._mark_ready)[0])
    file = add_file("bao-cao.pdf", samples.report_pdf())
    file.refresh_from_db()
    page = reverse("library:document_manage", args=[prog.code, file.document_id])
    for user in (curator, staff_admin):
        response = client_for(user).get(page)
        assert response.status_code == 200
        assert file.failure in response.content.decode()
    for user in (outsider, other_coordinator):
        response = client_for(user).get(page)
        assert response.status_code in (403, 404)
        assert LOCKED not in response.content.decode()
    public = client_for(outsider).get(reverse("library_public:document", args=[file.document_id]))
    assert LOCKED not in public.content.decode()


@pytest.mark.django_db
def test_a_retry_with_the_database_queue_waits_with_a_delay(add_file, monkeypatch, settings):  # noqa: F811
    """With the database queue the next attempt is a new task row due later, with its number."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    file = add_file("bao-cao.pdf", samples.report_pdf(), enqueue=False)

    def locked(*args, **kwargs):
        raise OperationalError(LOCKED)

    monkeypatch.setattr(tasks, "_mark_ready", locked)
    with transaction.atomic():
        result = tasks.extract_file_text.call(file.pk)
    assert result == {"retrying": 2, "reason": LOCKED}
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [file.pk], "kwargs": {"attempt": 2}}
    assert row.run_after != get_date_max() and row.status == "READY"
