"""The files of a library document: uploaded (checked by content and size, stored, their text
extraction queued), removed, and their extraction retried. Only the programme's library staff
write here. An upload refused for any reason leaves nothing in storage; a removed file leaves
storage only after the commit.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.writes import after_commit, locked

# The module, not its function: tasks.py imports this package's actions, so this package must
# not need a name of tasks.py while tasks.py is still being imported.
from .. import search_index, tasks
from ..extraction import MEDIA_TYPES
from ..models import Document, DocumentFile
from ..uploads import check_library_upload
from ._base import delete_stored, require_staff
from .actions import LibraryAction

# A file still pending after this long has lost its task (a worker restarted): it may be retried.
STALE_PENDING = timedelta(minutes=30)


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


@transaction.atomic
def file_add(*, actor, document: Document, uploaded) -> DocumentFile:
    """Check the upload by content and size, store it, and queue the extraction of its text in
    the same transaction (the task never sees a file that was not committed)."""
    require_staff(actor, document.programme)
    if not uploaded:
        raise ValidationError({"file": _("Hãy chọn tệp để tải lên.")})
    media_type = MEDIA_TYPES[check_library_upload(uploaded, field="file")]
    sha256 = _sha256(uploaded)
    twin = DocumentFile.objects.filter(document=document, sha256=sha256).first()
    if twin is not None:
        raise ValidationError(
            {"file": _("Tệp này đã có trong tài liệu (“%(name)s”): không cần tải lại.") % {"name": twin.original_name}}
        )
    original_name = Path(uploaded.name or "tep").name[:255]
    file = DocumentFile(
        document=document,
        original_name=original_name,
        media_type=media_type,
        size=uploaded.size,
        sha256=sha256,
        status=DocumentFile.Status.PENDING,
    )
    file.file.save(original_name, uploaded, save=False)
    try:
        file.save()
        audit_record(
            actor=actor,
            action=LibraryAction.FILE_ADD,
            obj=document,
            changes={"file": original_name, "size": file.size, "sha256": sha256, "media_type": media_type},
        )
        tasks.enqueue_extraction(file)
    except BaseException:
        delete_stored([(file.file.storage, file.file.name)])
        raise
    return file


@transaction.atomic
def file_remove(*, actor, file: DocumentFile) -> None:
    document = file.document
    require_staff(actor, document.programme)
    search_index.drop_file(file)
    stored = [(file.file.storage, file.file.name)] if file.file.name else []
    audit_record(
        actor=actor,
        action=LibraryAction.FILE_REMOVE,
        obj=document,
        changes={"file": file.original_name, "sha256": file.sha256},
    )
    file.delete()
    after_commit(lambda: delete_stored(stored))


def is_retryable(file: DocumentFile, now=None) -> bool:
    """A failed file, or one pending so long that its task was surely lost."""
    if file.status == DocumentFile.Status.FAILED:
        return True
    return file.status == DocumentFile.Status.PENDING and file.updated_at <= (now or timezone.now()) - STALE_PENDING


@transaction.atomic
def file_retry(*, actor, file: DocumentFile) -> DocumentFile:
    require_staff(actor, file.document.programme)
    current = locked(file)
    if not is_retryable(current):
        raise ValidationError(
            {
                "file": _("Chỉ thử lại được tệp trích văn bản thất bại, hoặc tệp chờ quá %(minutes)s phút.")
                % {"minutes": int(STALE_PENDING.total_seconds() // 60)}
            }
        )
    failure = current.failure
    current.status = DocumentFile.Status.PENDING
    current.failure = ""
    current.save(update_fields=["status", "failure", "updated_at"])
    audit_record(
        actor=actor,
        action=LibraryAction.FILE_RETRY,
        obj=current.document,
        changes={"file": current.original_name, "failure": failure},
    )
    tasks.enqueue_extraction(current)
    file.status, file.failure, file.updated_at = current.status, current.failure, current.updated_at
    return file
