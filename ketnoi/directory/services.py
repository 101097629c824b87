"""Every write to the directory: one transaction each, an audit entry, the object returned.

Rules are enforced here (not only in forms) so the web pages, the API and the importer agree.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.models import AuditEntry
from ketnoi.core.permissions import can_edit_directory
from ketnoi.core.registry import merge_preference, personal_data_handlers
from ketnoi.core.text import fold, normalise, normalise_phone

from . import importing
from .models import Consent, Organisation, Person, PersonImport, Province, Sex
from .queries import person_find_duplicates

__all__ = [
    "consent_record",
    "consent_withdraw",
    "erase_confirmation_matches",
    "organisation_create",
    "organisation_update",
    "people_import_cancel",
    "people_import_confirm",
    "people_import_preview",
    "person_create",
    "person_erase",
    "person_export",
    "person_find_duplicates",
    "person_merge",
    "person_update",
]

ORGANISATION_FIELDS = ("name", "short_name", "type", "parent", "province", "website", "email", "phone")
PERSON_FIELDS = ("full_name", "sex", "birth_year", "position", "organisation", "email", "phone", "province")
MIN_BIRTH_YEAR = importing.MIN_BIRTH_YEAR
# Vietnam's personal-data rules treat a child under 16 as needing a parent's or guardian's consent.
CONSENT_AGE = 16


def _require_editor(actor) -> None:
    if not can_edit_directory(actor):
        raise PermissionDenied(_("Chỉ điều phối viên hoặc quản trị viên mới được sửa danh bạ."))


def _check_province(province: Province | None, *, kept: Province | None = None) -> None:
    """New data uses the 34 current units; a legacy unit already on the record may stay."""
    if province is None or province.scheme == Province.Scheme.CURRENT:
        return
    if kept is not None and province.pk == kept.pk:
        return
    raise ValidationError(
        {
            "province": _(
                "“%(name)s” là tỉnh/thành cũ (trước 01/7/2025): hãy chọn một trong 34 tỉnh/thành hiện hành, "
                "ví dụ %(successor)s."
            )
            % {"name": province.short_name, "successor": province.current.short_name}
        }
    )


def _apply(instance: models.Model, allowed: tuple[str, ...], values: dict[str, Any]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(instance, name, value)


# Organisations -------------------------------------------------------------------------------


def _check_parent(organisation: Organisation, parent: Organisation | None) -> None:
    if parent is None:
        return
    if organisation.pk is not None and parent.pk == organisation.pk:
        raise ValidationError(
            {"parent": _("Một tổ chức không thể trực thuộc chính nó: hãy chọn đơn vị cấp trên khác.")}
        )
    # Walk up from the new parent: meeting the organisation itself would close a cycle.
    seen: set[int] = set()
    node_id: int | None = parent.pk
    while node_id is not None and node_id not in seen:
        if node_id == organisation.pk:
            raise ValidationError(
                {
                    "parent": _(
                        "“%(parent)s” đang trực thuộc “%(name)s”, nên “%(name)s” không thể trực thuộc "
                        "“%(parent)s”: hãy chọn đơn vị cấp trên khác."
                    )
                    % {"parent": parent.name, "name": organisation.name}
                }
            )
        seen.add(node_id)
        node_id = Organisation.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()


def _validate_organisation(organisation: Organisation, *, kept_province: Province | None = None) -> None:
    organisation.name = normalise(organisation.name)
    organisation.short_name = normalise(organisation.short_name)
    if not organisation.name:
        raise ValidationError({"name": _("Hãy nhập tên tổ chức.")})
    _check_parent(organisation, organisation.parent)
    _check_province(organisation.province, kept=kept_province)
    organisation.full_clean(exclude=["created_by", "updated_by", "parent", "province"])


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    type: str,
    short_name: str = "",
    parent: Organisation | None = None,
    province: Province | None = None,
    website: str = "",
    email: str = "",
    phone: str = "",
) -> Organisation:
    _require_editor(actor)
    organisation = Organisation(created_by=actor, updated_by=actor)
    _apply(
        organisation,
        ORGANISATION_FIELDS,
        {
            "name": name,
            "type": type,
            "short_name": short_name,
            "parent": parent,
            "province": province,
            "website": website,
            "email": email,
            "phone": phone,
        },
    )
    _validate_organisation(organisation)
    organisation.save()
    audit_record(
        actor=actor,
        action="directory.organisation_create",
        obj=organisation,
        changes=snapshot(organisation, list(ORGANISATION_FIELDS)),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **changes: Any) -> Organisation:
    """Change the given fields (any of ORGANISATION_FIELDS); the others stay as they are."""
    _require_editor(actor)
    organisation = (
        Organisation.objects.select_for_update(of=("self",)).select_related("province").get(pk=organisation.pk)
    )
    before = snapshot(organisation, list(ORGANISATION_FIELDS))
    kept_province = organisation.province
    _apply(organisation, ORGANISATION_FIELDS, changes)
    _validate_organisation(organisation, kept_province=kept_province)
    organisation.updated_by = actor
    organisation.save()
    changed = diff(before, organisation)
    if changed:
        audit_record(actor=actor, action="directory.organisation_update", obj=organisation, changes=changed)
    return organisation


# People --------------------------------------------------------------------------------------


def _validate_person(person: Person, *, kept_province: Province | None = None) -> None:
    person.full_name = normalise(person.full_name)
    person.email = (person.email or "").strip()
    errors: dict[str, str] = {}
    if not person.full_name:
        errors["full_name"] = _("Hãy nhập họ và tên.")
    this_year = timezone.localdate().year
    if person.birth_year is not None and not MIN_BIRTH_YEAR <= person.birth_year <= this_year:
        errors["birth_year"] = _("Năm sinh phải từ %(min)s đến %(max)s (ghi 4 chữ số, ví dụ 1985).") % {
            "min": MIN_BIRTH_YEAR,
            "max": this_year,
        }
    if person.phone and not 8 <= len(normalise_phone(person.phone)) <= 15:
        errors["phone"] = _("Số điện thoại “%(phone)s” không hợp lệ: hãy ghi 8–15 chữ số, ví dụ 0912 345 678.") % {
            "phone": person.phone
        }
    if errors:
        raise ValidationError(errors)
    _check_province(person.province, kept=kept_province)
    # Related objects reach services already loaded from the database: skip re-checking them.
    person.full_clean(exclude=["created_by", "updated_by", "user", "organisation", "province"])


def _person_insert(*, actor, values: dict[str, Any], action_changes: dict | None = None) -> Person:
    person = Person(created_by=actor, updated_by=actor)
    _apply(person, PERSON_FIELDS, values)
    _validate_person(person)
    person.save()
    audit_record(
        actor=actor,
        action="directory.person_create",
        obj=person,
        changes={**snapshot(person, list(PERSON_FIELDS)), **(action_changes or {})},
    )
    return person


@transaction.atomic
def person_create(
    *,
    actor,
    full_name: str,
    sex: str = Sex.UNKNOWN,
    birth_year: int | None = None,
    position: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    phone: str = "",
    province: Province | None = None,
    allow_duplicate: bool = False,
) -> Person:
    """Create a person. A likely duplicate (same folded name and e-mail or phone) is refused
    unless `allow_duplicate` says the user has looked and wants a new record anyway."""
    _require_editor(actor)
    if not allow_duplicate:
        existing = list(person_find_duplicates(full_name=full_name, email=email, phone=phone)[:3])
        if existing:
            message = _(
                "Có thể người này đã có trong danh bạ (%(people)s). Mở người đã có, hoặc chọn "
                "“Vẫn tạo mới” nếu đây là người khác."
            ) % {"people": ", ".join(f"{p.full_name} #{p.pk}" for p in existing)}
            raise ValidationError({"full_name": ValidationError(message, code="duplicate")})
    values = {
        "full_name": full_name,
        "sex": sex or Sex.UNKNOWN,
        "birth_year": birth_year,
        "position": position,
        "organisation": organisation,
        "email": email,
        "phone": phone,
        "province": province,
    }
    return _person_insert(actor=actor, values=values)


def _refuse_erased(person: Person) -> None:
    if person.erased_at is not None:
        raise ValidationError(_("Dữ liệu cá nhân của người này đã bị xoá: không thể sửa hay gộp."))


@transaction.atomic
def person_update(*, actor, person: Person, **changes: Any) -> Person:
    """Change the given fields (any of PERSON_FIELDS); the others stay as they are."""
    _require_editor(actor)
    person = Person.objects.select_for_update(of=("self",)).select_related("province").get(pk=person.pk)
    _refuse_erased(person)
    before = snapshot(person, list(PERSON_FIELDS))
    kept_province = person.province
    if "sex" in changes and not changes["sex"]:
        changes["sex"] = Sex.UNKNOWN
    _apply(person, PERSON_FIELDS, changes)
    _validate_person(person, kept_province=kept_province)
    person.updated_by = actor
    person.save()
    changed = diff(before, person)
    if changed:
        audit_record(actor=actor, action="directory.person_update", obj=person, changes=changed)
    return person


def _reverse_foreign_keys(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every FK and one-to-one pointing at `model`, hidden ones included.

    `_meta.related_objects` names the relations other apps declare; many-to-many links are rows
    in a through table whose (often hidden) foreign key points here, so moving those rows moves
    the link whatever app or through model declared it.
    """
    relations = [rel for rel in model._meta.related_objects if not rel.many_to_many]
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and not rel.many_to_many and rel not in relations:
            relations.append(rel)
    return relations


