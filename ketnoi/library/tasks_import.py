"""Background tasks of an uploaded catalogue: reading it (counts written every few hundred rows)
and making its new documents (a batch per durable transaction). Same shape as the directory's
import tasks (`ketnoi.directory.tasks`); see `core.imports.enqueue` for when they run."""

import logging

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.imports import PROGRESS_EVERY, each_batch, run_batches
from ketnoi.core.tasks import retrying_task

from . import importing
from .models import DocumentImport, DocumentImportRow
from .services.actions import LibraryAction
from .services.imports import finish_confirm, write_rows

logger = logging.getLogger(__name__)
STATUS_COUNT = {"new": "new", "duplicate": "matched", "error": "refused"}


def _fail(import_id: int, reason: str) -> None:
    """Nothing half-written: the rows read so far go, the import says why and keeps no copy."""
    with transaction.atomic(durable=True):
        document_import = DocumentImport.objects.select_for_update().filter(pk=import_id).first()
        if document_import is None:
            return
        document_import.import_rows.all().delete()
        document_import.status = DocumentImport.Status.FAILED
        document_import.failure = reason[:2000]
        document_import.drop_upload()
        document_import.save(update_fields=["status", "failure", "upload", "updated_at"])


def _give_up_reading(import_id: int, *, reason: str, attempts: int) -> None:
    _fail(import_id, _("Không đọc xong được tệp (máy chủ bận). Hãy tải tệp lên lại sau ít phút."))


@retrying_task(attempts=3, retry_on=(OperationalError,), on_give_up=_give_up_reading, base_delay=20)
def read_document_import(import_id: int) -> str:
    """Read and classify an uploaded catalogue: "preview", "failed" (with a reason) or "gone"."""
    document_import = DocumentImport.objects.filter(pk=import_id, status=DocumentImport.Status.READING).first()
    if document_import is None:
        return "gone"
    try:
        with document_import.upload.open("rb") as file:
            content = file.read(importing.MAX_BYTES + 1)
        sheet = importing.find_header(importing.read_content(content, document_import.filename))
    except ValidationError as error:
        _fail(import_id, " ".join(error.messages))
        return "failed"
    except (FileNotFoundError, ValueError):
        _fail(import_id, _("Không tìm thấy tệp đã tải lên: hãy tải tệp lên lại."))
        return "failed"
    try:
        return _classify(document_import, sheet)
    except OperationalError:
        raise
    except Exception:
        logger.exception("Reading document import %s failed unexpectedly", import_id)
        _fail(import_id, _("Có lỗi khi đọc tệp. Hãy thử lại; nếu vẫn lỗi, lưu tệp lại dạng CSV UTF-8 rồi tải lên."))
        return "failed"


def _classify(document_import: DocumentImport, sheet: importing.Sheet) -> str:
    import_id = document_import.pk
    with transaction.atomic(durable=True):  # a retried attempt starts again from the first row
        DocumentImportRow.objects.filter(document_import_id=import_id).delete()
    classifier = importing.Classifier(document_import.programme_id, sheet.columns)
    counts = {"read": 0, "matched": 0, "new": 0, "refused": 0}
    for batch in each_batch(sheet.body, PROGRESS_EVERY):
        rows = classifier.classify(batch)
        for row in rows:
            counts["read"] += 1
            counts[STATUS_COUNT[row["status"]]] += 1
        with transaction.atomic(durable=True):
            if not DocumentImport.objects.filter(pk=import_id, status=DocumentImport.Status.READING).exists():
                return "gone"
            DocumentImportRow.objects.bulk_create(
                DocumentImportRow(
                    document_import_id=import_id,
                    line=row["line"],
                    status=row["status"],
                    cells=row["cells"],
                    data=row["data"],
                    errors=row["errors"],
                    duplicate_of=row["duplicate_of"],
                )
                for row in rows
            )
            DocumentImport.objects.filter(pk=import_id).update(progress=dict(counts), updated_at=timezone.now())
    with transaction.atomic(durable=True):
        document_import = DocumentImport.objects.select_for_update().filter(pk=import_id).first()
        if document_import is None or document_import.status != DocumentImport.Status.READING:
            return "gone"
        document_import.summary = {
            "total": counts["read"],
            "new": counts["new"],
            "duplicate": counts["matched"],
            "error": counts["refused"],
            "ignored_columns": sheet.ignored,
        }
        document_import.header = sheet.header
        document_import.progress = counts
        document_import.status = DocumentImport.Status.PREVIEW
        document_import.save(update_fields=["summary", "header", "progress", "status", "updated_at"])
        audit_record(
            actor=document_import.created_by,
            action=LibraryAction.DOCUMENT_IMPORT_READ,
            obj=document_import,
            changes=document_import.summary,
        )
    return "preview"


@retrying_task(attempts=5, retry_on=(OperationalError,), base_delay=20)
def write_document_import(import_id: int) -> str:
    """Make the new documents of a confirmed catalogue, a batch per transaction."""
    document_import = (
        DocumentImport.objects.select_related("programme")
        .filter(pk=import_id, status=DocumentImport.Status.CONFIRMING)
        .first()
    )
    if document_import is None:
        return "gone"
    actor = document_import.updated_by
    run_batches(lambda: write_rows(document_import, actor=actor) > 0)
    with transaction.atomic(durable=True):
        document_import = DocumentImport.objects.select_for_update().filter(pk=import_id).first()
        if document_import is None or document_import.status != DocumentImport.Status.CONFIRMING:
            return "gone"
        finish_confirm(document_import, actor=actor)
    return "confirmed"
