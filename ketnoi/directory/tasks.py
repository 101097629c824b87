"""Background tasks of an uploaded list of people: reading it (classify every row, counts
written every few hundred rows so the page shows them move) and writing it (the new people
added in batches). Each batch is its own durable transaction: the worker runs a task outside any
transaction, and the immediate backend of the tests runs it after the upload's commit
(`core.imports.enqueue`)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.imports import PROGRESS_EVERY, each_batch, give_up_reading, read_job, run_batches
from ketnoi.core.registry import import_followup
from ketnoi.core.tasks import retrying_task

from . import importing
from .models import PersonImport, PersonImportRow
from .services.actions import DirectoryAction
from .services.imports import finish_confirm, finish_followup, followup_step, listed_person_ids, write_rows

logger = logging.getLogger(__name__)


@retrying_task(attempts=3, retry_on=(OperationalError,), on_give_up=give_up_reading(PersonImport), base_delay=20)
def read_people_import(import_id: int) -> str:
    """Read and classify an uploaded list: "preview", "failed" (with a reason) or "gone"."""
    return read_job(PersonImport, import_id, importing=importing, classify=_classify)


def _classify(person_import: PersonImport, sheet: importing.Sheet) -> str:
    import_id = person_import.pk
    with transaction.atomic(durable=True):  # a retried attempt starts again from the first row
        PersonImportRow.objects.filter(person_import_id=import_id).delete()
    classifier = importing.Classifier(sheet.columns)
    counts = {"read": 0, "matched": 0, "new": 0, "refused": 0}
    for batch in each_batch(sheet.body, PROGRESS_EVERY):
        rows = classifier.classify(batch)
        for row in rows:
            counts["read"] += 1
            key = {"new": "new", "duplicate": "matched", "error": "refused"}[row["status"]]
            counts[key] += 1
        with transaction.atomic(durable=True):
            if not PersonImport.objects.filter(pk=import_id, status=PersonImport.Status.READING).exists():
                return "gone"  # cancelled meanwhile (cancelling deleted the rows)
            PersonImportRow.objects.bulk_create(
                [
                    PersonImportRow(
                        person_import_id=import_id,
                        line=row["line"],
                        status=row["status"],
                        cells=row["cells"],
                        data=row["data"],
                        errors=row["errors"],
                        notes=row["notes"],
                        duplicate_of=row["duplicate_of"],
                    )
                    for row in rows
                ]
            )
            PersonImport.objects.filter(pk=import_id).update(progress=dict(counts), updated_at=timezone.now())
    with transaction.atomic(durable=True):
        person_import = PersonImport.objects.select_for_update().filter(pk=import_id).first()
        if person_import is None or person_import.status != PersonImport.Status.READING:
            return "gone"
        person_import.summary = {
            "total": counts["read"],
            "new": counts["new"],
            "duplicate": counts["matched"],
            "error": counts["refused"],
            "columns": sorted(sheet.columns),
            "ignored_columns": sheet.ignored,
        }
        person_import.header = sheet.header
        person_import.progress = counts
        person_import.status = PersonImport.Status.PREVIEW
        person_import.save(update_fields=["summary", "header", "progress", "status", "updated_at"])
        audit_record(
            actor=person_import.created_by,
            action=DirectoryAction.PEOPLE_IMPORT_READ,
            obj=person_import,
            changes=person_import.summary,
        )
    return "preview"


@retrying_task(attempts=5, retry_on=(OperationalError,), base_delay=20)
def write_people_import(import_id: int) -> str:
    """Add the new people of a confirmed list, a batch per transaction, then apply the list's
    follow-up (enrol, invite) to everyone it names; "confirmed", "stopped" or "gone".
    Run twice, it adds no one twice (a row is marked created with its person) and enrols or
    invites no one twice (the follow-up's place moves with what it made)."""
    person_import = PersonImport.objects.filter(pk=import_id, status=PersonImport.Status.CONFIRMING).first()
    if person_import is None:
        return "gone"
    actor = person_import.updated_by
    if not person_import.progress.get("people_done"):
        run_batches(lambda: write_rows(person_import, actor=actor) > 0)
        with transaction.atomic(durable=True):
            person_import = PersonImport.objects.select_for_update().filter(pk=import_id).first()
            if person_import is None or person_import.status != PersonImport.Status.CONFIRMING:
                return "gone"
            finish_confirm(person_import, actor=actor)
    if not person_import.followup:
        return "confirmed"
    return _follow_up(person_import, actor=actor)


def _follow_up(person_import: PersonImport, *, actor) -> str:
    import_id = person_import.pk
    followup = import_followup(person_import.followup)
    person_ids = listed_person_ids(person_import)
    try:
        if followup is None:
            raise ValidationError(_("Không rõ phải làm gì với danh sách này: hãy tải danh sách lên lại."))
        run_batches(lambda: followup_step(import_id, person_ids, followup, actor=actor))
    except OperationalError:
        raise  # retried: the next attempt resumes where this one stopped
    except PermissionDenied:
        _stop(import_id, actor, _("Bạn không còn quyền làm việc này ở chương trình. Hãy nhờ điều phối viên làm tiếp."))
        return "stopped"
    except ValidationError as error:
        _stop(import_id, actor, " ".join(error.messages))
        return "stopped"
    except Exception:
        logger.exception("Following up people import %s failed unexpectedly", import_id)
        _stop(import_id, actor, _("Có lỗi khi xử lý danh sách. Những người đã được thêm vẫn giữ nguyên; hãy thử lại."))
        return "stopped"
    return "confirmed"


def _stop(import_id: int, actor, reason: str) -> None:
    """A follow-up that cannot go on: what it made stays (each batch committed), the list says
    why it stopped and how many people it did not reach."""
    with transaction.atomic(durable=True):
        person_import = PersonImport.objects.select_for_update().filter(pk=import_id).first()
        if person_import is None or person_import.status != PersonImport.Status.CONFIRMING:
            return
        finish_followup(person_import, actor=actor, failure=reason)