def _rival(rel: models.ForeignObjectRel, row: models.Model, keep: Person) -> models.Model | None:
    """`keep`'s row that a unique constraint says is equivalent to `row` (same workshop, same
    session…), if any."""
    model = rel.related_model
    field_name = rel.field.name
    unique_sets = [list(fields) for fields in model._meta.unique_together]
    unique_sets += [list(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    for fields in unique_sets:
        if field_name not in fields:
            continue
        others = {model._meta.get_field(f).attname: getattr(row, model._meta.get_field(f).attname) for f in fields}
        others[rel.field.attname] = keep.pk
        rival = model._base_manager.filter(**others).exclude(pk=row.pk).first()
        if rival is not None:
            return rival
    return None


def _move_rows(rel: models.ForeignObjectRel, *, keep: Person, remove: Person) -> tuple[int, int]:
    """Point rows at `keep` instead of `remove`: (moved, dropped as already present on `keep`)."""
    manager = rel.related_model._base_manager
    field_name = rel.field.name
    rows = manager.filter(**{field_name: remove})
    try:
        with transaction.atomic():
            return rows.update(**{field_name: keep}), 0
    except IntegrityError:
        pass
    # A unique constraint says `keep` already has an equivalent row: one savepoint per row, so
    # every other row still moves. Of the two equivalent rows the one its app prefers stays
    # (core.registry.register_merge_preference), else `keep`'s.
    prefer = merge_preference(rel.related_model._meta.label_lower)
    moved = dropped = 0
    for row in list(rows):
        try:
            with transaction.atomic():
                manager.filter(pk=row.pk).update(**{field_name: keep})
            moved += 1
            continue
        except IntegrityError:
            pass
        rival = _rival(rel, row, keep)
        if prefer is not None and rival is not None and prefer(row) > prefer(rival):
            rival.delete()
            manager.filter(pk=row.pk).update(**{field_name: keep})
            moved += 1
        else:
            row.delete()
        dropped += 1
    return moved, dropped


@transaction.atomic
def person_merge(*, actor, keep: Person, remove: Person) -> Person:
    """Fold `remove` into `keep`: every link moves, blank fields are filled, `remove` is deleted."""
    _require_editor(actor)
    if keep.pk == remove.pk:
        raise ValidationError(_("Hãy chọn hai người khác nhau để gộp."))
    locked = Person.objects.select_for_update().in_bulk([keep.pk, remove.pk])
    if len(locked) != 2:
        raise ValidationError(_("Một trong hai người không còn trong danh bạ: hãy tải lại trang."))
    keep, remove = locked[keep.pk], locked[remove.pk]
    _refuse_erased(keep)
    _refuse_erased(remove)

    before = snapshot(keep, [*PERSON_FIELDS, "user"])
    for name in (*PERSON_FIELDS, "user"):
        field = Person._meta.get_field(name)
        blank = getattr(keep, field.attname) in (None, "") or (name == "sex" and keep.sex == Sex.UNKNOWN)
        donor = getattr(remove, field.attname)
        if blank and donor not in (None, "") and not (name == "sex" and donor == Sex.UNKNOWN):
            setattr(keep, field.attname, donor)
    if remove.user_id is not None:
        # Free the one-to-one account link before `keep` takes it over (or it is dropped).
        Person.objects.filter(pk=remove.pk).update(user=None)

    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for rel in _reverse_foreign_keys(Person):
        count, conflicts = _move_rows(rel, keep=keep, remove=remove)
        label = f"{rel.related_model._meta.label_lower}.{rel.field.name}"
        if count:
            moved[label] = count
        if conflicts:
            dropped[label] = conflicts

    removed = {"id": remove.pk, "full_name": remove.full_name}
    remove.delete()
    keep.updated_by = actor
    keep.save()
    audit_record(
        actor=actor,
        action="directory.person_merge",
        obj=keep,
        changes={"removed": removed, "filled": diff(before, keep), "moved": moved, "dropped": dropped},
    )
    return keep


# Consent -------------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *, actor, person: Person, purpose: str, given_on: date, method: str, guardian_name: str = ""
) -> Consent:
    _require_editor(actor)
    if person.erased_at is not None:
        raise ValidationError(_("Dữ liệu cá nhân của người này đã bị xoá: không ghi thêm sự đồng ý."))
    consent = Consent(
        person=person,
        purpose=normalise(purpose),
        given_on=given_on,
        method=method,
        guardian_name=normalise(guardian_name),
        created_by=actor,
        updated_by=actor,
    )
    errors: dict[str, str] = {}
    if not consent.purpose:
        errors["purpose"] = _("Hãy ghi mục đích, ví dụ: “Nhận thư mời hội thảo”.")
    if given_on and given_on > timezone.localdate():
        errors["given_on"] = _("Ngày đồng ý không thể ở tương lai.")
    elif (
        given_on and person.birth_year and given_on.year - person.birth_year < CONSENT_AGE and not consent.guardian_name
    ):
        errors["guardian_name"] = _(
            "Theo năm sinh (%(year)s), người này chưa đủ 16 tuổi vào ngày đồng ý: pháp luật Việt Nam "
            "yêu cầu cha, mẹ hoặc người giám hộ đồng ý. Hãy ghi họ tên người giám hộ."
        ) % {"year": person.birth_year}
    if errors:
        raise ValidationError(errors)
    consent.full_clean(exclude=["created_by", "updated_by"])
    consent.save()
    audit_record(
        actor=actor,
        action="directory.consent_record",
        obj=consent,
        changes=snapshot(consent, ["purpose", "given_on", "method", "guardian_name"]),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: date | None = None) -> Consent:
    _require_editor(actor)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    withdrawn_on = withdrawn_on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError(
            _("Sự đồng ý này đã được rút lại ngày %(date)s.") % {"date": f"{consent.withdrawn_on:%d/%m/%Y}"}
        )
    if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
        raise ValidationError(
            {
                "withdrawn_on": _("Ngày rút lại phải từ ngày đồng ý (%(date)s) đến hôm nay.")
                % {"date": f"{consent.given_on:%d/%m/%Y}"}
            }
        )
    consent.withdrawn_on = withdrawn_on
    consent.updated_by = actor
    consent.save(update_fields=["withdrawn_on", "updated_by", "updated_at"])
    audit_record(actor=actor, action="directory.consent_withdraw", obj=consent, changes={"withdrawn_on": withdrawn_on})
    return consent


# Privacy -------------------------------------------------------------------------------------


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_year": person.birth_year,
        "position": person.position,
        "organisation": str(person.organisation) if person.organisation_id else None,
        "email": person.email,
        "phone": person.phone,
        "province": str(person.province) if person.province_id else None,
        "user": person.user.get_username() if person.user_id else None,
        "created_at": person.created_at.isoformat(),
        "updated_at": person.updated_at.isoformat(),
        "erased_at": person.erased_at.isoformat() if person.erased_at else None,
    }


