"""The extraction task: files end READY with searchable passages or FAILED with a reason, and the
worker never crashes; the real database queue and worker; the re-queue command."""

import io
import logging
import os
import signal
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils._os import safe_join

from ketnoi.core.models import AuditEntry
from ketnoi.library import search_index, tasks
from ketnoi.library.models import DocumentFile, Passage
from ketnoi.library.search_index import EXACT, FOLDED, PAIRS, Term
from ketnoi.library.tasks import enqueue_extraction, extract_file_text

from . import samples

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PENDING, READY, FAILED = DocumentFile.Status.PENDING, DocumentFile.Status.READY, DocumentFile.Status.FAILED


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def add_file(make_document):
    """add_file(name, data, *, document=None, enqueue=True) -> DocumentFile, stored like an upload
    and queued in the same transaction (the immediate backend runs it at once)."""
    from ketnoi.library.extraction import MEDIA_TYPES, kind_of

    def add(name, data, *, document=None, enqueue=True):
        with transaction.atomic():
            document = document or make_document("Khảo sát năng lực cộng đồng")
            file = DocumentFile(
                document=document,
                original_name=name,
                media_type=MEDIA_TYPES.get(kind_of(name), "application/octet-stream"),
                size=len(data),
                sha256="0" * 64,
            )
            file.file.save(name, ContentFile(data), save=False)
            file.save()
            if enqueue:
                enqueue_extraction(file)
        return file

    return add


def _words(text: str, columns) -> list[Term]:
    from ketnoi.library import tokens

    exact, folded, pairs = tokens.fields(text)
    chosen = {EXACT: exact, FOLDED: folded, PAIRS: pairs}[columns]
    return [Term(word, columns) for word in chosen]


def _actions(file) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(file.pk)).order_by("id").values_list("action", flat=True))


def _assert_index_in_step():
    assert search_index.indexed_count() == Passage.objects.count()


# A good file -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_becomes_ready_with_passages_found_without_diacritics(add_file):
    file = add_file("bao-cao.pdf", samples.report_pdf())
    assert file.status == READY  # the caller's object is refreshed
    file.refresh_from_db()
    assert (file.status, file.page_count, file.failure) == (READY, 3, "")
    assert file.extracted_at is not None
    passages = list(file.passages.order_by("number"))
    assert {p.page for p in passages} == {1, 2, 3}
    (on_page_2,) = [p for p in passages if "Đào tạo cán bộ" in p.text]
    assert on_page_2.page == 2
    assert "Đào tạo cán bộ về tổ chức xã hội" in " ".join(on_page_2.text.split())

    for query in ("dao tao can bo", "to chuc xa hoi"):
        hits = search_index.search(_words(query, FOLDED) + _words(query, PAIRS))
        assert hits and hits[0].document_id == file.document_id
        assert Passage.objects.get(pk=hits[0].passage_id).page == 2
    hits = search_index.search(_words("đào tạo", EXACT))
    assert Passage.objects.get(pk=hits[0].passage_id).page == 2
    assert _actions(file) == ["library.file_extracted"]
    entry = AuditEntry.objects.get(action="library.file_extracted")
    assert entry.actor is None
    assert entry.changes["status"] == [PENDING, READY]
    assert entry.changes["passages"] == len(passages)
    _assert_index_in_step()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "builder", "pages", "text"),
    [
        ("so-tay.docx", samples.docx_bytes, 2, samples.DOCX_PAGE_2),
        ("nghi-dinh.txt", samples.txt_bytes, 2, samples.TXT_PAGES[1]),
        ("luat.html", samples.html_bytes, 1, samples.HTML_TEXT),
        ("mo-khoa.pdf", samples.empty_password_pdf, 3, "Đào tạo cán bộ"),
    ],
)
def test_other_kinds_become_ready(add_file, name, builder, pages, text):
    file = add_file(name, builder())
    file.refresh_from_db()
    assert (file.status, file.page_count) == (READY, pages)
    assert any(text in p.text for p in file.passages.all())


@pytest.mark.django_db
def test_a_rerun_replaces_passages_without_duplicates(add_file):
    file = add_file("bao-cao.pdf", samples.report_pdf())
    first = sorted(file.passages.values_list("page", "text"))
    (hit,) = search_index.search(_words("to chuc xa hoi", PAIRS))
    assert extract_file_text.call(file.pk) == "ready"
    assert extract_file_text.call(file.pk) == "ready"
    assert sorted(file.passages.values_list("page", "text")) == first
    (again,) = search_index.search(_words("to chuc xa hoi", PAIRS))
    assert again.passages == hit.passages  # the same passages matched, not three copies each
    _assert_index_in_step()


class RemoteStorage(InMemoryStorage):
    """Like S3: files are reached through open(), there is no local path."""

    def _relative_path(self, name):  # InMemoryStorage itself uses path() for this
        return os.path.relpath(safe_join(self.location, name), self.location)

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["RemoteStorage", "InMemoryStorage"])
def test_storages_without_a_local_file_are_copied_to_a_temporary_file(add_file, settings, backend):
    """InMemoryStorage answers path() with a path where nothing is: open() must be used too."""
    backend = f"{__name__}.RemoteStorage" if backend == "RemoteStorage" else f"{InMemoryStorage.__module__}.{backend}"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}
    file = add_file("bao-cao.pdf", samples.report_pdf())
    file.refresh_from_db()
    assert (file.status, file.page_count) == (READY, 3)


