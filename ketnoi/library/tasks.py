"""The background task that turns a stored library file into searchable passages.

Whatever a file does to the extractor, the file ends READY with its passages or FAILED with a
reason staff can act on, and the worker goes on to the next task. A database that stays locked
(or drops the connection) is not the file's fault: that attempt is queued again with a growing
delay (`ketnoi.core.tasks.retrying_task`), and after the last attempt the file is FAILED with the
reason and the number of tries, on its document's page for the curators.
"""

import logging
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.tasks import retrying_task

from . import search_index
from .extraction import ExtractionError, extract_pages, kind_of
from .models import DocumentFile
from .services.actions import LibraryAction

logger = logging.getLogger(__name__)

FAILURE_MAX = DocumentFile._meta.get_field("failure").max_length
_AUDITED = ["status", "page_count", "failure"]
# Tries before a file whose extraction keeps failing on the database is marked failed
# (waits of 20 s, 40 s, 80 s, 160 s between them).
EXTRACTION_ATTEMPTS = 5


def unexpected_reason() -> str:
    return _("lỗi không lường trước khi đọc tệp — hãy thử tải lên lại; nếu vẫn lỗi, báo quản trị hệ thống")


@contextmanager
def _local_copy(file: DocumentFile):
    """A path to the file's bytes: the storage's own path when the file is there (local disk),
    else a temporary copy read through the storage (S3 and other remote storages), removed
    afterwards. A file missing from the storage raises FileNotFoundError."""
    try:
        path = file.file.path
    except (NotImplementedError, AttributeError):
        path = None
    if path is not None and Path(path).is_file():
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=Path(file.file.name).suffix) as copy:
        with file.file.storage.open(file.file.name, "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield copy.name


def _too_slow_reason(seconds: int) -> str:
    return _(
        "đọc tệp quá %(seconds)s giây nên đã dừng — tệp có thể hỏng hoặc có cấu trúc bất thường; "
        "hãy mở và lưu lại thành PDF mới rồi tải lên lại"
    ) % {"seconds": seconds}


@contextmanager
def _time_limit(seconds: int):
    """Stop an extraction that runs longer than `seconds`: a hostile or damaged PDF can keep the
    parser busy for hours, and every file queued behind it would wait. The alarm needs the main
    thread, which is where the worker (`db_worker`) runs tasks; elsewhere (a task run inline by a
    request thread) the extraction simply runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(_signum, _frame):
        raise ExtractionError(_too_slow_reason(seconds))

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract(file: DocumentFile) -> list[str]:
    kind = kind_of(file.original_name or file.file.name, file.media_type)
    if kind is None:
        raise ExtractionError(_("định dạng tệp không được hỗ trợ — hãy tải lên PDF, DOCX, TXT hoặc HTML"))
    try:
        with _local_copy(file) as path, _time_limit(settings.LIBRARY_EXTRACTION_SECONDS):
            return extract_pages(path, kind=kind)
    except FileNotFoundError as error:
        raise ExtractionError(_("không tìm thấy tệp trong kho lưu trữ — hãy tải tệp lên lại")) from error


# Not durable: the database backend's worker runs the task outside any transaction, but the
# immediate backend (TASKS_BACKEND, the tests) runs it inside the transaction of file_add or
# file_retry that queued it (see enqueue_extraction), where a durable block raises RuntimeError.
@transaction.atomic
def _mark_ready(file_id: int, pages: list[str]) -> str:
    file = DocumentFile.objects.select_for_update().filter(pk=file_id).first()
    if file is None:  # deleted while we were reading it
        return "gone"
    before = snapshot(file, _AUDITED)
    passages = search_index.store_file_text(file, pages)
    file.status = DocumentFile.Status.READY
    file.page_count = len(pages)
    file.failure = ""
    file.extracted_at = timezone.now()
    file.save(update_fields=["status", "page_count", "failure", "extracted_at", "updated_at"])
    audit_record(
        actor=None,
        action=LibraryAction.FILE_EXTRACTED,
        obj=file,
        changes={**diff(before, file), "passages": passages},
    )
    return "ready"


@transaction.atomic  # not durable either: see _mark_ready
def _mark_failed(file_id: int, reason: str) -> str:
    file = DocumentFile.objects.select_for_update().filter(pk=file_id).first()
    if file is None:
        return "gone"
    before = snapshot(file, _AUDITED)
    search_index.drop_file(file)
    file.status = DocumentFile.Status.FAILED
    file.page_count = None
    file.failure = reason[:FAILURE_MAX]
    file.extracted_at = timezone.now()
    file.save(update_fields=["status", "page_count", "failure", "extracted_at", "updated_at"])
    audit_record(actor=None, action=LibraryAction.FILE_FAILED, obj=file, changes=diff(before, file))
    return "failed"


def gave_up_reason(reason: str, attempts: int) -> str:
    return _("trích văn bản không thành công sau %(attempts)s lần thử: %(reason)s") % {
        "attempts": attempts,
        "reason": reason,
    }


def _give_up(file_id: int, *, reason: str, attempts: int) -> None:
    """The last attempt failed too: the file says so, with the reason and the count."""
    _mark_failed(file_id, gave_up_reason(reason, attempts))


@retrying_task(attempts=EXTRACTION_ATTEMPTS, retry_on=(OperationalError,), on_give_up=_give_up, base_delay=20)
def extract_file_text(file_id: int) -> str:
    """Extract a file's pages and index them: "ready", "failed", "gone" (file deleted) or
    "error" (not even the failure could be recorded; the file stays pending for a re-run).
    A database error (locked, connection lost) raises, and the task is tried again later."""
    file = DocumentFile.objects.filter(pk=file_id).first()
    if file is None:
        return "gone"
    try:
        pages = _extract(file)
        return _mark_ready(file_id, pages)
    except ExtractionError as error:
        reason = error.reason
    except OperationalError:
        raise
    except Exception:
        logger.exception("Extracting library file %s (%s) failed unexpectedly", file_id, file.original_name)
        reason = unexpected_reason()
    try:
        return _mark_failed(file_id, reason)
    except OperationalError:
        raise
    except Exception:
        logger.exception("Could not mark library file %s as failed", file_id)
        return "error"


def enqueue_extraction(file: DocumentFile) -> None:
    """Queue the extraction of `file`. Call it INSIDE the transaction that saved the file row.

    With the database task backend the task row is written in that same transaction, so the
    file and its task commit together or not at all: no file is left pending with no task to
    process it, and no task runs for a file that was rolled back. That is why this is not
    deferred with `transaction.on_commit` — a crash between the commit and the callback would
    lose the task. (The worker only sees the task row after the commit, when the file row is
    visible too.) With the immediate backend used in tests, the task runs right here.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue_extraction() must run inside the transaction that saved the file")
    if file.status != DocumentFile.Status.PENDING or file.failure:
        file.status = DocumentFile.Status.PENDING
        file.failure = ""
        DocumentFile.objects.filter(pk=file.pk).update(status=file.status, failure="", updated_at=timezone.now())
    extract_file_text.enqueue(file.pk)
    # The immediate backend has already run it: keep the caller's object in step.
    file.refresh_from_db(fields=["status", "failure", "page_count", "extracted_at", "updated_at"])
