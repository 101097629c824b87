"""A catalogue of documents uploaded as a spreadsheet: kept privately and read by a background
task (nothing made), previewed, then confirmed (each new row made a document through
`document_create`, a batch per transaction, by a task) or cancelled. The tasks are in
`tasks_import.py`; the batch steps are here."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.imports import counts_by_status, enqueue
from ketnoi.core.writes import locked
from ketnoi.programmes.models import Programme

from .. import importing
from ..models import DocumentImport, DocumentImportRow
from ._base import require_staff
from .actions import LibraryAction
from .documents import document_create

WRITE_BATCH = 100


@transaction.atomic
def document_import_start(*, actor, programme: Programme, uploaded_file) -> DocumentImport:
    """Keep an uploaded catalogue privately and queue its reading; no document is made."""
    require_staff(actor, programme)
    content = uploaded_file.read(importing.MAX_BYTES + 1)
    filename = (uploaded_file.name or "")[:255]
    importing.check_upload(content, filename)
    document_import = DocumentImport(
        programme=programme,
        filename=filename,
        status=DocumentImport.Status.READING,
        progress={"read": 0, "matched": 0, "new": 0, "refused": 0},
        created_by=actor,
        updated_by=actor,
    )
    document_import.upload.save("catalogue.bin", ContentFile(content), save=False)
    document_import.save()
    audit_record(
        actor=actor, action=LibraryAction.DOCUMENT_IMPORT_START, obj=document_import, changes={"file": filename}
    )
    from ..tasks_import import read_document_import

    enqueue(read_document_import, document_import.pk)
    return document_import


def _locked_preview(document_import: DocumentImport) -> DocumentImport:
    document_import = locked(document_import)
    status = DocumentImport.Status
    if document_import.status in (status.CONFIRMED, status.CONFIRMING):
        raise ValidationError(_("Lượt nhập này đã được xác nhận trước đó: không thể nhập lại."))
    if document_import.status == status.CANCELLED:
        raise ValidationError(_("Lượt nhập này đã bị huỷ: hãy tải tệp lên lần nữa nếu cần."))
    if document_import.status == status.READING:
        raise ValidationError(_("Tệp vẫn đang được đọc: hãy chờ đến khi trang hiện bản xem trước."))
    if document_import.status == status.FAILED:
        raise ValidationError(_("Không đọc được tệp này: hãy sửa tệp theo lý do đã nêu rồi tải lên lại."))
    return document_import


@transaction.atomic
def document_import_confirm(*, actor, document_import: DocumentImport) -> DocumentImport:
    """Queue the making of a document for each new row (`tasks_import.write_document_import`)."""
    require_staff(actor, document_import.programme)
    document_import = _locked_preview(document_import)
    to_write = document_import.import_rows.filter(status=DocumentImportRow.Status.NEW).count()
    document_import.status = DocumentImport.Status.CONFIRMING
    document_import.progress = {**document_import.progress, "written": 0, "to_write": to_write}
    document_import.updated_by = actor
    document_import.save(update_fields=["status", "progress", "updated_by", "updated_at"])
    from ..tasks_import import write_document_import

    enqueue(write_document_import, document_import.pk)
    return document_import


def write_rows(document_import: DocumentImport, *, actor, limit: int | None = WRITE_BATCH) -> int:
    """Make the documents of up to `limit` rows still "new", in the caller's transaction; a row
    flips to "created" with its document, so a second run makes none twice. A row refused now is
    reported and never stops the others. Returns the rows handled (0: nothing left)."""
    rows = list(document_import.import_rows.filter(status=DocumentImportRow.Status.NEW).order_by("line")[:limit])
    created = 0
    for row in rows:
        try:
            with transaction.atomic():
                row.document = document_create(actor=actor, programme=document_import.programme, **row.data)
        except ValidationError as error:
            row.status, row.errors = DocumentImportRow.Status.ERROR, row.errors + error.messages
        else:
            row.status = DocumentImportRow.Status.CREATED
            created += 1
        DocumentImportRow.objects.filter(pk=row.pk).update(status=row.status, errors=row.errors, document=row.document)
    if rows:
        progress = DocumentImport.objects.filter(pk=document_import.pk).values_list("progress", flat=True).first()
        progress = {**(progress or {}), "written": (progress or {}).get("written", 0) + created}
        DocumentImport.objects.filter(pk=document_import.pk).update(progress=progress, updated_at=timezone.now())
    return len(rows)


def finish_confirm(document_import: DocumentImport, *, actor) -> DocumentImport:
    document_import.refresh_from_db()
    counts = counts_by_status(document_import.import_rows.all())
    document_import.summary = {
        **document_import.summary,
        "created": counts.get(DocumentImportRow.Status.CREATED, 0),
        "duplicate": counts.get(DocumentImportRow.Status.DUPLICATE, 0),
        "error": counts.get(DocumentImportRow.Status.ERROR, 0),
    }
    document_import.status = DocumentImport.Status.CONFIRMED
    document_import.confirmed_at = timezone.now()
    document_import.drop_upload()
    document_import.save()
    audit_record(
        actor=actor, action=LibraryAction.DOCUMENT_IMPORT_CONFIRM, obj=document_import, changes=document_import.summary
    )
    return document_import


@transaction.atomic
def document_import_cancel(*, actor, document_import: DocumentImport) -> DocumentImport:
    """Drop a catalogue before any document is made: its rows and private copy are deleted."""
    require_staff(actor, document_import.programme)
    document_import = locked(document_import)
    if document_import.status not in (DocumentImport.Status.FAILED, DocumentImport.Status.READING):
        document_import = _locked_preview(document_import)
    document_import.import_rows.all().delete()
    document_import.status = DocumentImport.Status.CANCELLED
    document_import.drop_upload()
    document_import.updated_by = actor
    document_import.save(update_fields=["status", "upload", "updated_by", "updated_at"])
    audit_record(actor=actor, action=LibraryAction.DOCUMENT_IMPORT_CANCEL, obj=document_import)
    return document_import