@transaction.atomic
def person_export(*, actor, person: Person) -> dict[str, Any]:
    """Everything the platform holds about a person: the directory record and what every app
    registered with `register_personal_data` returns for them."""
    _require_editor(actor)
    data = {
        "exported_at": timezone.now().isoformat(),
        "person": _person_data(person),
        "data": {handler.name: handler.export(person) for handler in personal_data_handlers()},
    }
    audit_record(actor=actor, action="directory.person_export", obj=person)
    return data


# The folded word the user types: “XOÁ” (or “DELETE” in the English interface).
ERASE_CONFIRMATIONS = {"xoa", "delete"}


def erase_confirmation_matches(typed: str) -> bool:
    return fold(typed) in ERASE_CONFIRMATIONS


@transaction.atomic
def person_erase(*, actor, person: Person) -> Person:
    """Anonymise in place: the row stays so counts and statistics still include the person."""
    _require_editor(actor)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("Dữ liệu cá nhân của người này đã được xoá trước đó."))
    # The other apps find what they hold about the person by the e-mail or the account, so
    # they erase first, while both are still on the record.
    handlers = personal_data_handlers()
    for handler in handlers:
        handler.erase(person)
    label = f"Đã xoá #{person.pk}"
    person.full_name = label
    person.email = person.phone = person.position = ""
    person.birth_year = None
    person.sex = Sex.UNKNOWN
    person.user = None
    person.erased_at = timezone.now()
    person.updated_by = actor
    person.save()
    # Earlier audit entries recorded the old values: keep that something happened, not what.
    consent_ids = [str(pk) for pk in person.consents.values_list("pk", flat=True)]
    AuditEntry.objects.filter(
        Q(content_type__app_label="directory", content_type__model="person", object_id=str(person.pk))
        | Q(content_type__app_label="directory", content_type__model="consent", object_id__in=consent_ids)
    ).update(changes={}, object_repr=label)
    audit_record(
        actor=actor, action="directory.person_erase", obj=person, changes={"handlers": [h.name for h in handlers]}
    )
    return person


