"""Consent to hold a person's data: recorded by an editor (on paper, by phone…) or ticked by
the person on an online form, and withdrawn."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.text import normalise
from ketnoi.core.writes import locked, save_created

from ..models import Consent, Person
from ._base import require_steward
from .actions import DirectoryAction

# Vietnam's personal-data rules treat a child under 16 as needing a parent's or guardian's consent.
CONSENT_AGE = 16


@transaction.atomic
def consent_record(
    *, actor, person: Person, purpose: str, given_on: date, method: str, guardian_name: str = ""
) -> Consent:
    require_steward(actor, person)
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
    return save_created(
        consent,
        actor=actor,
        action=DirectoryAction.CONSENT_RECORD,
        fields=["purpose", "given_on", "method", "guardian_name"],
    )


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: date | None = None) -> Consent:
    require_steward(actor, consent.person)
    consent = locked(consent)
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
    audit_record(
        actor=actor, action=DirectoryAction.CONSENT_WITHDRAW, obj=consent, changes={"withdrawn_on": withdrawn_on}
    )
    return consent


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
    audit_record(actor=actor, action=DirectoryAction.CONSENT_RECORD, obj=consent, changes={"purpose": consent.purpose})
    return consent
