"""Uploaded lists of people: kept privately and read by a background task (nobody added), shown
as a paged preview, then confirmed (the new rows added by a task, in batches) or cancelled; other
apps turn a list into the people it names.

The tasks themselves are in `directory/tasks.py`; the batch steps they run are here, so that
`people_import_resolve` can run the same steps inside its caller's transaction.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.imports import counts_by_status, enqueue
from ketnoi.core.registry import ImportFollowup, import_followup
from ketnoi.core.writes import locked

from .. import importing
from ..models import Organisation, Person, PersonImport, PersonImportRow, Province
from ._base import require_editor
from .actions import DirectoryAction
from .people import insert_person

# Rows written per transaction when confirming: each commit shows its progress.
WRITE_BATCH = 200
# People enrolled or invited per transaction by a list's follow-up.
FOLLOWUP_BATCH = 200


@transaction.atomic
def people_import_preview(*, actor, uploaded_file) -> PersonImport:
    """Keep an uploaded list privately and queue its reading (`tasks.read_people_import`): the
    import is "reading" until the task has classified every row ("preview") or says why it
    could not ("failed"). Nobody is added."""
    require_editor(actor)
    importing.check_size(uploaded_file.size)
    content = uploaded_file.read(importing.MAX_BYTES + 1)
    importing.check_size(len(content))
    if not content.strip():
        raise ValidationError(_("Tệp trống: hãy chọn tệp có danh sách người."))
    filename = (uploaded_file.name or "")[:255]
    importing.check_kind(content, filename)
    person_import = PersonImport(
        filename=filename,
        status=PersonImport.Status.READING,
        progress={"read": 0, "matched": 0, "new": 0, "refused": 0},
        created_by=actor,
        updated_by=actor,
    )
    person_import.upload.save("people.bin", ContentFile(content), save=False)
    person_import.save()
    audit_record(
        actor=actor, action=DirectoryAction.PEOPLE_IMPORT_PREVIEW, obj=person_import, changes={"file": filename}
    )
    from ..tasks import read_people_import

    enqueue(read_people_import, person_import.pk)
    return person_import


def _locked_preview(person_import: PersonImport) -> PersonImport:
    """The list locked, refused unless it is a preview (read, neither confirmed nor cancelled)."""
    person_import = locked(person_import)
    status = PersonImport.Status
    if person_import.status in (status.CONFIRMED, status.CONFIRMING):
        raise ValidationError(_("Lượt nhập này đã được xác nhận trước đó: không thể nhập lại."))
    if person_import.status == status.CANCELLED:
        raise ValidationError(_("Lượt nhập này đã bị huỷ: hãy tải tệp lên lần nữa nếu cần."))
    if person_import.status == status.READING:
        raise ValidationError(_("Tệp vẫn đang được đọc: hãy chờ đến khi trang hiện bản xem trước."))
    if person_import.status == status.FAILED:
        raise ValidationError(_("Không đọc được tệp này: hãy sửa tệp theo lý do đã nêu rồi tải lên lại."))
    return person_import


@transaction.atomic
def people_import_confirm(
    *, actor, person_import: PersonImport, followup: str = "", target_id: int | None = None
) -> PersonImport:
    """Queue the writing of the rows classified as new (`tasks.write_people_import`), a batch
    per transaction; errors and duplicates are skipped. The import is "confirming" until done.

    With `followup` (a key of `core.registry.register_import_followup`) and `target_id`, the same
    task then applies it to everyone the list names (enrol them in a class, invite them to a
    workshop), a batch per transaction, and the import is "confirming" until that is done too."""
    require_editor(actor)
    if followup and (import_followup(followup) is None or target_id is None):
        raise ValueError(f"Unknown import follow-up {followup!r} or no target.")
    person_import = _locked_preview(person_import)
    to_write = person_import.import_rows.filter(status=PersonImportRow.Status.NEW).count()
    person_import.status = PersonImport.Status.CONFIRMING
    person_import.progress = {**person_import.progress, "written": 0, "to_write": to_write}
    person_import.followup, person_import.followup_target = followup, target_id if followup else None
    person_import.updated_by = actor
    person_import.save(update_fields=["status", "progress", "followup", "followup_target", "updated_by", "updated_at"])
    from ..tasks import write_people_import

    enqueue(write_people_import, person_import.pk)
    return person_import


def write_rows(person_import: PersonImport, *, actor, limit: int | None = WRITE_BATCH) -> int:
    """Create the people of up to `limit` rows still "new" (all when None); returns how many
    rows were handled (0: nothing left). Runs in the caller's transaction: a row flips to
    "created" in the transaction that adds its person, so running it again adds no one twice.
    A row that fails now (someone added the same person meanwhile) is reported and never stops
    the others."""
    rows = list(person_import.import_rows.filter(status=PersonImportRow.Status.NEW).order_by("line")[:limit])
    if not rows:
        return 0
    organisations = Organisation.objects.in_bulk({row.data["organisation_id"] for row in rows} - {None})
    provinces = Province.objects.in_bulk({row.data["province_id"] for row in rows} - {None})
    # Someone may have added the same people since the preview: check again, in bulk.
    existing = importing.existing_people_by_key({row.data["full_name"] for row in rows})
    created = 0
    for row in rows:
        data = row.data
        values = {name: data[name] for name in ("full_name", "sex", "birth_year", "position", "email", "phone")}
        values["organisation"] = organisations.get(data.get("organisation_id"))
        values["province"] = provinces.get(data.get("province_id"))
        match = next((existing[key] for key in importing.duplicate_keys(data) if key in existing), None)
        if match is not None:
            row.status = PersonImportRow.Status.DUPLICATE
            row.duplicate_of = {"person_id": match.pk, "name": match.full_name}
            continue
        try:
            # One savepoint per row: a row that fails is rolled back alone and reported.
            with transaction.atomic():
                person = insert_person(actor=actor, values=values, action_changes={"import": person_import.pk})
        except (ValidationError, IntegrityError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            row.status, row.errors = PersonImportRow.Status.ERROR, row.errors + messages
            continue
        row.status, row.person = PersonImportRow.Status.CREATED, person
        created += 1
        for key in importing.duplicate_keys(data):
            existing.setdefault(key, person)
    # One plain UPDATE a row: bulk_update's CASE over JSON columns took 2 s per 200 rows on SQLite.
    for row in rows:
        PersonImportRow.objects.filter(pk=row.pk).update(
            status=row.status, duplicate_of=row.duplicate_of, errors=row.errors, person=row.person
        )
    progress = PersonImport.objects.filter(pk=person_import.pk).values_list("progress", flat=True).first() or {}
    progress["written"] = progress.get("written", 0) + created
    PersonImport.objects.filter(pk=person_import.pk).update(progress=progress, updated_at=timezone.now())
    return len(rows)


def finish_confirm(person_import: PersonImport, *, actor) -> PersonImport:
    """The last step of confirming, in the caller's transaction: counts, status, audit entry,
    the private copy of the upload deleted."""
    person_import.refresh_from_db()
    counts = counts_by_status(person_import.import_rows.all())
    person_import.summary = {
        **person_import.summary,
        "created": counts.get(PersonImportRow.Status.CREATED, 0),
        "duplicate": counts.get(PersonImportRow.Status.DUPLICATE, 0),
        "error": counts.get(PersonImportRow.Status.ERROR, 0),
    }
    person_import.confirmed_at = timezone.now()
    if person_import.followup:
        # Still running: the follow-up comes next, from the first person the list names.
        person_import.progress = {
            **person_import.progress,
            "people_done": True,
            "to_follow": len(listed_person_ids(person_import)),
            "followed": 0,
            "follow_made": 0,
            "follow_skipped": 0,
        }
    else:
        person_import.status = PersonImport.Status.CONFIRMED
    person_import.drop_upload()
    person_import.save()
    audit_record(
        actor=actor,
        action=DirectoryAction.PEOPLE_IMPORT_CONFIRM,
        obj=person_import,
        changes=person_import.summary,
    )
    return person_import


@transaction.atomic
def people_import_cancel(*, actor, person_import: PersonImport) -> PersonImport:
    """Drop a list before anyone is added: its rows and its private copy are deleted."""
    require_editor(actor)
    person_import = locked(person_import)
    if person_import.status not in (PersonImport.Status.FAILED, PersonImport.Status.READING):
        person_import = _locked_preview(person_import)
    person_import.import_rows.all().delete()
    person_import.status = PersonImport.Status.CANCELLED
    person_import.drop_upload()
    person_import.updated_by = actor
    person_import.save(update_fields=["status", "upload", "updated_by", "updated_at"])
    audit_record(actor=actor, action=DirectoryAction.PEOPLE_IMPORT_CANCEL, obj=person_import)
    return person_import


def people_import_resolve(*, actor, person_import: PersonImport) -> list[Person]:
    """Everyone an uploaded list names, for inviting or enrolling them: a previewed list is
    confirmed first (new people added, here, in the caller's transaction); people already in
    the directory are matched as the preview showed; rows with errors name no one."""
    if person_import.status == PersonImport.Status.PREVIEW:
        require_editor(actor)
        person_import = _locked_preview(person_import)
        person_import.updated_by = actor
        write_rows(person_import, actor=actor, limit=None)
        person_import = finish_confirm(person_import, actor=actor)
    elif person_import.status in (PersonImport.Status.READING, PersonImport.Status.CONFIRMING):
        raise ValidationError(_("Danh sách vẫn đang được xử lý: hãy chờ đến khi trang báo xong rồi thử lại."))
    elif person_import.status != PersonImport.Status.CONFIRMED:
        raise ValidationError(_("Danh sách này đã bị huỷ hoặc không đọc được: hãy tải tệp lên lại."))
    ids = set()
    for person_id, duplicate_of in person_import.import_rows.values_list("person_id", "duplicate_of"):
        ids.add(person_id or (duplicate_of or {}).get("person_id"))
    return list(Person.objects.filter(pk__in=ids - {None}, erased_at__isnull=True).order_by("name_folded"))


def listed_person_ids(person_import: PersonImport) -> list[int]:
    """Everyone a written list names, in file order, once each: the people its rows made and
    those they matched in the directory; rows with errors name no one."""
    ids: dict[int, None] = {}
    rows = person_import.import_rows.order_by("line").values_list("person_id", "duplicate_of")
    for person_id, duplicate_of in rows.iterator():
        found = person_id or (duplicate_of or {}).get("person_id")
        if found:
            ids.setdefault(found)
    return list(ids)


def followup_step(import_id: int, person_ids: list[int], followup: ImportFollowup, *, actor) -> bool:
    """Apply a list's follow-up to its next batch of people, in the caller's transaction (the
    task's durable one); False when there is nothing left (the list is then "confirmed").

    The list is locked and its place (`progress["followed"]`) moves in the same transaction as
    the enrolments or invitations it made, so a second run of the task resumes where the first
    stopped and makes nothing twice."""
    person_import = PersonImport.objects.select_for_update().filter(pk=import_id).first()
    if person_import is None or person_import.status != PersonImport.Status.CONFIRMING:
        return False
    progress = person_import.progress
    if not progress.get("people_done"):
        return False
    done = progress.get("followed", 0)
    batch = person_ids[done : done + FOLLOWUP_BATCH]
    if not batch:
        finish_followup(person_import, actor=actor)
        return False
    people = list(Person.objects.filter(pk__in=batch, erased_at__isnull=True).order_by("pk"))
    made = followup.apply(actor=actor, target_id=person_import.followup_target, people=people)
    progress["followed"] = done + len(batch)
    progress["follow_made"] = progress.get("follow_made", 0) + made
    progress["follow_skipped"] = progress.get("follow_skipped", 0) + len(batch) - made
    PersonImport.objects.filter(pk=import_id).update(progress=progress, updated_at=timezone.now())
    return True


def finish_followup(person_import: PersonImport, *, actor, failure: str = "") -> PersonImport:
    """The end of a follow-up, in the caller's transaction: the list is "confirmed" (its people
    are in the directory) with what the follow-up made and skipped, or the reason it stopped."""
    progress = person_import.progress
    person_import.summary = {
        **person_import.summary,
        "followup": {
            "made": progress.get("follow_made", 0),
            "skipped": progress.get("follow_skipped", 0),
            "left": max(progress.get("to_follow", 0) - progress.get("followed", 0), 0),
        },
    }
    person_import.status = PersonImport.Status.CONFIRMED
    person_import.failure = failure[:2000]
    person_import.save(update_fields=["summary", "status", "failure", "updated_at"])
    audit_record(
        actor=actor,
        action=DirectoryAction.PEOPLE_IMPORT_FOLLOWUP,
        obj=person_import,
        changes={
            "followup": person_import.followup,
            "target": person_import.followup_target,
            **person_import.summary["followup"],
            **({"failure": person_import.failure} if failure else {}),
        },
    )
    return person_import
