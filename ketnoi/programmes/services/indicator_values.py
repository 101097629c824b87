"""Values of indicators entered by hand.

A hand-entered value needs evidence and counts only once a coordinator other than the person
who entered it approves it, or, for a value a coordinator entered, the programme's second
approver (staff admins may approve anything): `access.Reviewers`. Indicators computed from a
registered metric take no hand-entered values.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.services import mail_queue
from ketnoi.core.uploads import check_upload
from ketnoi.core.writes import locked

from .. import access
from ..models import Indicator, IndicatorPeriod, IndicatorValue
from ._base import AUTOMATIC
from .actions import ProgrammeAction
from .indicators import category_choices, decimal_value

EVIDENCE_TYPES = {".pdf", ".doc", ".docx", ".xlsx", ".xls", ".odt", ".ods", ".csv", ".jpg", ".jpeg", ".png"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _check_evidence(evidence: str, evidence_file) -> None:
    if not (evidence or "").strip() and not evidence_file:
        raise ValidationError(
            {"evidence": _("Hãy ghi minh chứng (ví dụ biên bản, danh sách điểm danh) hoặc đính kèm tệp minh chứng.")}
        )
    if evidence_file:
        check_upload(
            evidence_file,
            field="evidence_file",
            allowed=EVIDENCE_TYPES,
            max_bytes=EVIDENCE_MAX_BYTES,
            kinds_label=_("PDF, Word, Excel, CSV hoặc ảnh JPG/PNG"),
        )


def _check_category(indicator: Indicator, disaggregation: str, category: str) -> None:
    if not disaggregation and not category:
        return
    if disaggregation not in (indicator.disaggregations or []):
        raise ValidationError(
            {"disaggregation": _("Chỉ số “%(code)s” không phân tách theo cách này.") % {"code": indicator.code}}
        )
    if category not in {value for value, _label in category_choices(disaggregation)}:
        raise ValidationError({"category": _("Hãy chọn một nhóm trong danh sách.")})


def awaiting_text(value: IndicatorValue, reviewers: access.Reviewers) -> str:
    """Who may approve `value`, in a sentence for the pages and the API."""
    people = reviewers.for_value(value)
    if people:
        return _("Chờ phê duyệt bởi: %(names)s.") % {"names": ", ".join(str(user) for user in people)}
    return _(
        "Chưa ai phê duyệt được: chương trình không còn điều phối viên nào khác người nhập. Điều phối viên hãy "
        "chọn người phê duyệt thứ hai trong phần sửa thông tin chương trình, hoặc nhờ quản trị viên."
    )


def _refusal(actor, value: IndicatorValue, reviewers: access.Reviewers) -> str:
    if value.created_by_id == actor.pk:
        text = _("Người nhập số liệu không tự phê duyệt được.")
    else:
        text = _("Người phê duyệt thứ hai chỉ phê duyệt giá trị do điều phối viên nhập.")
    return f"{text} {awaiting_text(value, reviewers)}"


def _notify(template: str, context: dict, recipients: list[str], *, actor, value: IndicatorValue) -> None:
    """Through core's outgoing mail: tried again, and shown to `actor` if undeliverable."""
    indicator = value.indicator
    mail_queue(
        to=recipients,
        template=f"programmes/email/{template}",
        context=context,
        caused_by=actor,
        about_label=f"{indicator.code} · {value.period.label}",
        about_url=reverse("programmes:indicator_detail", args=[indicator.programme.code, indicator.pk]),
    )