# Broken files ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "builder", "words"),
    [
        ("khoa.pdf", samples.encrypted_pdf, "tệp PDF có mật khẩu"),
        ("cut.pdf", samples.truncated_pdf, "tệp PDF bị hỏng"),
        ("rac.pdf", samples.garbage_pdf, "tệp PDF bị hỏng"),
        ("quet.pdf", samples.scanned_pdf, "không có lớp chữ (bản quét) — cần nhận dạng chữ (OCR)"),
        ("bang.docx", samples.zip_renamed_docx, "không phải tài liệu Word"),
        ("bom.docx", samples.docx_zip_bomb, "giải nén ra quá lớn"),
        ("trong.txt", lambda: b"\f\n", "tệp văn bản trống"),
    ],
)
def test_broken_files_fail_with_their_reason_and_no_passages(add_file, name, builder, words):
    file = add_file(name, builder())  # does not raise
    file.refresh_from_db()
    assert file.status == FAILED
    assert words in file.failure
    assert file.page_count is None
    assert not file.passages.exists()
    assert _actions(file) == ["library.file_failed"]
    assert AuditEntry.objects.get(action="library.file_failed").changes["status"] == [PENDING, FAILED]
    _assert_index_in_step()


@pytest.mark.django_db
def test_a_file_that_turns_bad_loses_its_old_passages(add_file):
    file = add_file("bao-cao.pdf", samples.report_pdf())
    assert file.passages.exists()
    file.file.storage.delete(file.file.name)
    with file.file.storage.open(file.file.name, "wb") as handle:
        handle.write(samples.encrypted_pdf())
    assert extract_file_text.call(file.pk) == "failed"
    file.refresh_from_db()
    assert file.status == FAILED and "mật khẩu" in file.failure
    assert not file.passages.exists()
    assert not search_index.search(_words("to chuc xa hoi", PAIRS))
    _assert_index_in_step()


@pytest.mark.django_db
def test_a_file_missing_from_storage_fails_with_a_reason(add_file):
    file = add_file("bao-cao.pdf", samples.report_pdf(), enqueue=False)
    file.file.storage.delete(file.file.name)
    assert extract_file_text.call(file.pk) == "failed"
    file.refresh_from_db()
    assert file.status == FAILED and "không tìm thấy tệp" in file.failure


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_and_the_file_fails_with_a_generic_reason(add_file, monkeypatch, caplog):
    def explode(path, *, kind):
        raise RuntimeError("bug in the extractor")

    monkeypatch.setattr(tasks, "extract_pages", explode)
    with caplog.at_level(logging.ERROR, logger="ketnoi.library.tasks"):
        file = add_file("bao-cao.pdf", samples.report_pdf())
    file.refresh_from_db()
    assert file.status == FAILED
    assert file.failure == tasks.unexpected_reason()
    assert "bug in the extractor" not in file.failure
    (record,) = [r for r in caplog.records if r.name == "ketnoi.library.tasks"]
    assert record.exc_info and "bug in the extractor" in str(record.exc_info[1])


@pytest.mark.django_db
def test_an_extraction_that_runs_too_long_is_stopped_and_the_file_fails(add_file, monkeypatch, settings):
    """A file that keeps the parser busy (a hostile PDF) is stopped at the time limit; the worker
    goes on, and a later task is not held up by a leftover alarm."""
    settings.LIBRARY_EXTRACTION_SECONDS = 1
    real_extract = tasks.extract_pages

    def endless(path, *, kind):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(tasks, "extract_pages", endless)
    started = time.monotonic()
    file = add_file("bao-cao.pdf", samples.report_pdf())
    assert time.monotonic() - started < 10
    file.refresh_from_db()
    assert file.status == FAILED
    assert file.failure == tasks._too_slow_reason(1)
    assert not file.passages.exists()
    monkeypatch.setattr(tasks, "extract_pages", real_extract)
    other = add_file("bao-cao-2.pdf", samples.report_pdf())
    time.sleep(1.2)  # past the first alarm's time: nothing fires any more
    other.refresh_from_db()
    assert other.status == READY


@pytest.mark.django_db
def test_an_error_while_indexing_rolls_the_index_back(add_file, monkeypatch):
    file = add_file("bao-cao.pdf", samples.report_pdf())
    passages = file.passages.count()

    def broken_index(rows):
        raise RuntimeError("index down")

    monkeypatch.setattr(search_index, "_index", broken_index)
    assert extract_file_text.call(file.pk) == "failed"
    file.refresh_from_db()
    assert file.status == FAILED and file.failure == tasks.unexpected_reason()
    # The attempt's partial writes were rolled back, then the failure dropped the old passages
    # and their index rows.
    assert passages and not file.passages.exists()
    _assert_index_in_step()


