"""What every spreadsheet import shares: a list read and written by background tasks, its progress
counts, a paged preview, and a workbook of the refused rows a person can fix and upload again.

An app's import model inherits `ImportJob` (status, counts, the private copy of the upload, the
reason it failed) and keeps its rows in a table of its own (one row per line, indexed by
(import, status, line), so a page of the preview reads 50 rows, never the whole file). The page
includes `core/_import_progress.html`, which htmx polls every 2 s while a task runs.
"""

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# How often a task writes its counts (rows), so that another request sees them move.
PROGRESS_EVERY = 250
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportJob(models.Model):
    """Status and progress of an uploaded list read and written by background tasks."""

    class Status(models.TextChoices):
        READING = "reading", _("Đang đọc tệp")
        PREVIEW = "preview", _("Chờ xác nhận")
        CONFIRMING = "confirming", _("Đang nhập")
        CONFIRMED = "confirmed", _("Đã nhập")
        CANCELLED = "cancelled", _("Đã huỷ")
        FAILED = "failed", _("Không đọc được")

    RUNNING = (Status.READING, Status.CONFIRMING)

    filename = models.CharField(_("tệp"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PREVIEW)
    # The upload, kept privately (MEDIA_ROOT is never served) until the import is confirmed,
    # cancelled or failed.
    upload = models.FileField(_("tệp tải lên"), upload_to="imports/%Y/%m/", blank=True, max_length=255)
    header = models.JSONField(default=list)  # the header row as uploaded, for the refused-rows file
    progress = models.JSONField(default=dict)  # {"read", "matched", "new", "refused", "written"}
    failure = models.TextField(_("lý do"), blank=True)
    summary = models.JSONField(default=dict)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    def drop_upload(self) -> None:
        """Delete the private copy of the upload (after the commit that ends the import)."""
        if self.upload:
            name, storage = self.upload.name, self.upload.storage
            transaction.on_commit(lambda: storage.delete(name))
            self.upload = ""


def enqueue(task, *args: Any) -> None:
    """Queue `task(*args)` for the transaction being written.

    With the database backend the task row commits with the import (no import left "reading"
    without a task); any other backend (the immediate one of the tests) runs it after the commit,
    outside the caller's transaction, so the task may open its own durable transactions.
    """
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def counts_by_status(rows: models.QuerySet) -> dict[str, int]:
    """{status: rows}, one grouped query."""
    return dict(rows.order_by().values_list("status").annotate(n=models.Count("pk")).values_list("status", "n"))


def safe_cell(value: Any) -> str:
    """A cell's text (written with `write_string`: never a formula, see below)."""
    return "" if value is None else str(value)


def refused_rows_xlsx(
    header: list[str], rows: Iterable[tuple[list[Any], str]], *, reason_label: str, sheet: str
) -> bytes:
    """A workbook with the upload's columns plus a reason column, one refused row a line.

    Every cell is written as a string (`write_string`), so "=HYPERLINK(…)", "+1", "-2" or
    "@SUM(…)" stay text when the file is opened, whatever the cell held.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    columns = [safe_cell(value) for value in header] + [str(reason_label)]
    for column, value in enumerate(columns):
        worksheet.write_string(0, column, value, bold)
    reason_column = len(columns) - 1
    line = 0
    for line, (cells, reason) in enumerate(rows, start=1):
        for column, value in enumerate(cells[:reason_column]):
            text = safe_cell(value)
            if text:
                worksheet.write_string(line, column, text)
        worksheet.write_string(line, reason_column, reason)
    worksheet.freeze_panes(1, 0)
    worksheet.set_column(reason_column, reason_column, 60)
    worksheet.autofilter(0, 0, max(line, 1), reason_column)
    workbook.close()
    return buffer.getvalue()


def each_batch(items: list, size: int = PROGRESS_EVERY) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def run_batches(step: Callable[[], bool]) -> None:
    """Call `step` in its own durable transaction until it says there is nothing left."""
    while True:
        with transaction.atomic(durable=True):
            if not step():
                return


# htmx stops polling on this status (the page reloads itself through HX-Refresh).
STOP_POLLING = 286


def progress_response(request, job: ImportJob, *, progress_url: str, followup_label: Any = ""):
    """The progress fragment htmx polls; once the task is done, 286 stops the polling and
    HX-Refresh reloads the page to show the result or the reason it stopped."""
    from django.shortcuts import render

    context = {"job": job, "progress": job.progress, "progress_url": progress_url, "followup_label": followup_label}
    response = render(request, "core/_import_progress.html", context)
    if not job.running:
        response.status_code = STOP_POLLING
        response["HX-Refresh"] = "true"
    return response


# Reading in a task ------------------------------------------------------------------------------


def fail_job(model: type[ImportJob], import_id: int, reason: str) -> None:
    """Nothing half-written: the rows read so far go, the import says why and keeps no copy."""
    with transaction.atomic(durable=True):
        job = model.objects.select_for_update().filter(pk=import_id).first()
        if job is None:
            return
        job.import_rows.all().delete()
        job.status = ImportJob.Status.FAILED
        job.failure = reason[:2000]
        job.drop_upload()
        job.save(update_fields=["status", "failure", "upload", "updated_at"])


def give_up_reading(model: type[ImportJob]) -> Callable[..., None]:
    """The `on_give_up` of a reading task retried on a locked database."""

    def give_up(import_id: int, *, reason: str, attempts: int) -> None:
        fail_job(model, import_id, gettext("Không đọc xong được tệp (máy chủ bận). Hãy tải tệp lên lại sau ít phút."))

    return give_up


def read_job(model: type[ImportJob], import_id: int, *, importing: Any, classify: Callable[[Any, Any], str]) -> str:
    """The body of a reading task: open the private copy through the app's `importing` module
    (`MAX_BYTES`, `read_content`, `find_header`), then `classify(job, sheet)`; "preview", "failed"
    (with a reason people can act on, nothing left behind) or "gone" (cancelled meanwhile).
    A locked database is raised, for the task to try again."""
    job = model.objects.filter(pk=import_id, status=ImportJob.Status.READING).first()
    if job is None:
        return "gone"
    try:
        with job.upload.open("rb") as file:
            content = file.read(importing.MAX_BYTES + 1)
        sheet = importing.find_header(importing.read_content(content, job.filename))
    except ValidationError as error:
        fail_job(model, import_id, " ".join(error.messages))
        return "failed"
    except (FileNotFoundError, ValueError):
        fail_job(model, import_id, gettext("Không tìm thấy tệp đã tải lên: hãy tải tệp lên lại."))
        return "failed"
    try:
        return classify(job, sheet)
    except OperationalError:
        raise
    except Exception:
        logger.exception("Reading %s %s failed unexpectedly", model.__name__, import_id)
        reason = gettext("Có lỗi khi đọc tệp. Hãy thử lại; nếu vẫn lỗi, lưu tệp lại dạng CSV UTF-8 rồi tải lên.")
        fail_job(model, import_id, reason)
        return "failed"