# Import --------------------------------------------------------------------------------------


@transaction.atomic
def people_import_preview(*, actor, uploaded_file) -> PersonImport:
    """Read and classify an uploaded list. Only the PersonImport is written, no person."""
    _require_editor(actor)
    table = importing.read_table(uploaded_file)
    rows, summary = importing.classify_rows(table)
    if not rows:
        raise ValidationError(_("Tệp không có dòng nào có dữ liệu: hãy thêm mỗi người một dòng dưới dòng tiêu đề."))
    person_import = PersonImport.objects.create(
        filename=(uploaded_file.name or "")[:255], rows=rows, summary=summary, created_by=actor, updated_by=actor
    )
    audit_record(actor=actor, action="directory.people_import_preview", obj=person_import, changes=summary)
    return person_import


def _locked_preview(person_import: PersonImport) -> PersonImport:
    person_import = PersonImport.objects.select_for_update().get(pk=person_import.pk)
    if person_import.status == PersonImport.Status.CONFIRMED:
        raise ValidationError(_("Lượt nhập này đã được xác nhận trước đó: không thể nhập lại."))
    if person_import.status == PersonImport.Status.CANCELLED:
        raise ValidationError(_("Lượt nhập này đã bị huỷ: hãy tải tệp lên lần nữa nếu cần."))
    return person_import


