"""Cooperation agreements of a programme: their parties (two organisations at least), dates,
purpose and the signed document."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.uploads import check_upload
from ketnoi.core.writes import apply_fields, locked, normalise_line, set_related
from ketnoi.directory.models import Organisation

from ..models import Agreement, Component, Programme
from ._base import AUTOMATIC, check_dates, check_same_programme, require_planner, require_text
from .actions import ProgrammeAction

AGREEMENT_FIELDS = ("title", "component", "signed_on", "start_date", "end_date", "purpose", "document")
DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _check_document(document) -> None:
    if not document or getattr(document, "_committed", True):
        return  # nothing new uploaded
    check_upload(
        document,
        field="document",
        allowed=DOCUMENT_TYPES,
        max_bytes=DOCUMENT_MAX_BYTES,
        kinds_label=_("PDF, Word, ODT hoặc ảnh JPG/PNG"),
    )


def _validate_agreement(agreement: Agreement, parties: list[Organisation]) -> None:
    require_text(agreement.title, "title", _("Hãy nhập tên thoả thuận."))
    if len({p.pk for p in parties}) < 2:
        raise ValidationError({"parties": _("Một thoả thuận hợp tác cần ít nhất hai bên: hãy chọn thêm tổ chức.")})
    check_same_programme(agreement.programme, component=agreement.component)
    check_dates(agreement.start_date, agreement.end_date)
    _check_document(agreement.document)
    agreement.full_clean(exclude=[*AUTOMATIC, "programme", "component", "document"])


@transaction.atomic
def agreement_create(
    *,
    actor,
    programme: Programme,
    title: str,
    parties: Iterable[Organisation],
    signed_on: date | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    purpose: str = "",
    component: Component | None = None,
    document=None,
) -> Agreement:
    require_planner(actor, programme)
    parties = list(parties)
    agreement = Agreement(programme=programme, created_by=actor, updated_by=actor)
    values = {
        "title": title,
        "component": component,
        "signed_on": signed_on,
        "start_date": start_date,
        "end_date": end_date,
        "purpose": purpose,
        "document": document or "",
    }
    apply_fields(agreement, AGREEMENT_FIELDS, values, clean_text=normalise_line)
    _validate_agreement(agreement, parties)
    agreement.save()
    agreement.parties.set(parties)
    changes = snapshot(agreement, list(AGREEMENT_FIELDS))
    changes["parties"] = sorted(p.name for p in parties)
    audit_record(actor=actor, action=ProgrammeAction.AGREEMENT_CREATE, obj=agreement, changes=changes)
    return agreement


@transaction.atomic
def agreement_update(
    *, actor, agreement: Agreement, parties: Iterable[Organisation] | None = None, **changes: Any
) -> Agreement:
    require_planner(actor, agreement.programme)
    agreement = locked(agreement)
    before = snapshot(agreement, list(AGREEMENT_FIELDS))
    parties_before = sorted(agreement.parties.values_list("name", flat=True))
    new_parties = list(parties) if parties is not None else list(agreement.parties.all())
    apply_fields(agreement, AGREEMENT_FIELDS, changes, clean_text=normalise_line)
    _validate_agreement(agreement, new_parties)
    agreement.updated_by = actor
    agreement.save()
    changed = diff(before, agreement)
    if parties is not None:
        set_related(changed, agreement, "parties", new_parties, before=parties_before, label=lambda p: p.name)
    if changed:
        audit_record(actor=actor, action=ProgrammeAction.AGREEMENT_UPDATE, obj=agreement, changes=changed)
    return agreement