@transaction.atomic
def indicator_value_submit(
    *,
    actor,
    indicator: Indicator,
    period: IndicatorPeriod,
    value: Decimal | int | str,
    disaggregation: str = "",
    category: str = "",
    evidence: str = "",
    evidence_file=None,
) -> IndicatorValue:
    programme = indicator.programme
    if not access.can_view(actor, programme):
        raise PermissionDenied(_("Bạn không có quyền truy cập chương trình này."))
    if not access.can_report(actor, programme):
        raise PermissionDenied(_("Vai trò người xem không được nhập số liệu. Hãy liên hệ điều phối viên."))
    if indicator.source == Indicator.Source.METRIC:
        raise ValidationError(_("Chỉ số “%(code)s” được tính tự động: không nhập tay.") % {"code": indicator.code})
    if period.indicator_id != indicator.pk:
        raise ValidationError({"period": _("Kỳ “%(label)s” không thuộc chỉ số này.") % {"label": period.label}})
    number = decimal_value(value, "value")
    if number < 0:
        raise ValidationError({"value": _("Giá trị không được âm.")})
    indicator.check_whole(number, "value")
    _check_category(indicator, disaggregation or "", category or "")
    _check_evidence(evidence, evidence_file)
    entry = IndicatorValue(
        indicator=indicator,
        period=period,
        value=number,
        disaggregation=disaggregation or "",
        category=category or "",
        evidence=(evidence or "").strip(),
        evidence_file=evidence_file or "",
        created_by=actor,
        updated_by=actor,
    )
    entry.full_clean(exclude=[*AUTOMATIC, "indicator", "period", "reviewed_by", "evidence_file"])
    entry.save()
    audit_record(
        actor=actor,
        action=ProgrammeAction.VALUE_SUBMIT,
        obj=entry,
        changes={
            "value": number,
            "period": period.label,
            "disaggregation": entry.disaggregation,
            "category": entry.category,
        },
    )
    # Those who may approve it: the other coordinators, or the second approver when a coordinator entered it.
    reviewers = [user.email for user in access.Reviewers(programme).for_value(entry) if user.email]
    _notify(
        "value_submitted",
        {
            "code": indicator.code,
            "user": actor,
            "value": number,
            "unit": indicator.unit,
            "name": indicator.name,
            "period": period.label,
        },
        reviewers,
        actor=actor,
        value=entry,
    )
    return entry


def _check_reviewable(actor, value: IndicatorValue, reviewers: access.Reviewers) -> None:
    """The rules of approving one value, read with the value locked: who may approve it (never
    its author; the second approver only a coordinator's value) and that it still waits. One
    check for the single review and the bulk approval."""
    if not access.can_approve(actor, reviewers.programme):
        raise PermissionDenied(_("Chỉ điều phối viên mới được phê duyệt số liệu."))
    if value.status != IndicatorValue.Status.SUBMITTED:
        raise ValidationError(_("Giá trị này đã được xử lý (%(status)s).") % {"status": value.get_status_display()})
    if not reviewers.may_review(actor, value):
        raise PermissionDenied(_refusal(actor, value, reviewers))


def _record_review(actor, value: IndicatorValue, *, approve: bool, note: str) -> None:
    """Save the decision on a checked, locked value, with its audit entry."""
    value.status = IndicatorValue.Status.APPROVED if approve else IndicatorValue.Status.REJECTED
    value.reviewed_by = actor
    value.reviewed_at = timezone.now()
    value.review_note = note
    value.updated_by = actor
    value.save()
    audit_record(
        actor=actor, action=ProgrammeAction.VALUE_REVIEW, obj=value, changes={"status": value.status, "note": note}
    )


def _notify_reviewed(actor, value: IndicatorValue, note: str) -> None:
    if value.created_by is not None:
        _notify(
            "value_reviewed",
            {
                "code": value.indicator.code,
                "value": value.value,
                "period": value.period.label,
                "status": value.get_status_display(),
                "note": note,
            },
            [value.created_by.email],
            actor=actor,
            value=value,
        )


@transaction.atomic
def indicator_value_review(*, actor, value: IndicatorValue, approve: bool, note: str = "") -> IndicatorValue:
    if not access.can_view(actor, value.indicator.programme):
        raise PermissionDenied(_("Bạn không có quyền truy cập chương trình này."))
    # The programme as it is now (its second approver), read with the locked value.
    value = locked(value, related=("created_by", "indicator__programme", "period"))
    _check_reviewable(actor, value, access.Reviewers(value.indicator.programme))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"review_note": _("Hãy ghi lý do từ chối để người nhập biết cần sửa gì.")})
    _record_review(actor, value, approve=approve, note=note)
    _notify_reviewed(actor, value, note)
    return value
