"""Uploaded lists of people: previewed (read and classified, no one added), then confirmed
(the new rows added) or cancelled; other apps turn a list into the people it names."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.writes import locked

from .. import importing
from ..models import Organisation, Person, PersonImport, Province
from ._base import require_editor
from .actions import DirectoryAction
from .people import insert_person


@transaction.atomic
def people_import_preview(*, actor, uploaded_file) -> PersonImport:
    """Read and classify an uploaded list. Only the PersonImport is written, no person."""
    require_editor(actor)
    table = importing.read_table(uploaded_file)
    rows, summary = importing.classify_rows(table)
    if not rows:
        raise ValidationError(_("Tệp không có dòng nào có dữ liệu: hãy thêm mỗi người một dòng dưới dòng tiêu đề."))
    person_import = PersonImport.objects.create(
        filename=(uploaded_file.name or "")[:255], rows=rows, summary=summary, created_by=actor, updated_by=actor
    )
    audit_record(actor=actor, action=DirectoryAction.PEOPLE_IMPORT_PREVIEW, obj=person_import, changes=summary)
    return person_import


def _locked_preview(person_import: PersonImport) -> PersonImport:
    """The list locked, refused unless it is still a preview (neither confirmed nor cancelled)."""
    person_import = locked(person_import)
    if person_import.status == PersonImport.Status.CONFIRMED:
        raise ValidationError(_("Lượt nhập này đã được xác nhận trước đó: không thể nhập lại."))
    if person_import.status == PersonImport.Status.CANCELLED:
        raise ValidationError(_("Lượt nhập này đã bị huỷ: hãy tải tệp lên lần nữa nếu cần."))
    return person_import


@transaction.atomic
def people_import_confirm(*, actor, person_import: PersonImport) -> PersonImport:
    """Create the rows classified as new. Errors and duplicates are skipped; a row that fails
    now (e.g. someone added the same person meanwhile) is reported and never stops the others."""
    require_editor(actor)
    person_import = _locked_preview(person_import)
    organisations = Organisation.objects.in_bulk(
        {row["data"]["organisation_id"] for row in person_import.rows if row["data"].get("organisation_id")}
    )
    provinces = Province.objects.in_bulk(
        {row["data"]["province_id"] for row in person_import.rows if row["data"].get("province_id")}
    )
    # Someone may have added the same people since the preview: check again, in bulk.
    new_rows = [row for row in person_import.rows if row["status"] == "new"]
    existing = importing.existing_people_by_key({row["data"]["full_name"] for row in new_rows})
    created = 0
    for row in new_rows:
        data = row["data"]
        values = {name: data[name] for name in ("full_name", "sex", "birth_year", "position", "email", "phone")}
        values["organisation"] = organisations.get(data.get("organisation_id"))
        values["province"] = provinces.get(data.get("province_id"))
        match = next((existing[key] for key in importing.duplicate_keys(data) if key in existing), None)
        if match is not None:
            row.update(status="duplicate", duplicate_of={"person_id": match.pk, "name": match.full_name})
            continue
        try:
            # One savepoint per row: a row that fails is rolled back alone and reported.
            with transaction.atomic():
                person = insert_person(actor=actor, values=values, action_changes={"import": person_import.pk})
        except (ValidationError, IntegrityError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            row.update(status="error", errors=row["errors"] + messages)
            continue
        row.update(status="created", person_id=person.pk)
        created += 1
        for key in importing.duplicate_keys(data):
            existing.setdefault(key, person)

    person_import.summary = {
        **person_import.summary,
        "created": created,
        "duplicate": sum(row["status"] == "duplicate" for row in person_import.rows),
        "error": sum(row["status"] == "error" for row in person_import.rows),
    }
    person_import.status = PersonImport.Status.CONFIRMED
    person_import.confirmed_at = timezone.now()
    person_import.updated_by = actor
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
    require_editor(actor)
    person_import = _locked_preview(person_import)
    person_import.status = PersonImport.Status.CANCELLED
    person_import.updated_by = actor
    person_import.save(update_fields=["status", "updated_by", "updated_at"])
    audit_record(actor=actor, action=DirectoryAction.PEOPLE_IMPORT_CANCEL, obj=person_import)
    return person_import


def people_import_resolve(*, actor, person_import: PersonImport) -> list[Person]:
    """Everyone an uploaded list names, for inviting or enrolling them: a previewed list is
    confirmed first (new people added); people already in the directory are matched as the
    preview showed; rows with errors name no one. Call inside the caller's transaction."""
    if person_import.status == PersonImport.Status.PREVIEW:
        person_import = people_import_confirm(actor=actor, person_import=person_import)
    elif person_import.status != PersonImport.Status.CONFIRMED:
        raise ValidationError(_("Danh sách này đã bị huỷ: hãy tải tệp lên lại."))
    ids = {row.get("person_id") or (row.get("duplicate_of") or {}).get("person_id") for row in person_import.rows}
    return list(Person.objects.filter(pk__in=ids - {None}, erased_at__isnull=True).order_by("name_folded"))