@pytest.mark.django_db
def test_a_deleted_file_is_gone():
    assert extract_file_text.call(987654) == "gone"


@pytest.mark.django_db
def test_enqueue_puts_a_failed_file_back_to_pending_then_extracts(add_file):
    file = add_file("bao-cao.pdf", samples.report_pdf(), enqueue=False)
    DocumentFile.objects.filter(pk=file.pk).update(status=FAILED, failure="cũ")
    file.refresh_from_db()
    with transaction.atomic():
        enqueue_extraction(file)
    assert (file.status, file.failure) == (READY, "")


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_with_the_database_queue_the_task_waits_in_the_same_transaction(add_file):
    from django_tasks_db.models import DBTaskResult

    file = add_file("bao-cao.pdf", samples.report_pdf())
    assert file.status == PENDING
    task_row = DBTaskResult.objects.get()
    assert task_row.args_kwargs["args"] == [file.pk]

    # A rolled-back upload leaves neither the file nor its task behind.
    with pytest.raises(RuntimeError), transaction.atomic():
        add_file("autre.pdf", samples.report_pdf())
        raise RuntimeError("the upload failed after the file row")
    assert DBTaskResult.objects.count() == 1
    assert DocumentFile.objects.count() == 1


# The real worker ---------------------------------------------------------------------------------


def _run_worker() -> str:
    """db_worker in batch mode; it installs signal handlers and log levels that we put back."""
    signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    out = io.StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=out)
    finally:
        for number, handler in signals.items():
            signal.signal(number, handler)
        for name, level in loggers.items():
            logging.getLogger(name).setLevel(level)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_worker_extract_after_commit(make_document):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        document = make_document("Báo cáo đào tạo")
        try:
            file = DocumentFile(document=document, original_name="bao-cao.pdf", media_type="application/pdf")
            file.size, file.sha256 = 1, "0" * 64
            with pytest.raises(RuntimeError, match="inside the transaction"):
                enqueue_extraction(file)
            with transaction.atomic():
                file.file.save("bao-cao.pdf", ContentFile(samples.report_pdf()), save=False)
                file.save()
                enqueue_extraction(file)
            file.refresh_from_db()
            assert file.status == PENDING
            assert not file.passages.exists()
            assert DBTaskResult.objects.filter(status="READY").count() == 1

            _run_worker()

            file.refresh_from_db()
            assert (file.status, file.page_count) == (READY, 3)
            assert file.passages.filter(page=2, text__contains="Đào tạo cán bộ").exists()
            hits = search_index.search(_words("dao tao can bo", FOLDED))
            assert hits[0].document_id == document.pk
            task_row = DBTaskResult.objects.get()
            assert (task_row.status, task_row.return_value) == ("SUCCESSFUL", "ready")
            _assert_index_in_step()
        finally:
            # The index tables are not Django models: flushing would leave their rows behind.
            with transaction.atomic():
                search_index.drop_document(document)


# The re-queue command ----------------------------------------------------------------------------


def _age(file, minutes):
    from django.utils import timezone

    DocumentFile.objects.filter(pk=file.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))


def _command(*args) -> str:
    out = io.StringIO()
    call_command("library_extract", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_requeues_old_pending_files_only(add_file):
    old = add_file("cu.pdf", samples.report_pdf(), enqueue=False)
    recent = add_file("moi.pdf", samples.report_pdf(), enqueue=False)
    _age(old, 30)
    output = _command()
    assert f"#{old.pk} cu.pdf: queued" in output and "moi.pdf" not in output
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == READY  # the immediate backend ran it
    assert recent.status == PENDING
    assert "moi.pdf: queued" in _command("--older-than", "0")
    assert _command() == "nothing to do\n"


@pytest.mark.django_db
def test_command_retries_failed_files_and_syncs(add_file):
    broken = add_file("quet.pdf", samples.scanned_pdf())
    fine = add_file("bao-cao.pdf", samples.report_pdf())
    assert broken.status == FAILED
    output = _command("--failed", "--sync")
    assert f"#{broken.pk} quet.pdf: failed — không có lớp chữ (bản quét)" in output
    assert "bao-cao.pdf" not in output
    assert "1 failed" in output
    with broken.file.storage.open(broken.file.name, "wb") as handle:
        handle.write(samples.report_pdf())
    assert "1 ready" in _command("--failed", "--sync", "--file", str(broken.pk))
    broken.refresh_from_db()
    assert broken.status == READY
    assert fine.status == READY


@override_settings(TASKS=DB_TASKS)
@pytest.mark.django_db
def test_command_leaves_files_whose_task_still_waits(add_file):
    from django_tasks_db.models import DBTaskResult

    waiting = add_file("cho.pdf", samples.report_pdf())
    lost = add_file("mat.pdf", samples.report_pdf())
    DBTaskResult.objects.filter(args_kwargs__args=[lost.pk]).delete()  # e.g. a restored database
    _age(waiting, 30)
    _age(lost, 30)
    output = _command()
    assert "cho.pdf: still queued" in output
    assert "mat.pdf: queued" in output
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_command_refuses_a_negative_age():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _command("--older-than", "-1")