@transaction.atomic
def people_import_confirm(*, actor, person_import: PersonImport) -> PersonImport:
    """Create the rows classified as new. Errors and duplicates are skipped; a row that fails
    now (e.g. someone added the same person meanwhile) is reported and never stops the others."""
    _require_editor(actor)
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
            with transaction.atomic():
                person = _person_insert(actor=actor, values=values, action_changes={"import": person_import.pk})
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
        actor=actor, action="directory.people_import_confirm", obj=person_import, changes=person_import.summary
    )
    return person_import


@transaction.atomic
def people_import_cancel(*, actor, person_import: PersonImport) -> PersonImport:
    _require_editor(actor)
    person_import = _locked_preview(person_import)
    person_import.status = PersonImport.Status.CANCELLED
    person_import.updated_by = actor
    person_import.save(update_fields=["status", "updated_by", "updated_at"])
    audit_record(actor=actor, action="directory.people_import_cancel", obj=person_import)
    return person_import


# People who sign up themselves (a workshop registration, a walk-in at the door) --------------


def person_find_or_add(
    *,
    actor,
    full_name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    organisation: Organisation | None = None,
    sex: str = Sex.UNKNOWN,
    province: Province | None = None,
) -> tuple[Person, bool]:
    """The directory person these details name (same folded name and e-mail or phone), or a new
    one — for forms anyone may fill, so no editor right is asked: the caller decides who may.
    An existing record is completed where it is blank, never overwritten. Call inside the
    caller's transaction."""
    found = person_find_duplicates(full_name=full_name, email=email, phone=phone).order_by("pk").first()
    if found is None:
        values = {
            "full_name": full_name,
            "sex": sex or Sex.UNKNOWN,
            "position": position,
            "organisation": organisation,
            "email": email,
            "phone": phone,
            "province": province,
        }
        return _person_insert(actor=actor, values=values, action_changes={"source": "self"}), True
    blanks = {
        name: value
        for name, value in {
            "email": email,
            "phone": phone,
            "position": position,
            "organisation": organisation,
            "province": province,
        }.items()
        if value and not getattr(found, name)
    }
    if blanks:
        before = snapshot(found, list(blanks))
        _apply(found, PERSON_FIELDS, blanks)
        _validate_person(found)
        found.save()
        audit_record(actor=actor, action="directory.person_complete", obj=found, changes=diff(before, found))
    return found, False


def consent_given_online(*, actor, person: Person, purpose: str) -> Consent:
    """Consent ticked by the person on an online form, today. Call inside the caller's
    transaction."""
    consent = Consent.objects.create(
        person=person,
        purpose=normalise(purpose),
        given_on=timezone.localdate(),
        method=Consent.Method.ONLINE,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="directory.consent_record", obj=consent, changes={"purpose": consent.purpose})
    return consent


def people_import_people(*, actor, person_import: PersonImport) -> list[Person]:
    """Everyone an uploaded list names, for inviting or enrolling them: a previewed list is
    confirmed first (new people added); people already in the directory are matched as the
    preview showed; rows with errors name no one. Call inside the caller's transaction."""
    if person_import.status == PersonImport.Status.PREVIEW:
        person_import = people_import_confirm(actor=actor, person_import=person_import)
    elif person_import.status != PersonImport.Status.CONFIRMED:
        raise ValidationError(_("Danh sách này đã bị huỷ: hãy tải tệp lên lại."))
    ids = {row.get("person_id") or (row.get("duplicate_of") or {}).get("person_id") for row in person_import.rows}
    return list(Person.objects.filter(pk__in=ids - {None}, erased_at__isnull=True).order_by("name_folded"))
