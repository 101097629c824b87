"""The physical (paper) copies of a library document: where they are shelved, how many."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, snapshot
from ketnoi.core.text import normalise

from ..models import Document, PhysicalCopy
from ._base import require_staff
from .actions import LibraryAction


@transaction.atomic
def copy_add(
    *,
    actor,
    document: Document,
    location: str,
    shelf: str = "",
    call_number: str = "",
    count: int = 1,
    note: str = "",
) -> PhysicalCopy:
    require_staff(actor, document.programme)
    copy = PhysicalCopy(
        document=document,
        location=normalise(location),
        shelf=normalise(shelf),
        call_number=normalise(call_number),
        count=count,
        note=normalise(note),
    )
    if not copy.location:
        raise ValidationError({"location": _("Hãy ghi nơi để bản giấy, ví dụ “Góc tri thức, tầng 2”.")})
    if count is None or count < 1:
        raise ValidationError({"count": _("Số bản phải từ 1 trở lên.")})
    copy.full_clean(exclude=["document"])
    copy.save()
    audit_record(
        actor=actor,
        action=LibraryAction.COPY_ADD,
        obj=document,
        changes=snapshot(copy, ["location", "shelf", "call_number", "count", "note"]),
    )
    return copy


@transaction.atomic
def copy_remove(*, actor, copy: PhysicalCopy) -> None:
    document = copy.document
    require_staff(actor, document.programme)
    audit_record(
        actor=actor,
        action=LibraryAction.COPY_REMOVE,
        obj=document,
        changes=snapshot(copy, ["location", "shelf", "call_number", "count"]),
    )
    copy.delete()
