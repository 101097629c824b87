"""People: created and changed by directory editors, or found (and completed) for people who
sign up themselves. `insert_person`, `validate_person` and `refuse_erased` are shared with the
other modules of this package (imports, merging); they are not services of their own."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.text import normalise, normalise_phone
from ketnoi.core.writes import apply_fields, locked, save_changed

from .. import importing
from ..models import Organisation, Person, Province, Sex
from ..queries import person_find_duplicates
from ._base import check_province, require_editor, require_steward
from .actions import DirectoryAction

PERSON_FIELDS = ("full_name", "sex", "birth_year", "position", "organisation", "email", "phone", "province")
MIN_BIRTH_YEAR = importing.MIN_BIRTH_YEAR


def validate_person(person: Person, *, kept_province: Province | None = None) -> None:
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
    check_province(person.province, kept=kept_province)
    # Related objects reach services already loaded from the database: skip re-checking them.
    person.full_clean(exclude=["created_by", "updated_by", "user", "organisation", "province"])


def insert_person(*, actor, values: dict[str, Any], action_changes: dict | None = None) -> Person:
    """Check and save a new person, audited as created. Call inside the caller's transaction."""
    person = Person(created_by=actor, updated_by=actor)
    apply_fields(person, PERSON_FIELDS, values)
    validate_person(person)
    person.save()
    audit_record(
        actor=actor,
        action=DirectoryAction.PERSON_CREATE,
        obj=person,
        changes={**snapshot(person, list(PERSON_FIELDS)), **(action_changes or {})},
    )
    return person


def refuse_erased(person: Person) -> None:
    if person.erased_at is not None:
        raise ValidationError(_("Dữ liệu cá nhân của người này đã bị xoá: không thể sửa hay gộp."))


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
    require_editor(actor)
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
    return insert_person(actor=actor, values=values)


@transaction.atomic
def person_update(*, actor, person: Person, **changes: Any) -> Person:
    """Change the given fields (any of PERSON_FIELDS); the others stay as they are. Only the
    person's stewards may (see directory/stewardship.py)."""
    require_steward(actor, person)
    person = locked(person, related=("province",))
    refuse_erased(person)
    kept_province = person.province
    if "sex" in changes and not changes["sex"]:
        changes["sex"] = Sex.UNKNOWN
    person.updated_by = actor
    return save_changed(
        person,
        changes,
        actor=actor,
        action=DirectoryAction.PERSON_UPDATE,
        allowed=PERSON_FIELDS,
        validate=lambda person: validate_person(person, kept_province=kept_province),
    )


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
        return insert_person(actor=actor, values=values, action_changes={"source": "self"}), True
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
        apply_fields(found, PERSON_FIELDS, blanks)
        validate_person(found)
        found.save()
        audit_record(actor=actor, action=DirectoryAction.PERSON_COMPLETE, obj=found, changes=diff(before, found))
    return found, False
