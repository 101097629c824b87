"""Background tasks of an uploaded catalogue: reading it (counts written every few hundred rows)
and making its new documents (a batch per durable transaction). Same shape as the directory's
import tasks (`ketnoi.directory.tasks`); see `core.imports.enqueue` for when they run."""

import logging

from django.db import OperationalError, transaction
from django.utils import timezone

from ketnoi.core.audit import audit_record
from ketnoi.core.imports import PROGRESS_EVERY, each_batch, give_up_reading, read_job, run_batches
from ketnoi.core.tasks import retrying_task

from . import importing
from .models import DocumentImport, DocumentImportRow
from .services.actions import LibraryAction
from .services.imports import finish_confirm, write_rows

logger = logging.getLogger(__name__)
STATUS_COUNT = {"new": "new", "duplicate": "matched", "error": "refused"}


@retrying_task(attempts=3, retry_on=(OperationalError,), on_give_up=give_up_reading(DocumentImport), base_delay=20)
def read_document_import(import_id: int) -> str:
    """Read and classify an uploaded catalogue: "preview", "failed" (with a reason) or "gone"."""
    return read_job(DocumentImport, import_id, importing=importing, classify=_classify)


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
