"""Writes to indicators: definitions, periods with targets, and values entered by hand.

A hand-entered value needs evidence and counts only once a coordinator other than the person
who entered it approves it (staff admins may approve anything). Indicators computed from a
registered metric take no hand-entered values.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.registry import get_metric
from ketnoi.core.roles import Role
from ketnoi.core.uploads import check_upload
from ketnoi.directory.models import OrganisationType, Province, Sex

from .. import access
from ..models import Activity, Disaggregation, Indicator, IndicatorPeriod, IndicatorValue, Objective, Programme
from ._base import AUTOMATIC, apply, check_dates, check_same_programme, require_planner, require_text

INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "objective",
    "activity",
    "baseline",
    "baseline_date",
    "frequency",
    "cumulative",
    "disaggregations",
    "source",
    "metric_key",
    "metric_params",
)
PERIOD_FIELDS = ("label", "start_date", "end_date", "target")
EVIDENCE_TYPES = {".pdf", ".doc", ".docx", ".xlsx", ".xls", ".odt", ".ods", ".csv", ".jpg", ".jpeg", ".png"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValidationError({field: _("“%(value)s” không phải là một số.") % {"value": value}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("“%(value)s” không phải là một số.") % {"value": value}})
    return number


def category_choices(disaggregation: str) -> list[tuple[str, str]]:
    """The categories one may report under a disaggregation, as (value, label)."""
    if disaggregation == Disaggregation.SEX:
        return [(value, str(label)) for value, label in Sex.choices]
    if disaggregation == Disaggregation.ORGANISATION_TYPE:
        return [(value, str(label)) for value, label in OrganisationType.choices]
    if disaggregation == Disaggregation.PROVINCE:
        provinces = Province.objects.filter(scheme=Province.Scheme.CURRENT).order_by("name_folded")
        return [(p.code, p.short_name) for p in provinces]
    return []


# Indicators ----------------------------------------------------------------------------------


def _validate_indicator(indicator: Indicator) -> None:
    require_text(indicator.code, "code", _("Hãy nhập mã chỉ số, ví dụ CT1."))
    require_text(indicator.name, "name", _("Hãy nhập tên chỉ số."))
    require_text(indicator.unit, "unit", _("Hãy nhập đơn vị, ví dụ “người” hoặc “tiết”."))
    check_same_programme(indicator.programme, objective=indicator.objective, activity=indicator.activity)
    disaggregations = list(dict.fromkeys(indicator.disaggregations or []))
    unknown = [d for d in disaggregations if d not in Disaggregation.values]
    if unknown:
        raise ValidationError(
            {"disaggregations": _("Không có cách phân tách “%(name)s”.") % {"name": ", ".join(unknown)}}
        )
    indicator.disaggregations = disaggregations
    if indicator.source == Indicator.Source.METRIC:
        metric = get_metric(indicator.metric_key)
        if metric is None:
            raise ValidationError(
                {
                    "metric_key": _("Hãy chọn một số liệu tự động có trong danh sách (“%(key)s” không tồn tại).")
                    % {"key": indicator.metric_key}
                }
            )
        unsupported = [d for d in disaggregations if d not in metric.disaggregations]
        if unsupported:
            raise ValidationError(
                {
                    "disaggregations": _("Số liệu “%(metric)s” không phân tách được theo: %(names)s.")
                    % {"metric": metric.label, "names": ", ".join(str(Disaggregation(d).label) for d in unsupported)}
                }
            )
        params = indicator.metric_params or {}
        if not isinstance(params, dict):
            raise ValidationError({"metric_params": _("Tham số phải có dạng tên=giá trị.")})
        unknown = sorted(set(params) - set(metric.params))
        if unknown:
            allowed = ", ".join(metric.params) or _("không có")
            raise ValidationError(
                {
                    "metric_params": _("Số liệu “%(metric)s” không nhận tham số %(names)s (nhận: %(allowed)s).")
                    % {"metric": metric.label, "names": ", ".join(unknown), "allowed": allowed}
                }
            )
        indicator.metric_params = {k: str(v).strip() for k, v in params.items() if str(v).strip()}
    else:
        indicator.metric_key = ""
        indicator.metric_params = {}
    clash = indicator.programme.indicators.filter(code__iexact=indicator.code).exclude(pk=indicator.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("Mã chỉ số “%(code)s” đã được dùng: hãy chọn mã khác.") % {"code": indicator.code}}
        )
    indicator.full_clean(exclude=[*AUTOMATIC, "programme", "objective", "activity"], validate_constraints=False)


@transaction.atomic
def indicator_create(
    *,
    actor,
    programme: Programme,
    code: str,
    name: str,
    unit: str,
    objective: Objective | None = None,
    activity: Activity | None = None,
    baseline: Decimal | int = 0,
    baseline_date: date | None = None,
    frequency: str = Indicator.Frequency.ANNUAL,
    cumulative: bool = True,
    disaggregations: Iterable[str] = (),
    source: str = Indicator.Source.MANUAL,
    metric_key: str = "",
    metric_params: dict | None = None,
) -> Indicator:
    require_planner(actor, programme)
    if objective is None and activity is not None:
        objective = activity.objective
    indicator = Indicator(programme=programme, created_by=actor, updated_by=actor)
    values = {
        "code": code,
        "name": name,
        "unit": unit,
        "objective": objective,
        "activity": activity,
        "baseline": _decimal(baseline, "baseline"),
        "baseline_date": baseline_date,
        "frequency": frequency,
        "cumulative": cumulative,
        "disaggregations": list(disaggregations),
        "source": source,
        "metric_key": metric_key,
        "metric_params": dict(metric_params or {}),
    }
    apply(indicator, INDICATOR_FIELDS, values)
    _validate_indicator(indicator)
    indicator.save()
    audit_record(
        actor=actor,
        action="programmes.indicator_create",
        obj=indicator,
        changes=snapshot(indicator, list(INDICATOR_FIELDS)),
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **changes: Any) -> Indicator:
    require_planner(actor, indicator.programme)
    indicator = Indicator.objects.select_for_update(of=("self",)).get(pk=indicator.pk)
    before = snapshot(indicator, list(INDICATOR_FIELDS))
    if "baseline" in changes:
        changes["baseline"] = _decimal(changes["baseline"], "baseline")
    apply(indicator, INDICATOR_FIELDS, changes)
    if indicator.source == Indicator.Source.METRIC and indicator.values.exists():
        raise ValidationError(
            {"source": _("Chỉ số này đã có giá trị nhập tay: không thể chuyển sang tính tự động. Hãy tạo chỉ số mới.")}
        )
    dropped = set(before["disaggregations"]) - set(indicator.disaggregations or [])
    if dropped and indicator.values.filter(disaggregation__in=dropped).exists():
        raise ValidationError({"disaggregations": _("Đã có giá trị nhập theo cách phân tách này: không thể bỏ nó.")})
    _validate_indicator(indicator)
    indicator.updated_by = actor
    indicator.save()
    if changed := diff(before, indicator):
        audit_record(actor=actor, action="programmes.indicator_update", obj=indicator, changes=changed)
    return indicator


# Periods and targets -------------------------------------------------------------------------


def _validate_period(period: IndicatorPeriod) -> None:
    require_text(period.label, "label", _("Hãy đặt tên kỳ, ví dụ “2017” hoặc “HK1 2017–2018”."))
    if period.start_date is None or period.end_date is None:
        raise ValidationError({"start_date": _("Hãy nhập ngày bắt đầu và ngày kết thúc của kỳ (dd/mm/yyyy).")})
    check_dates(period.start_date, period.end_date)
    if period.target is None or period.target < 0:
        raise ValidationError({"target": _("Chỉ tiêu phải là một số không âm.")})
    siblings = period.indicator.periods.exclude(pk=period.pk)
    if siblings.filter(label__iexact=period.label).exists():
        raise ValidationError({"label": _("Chỉ số đã có kỳ “%(label)s”.") % {"label": period.label}})
    overlap = siblings.filter(start_date__lte=period.end_date, end_date__gte=period.start_date).first()
    if overlap is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "Kỳ này trùng thời gian với kỳ “%(label)s”: các kỳ của một chỉ số không được chồng nhau."
                )
                % {"label": overlap.label}
            }
        )
    period.full_clean(exclude=["indicator"], validate_constraints=False)


@transaction.atomic
def indicator_period_create(
    *, actor, indicator: Indicator, label: str, start_date: date, end_date: date, target: Decimal | int
) -> IndicatorPeriod:
    require_planner(actor, indicator.programme)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # one writer of periods at a time
    period = IndicatorPeriod(indicator=indicator)
    apply(
        period,
        PERIOD_FIELDS,
        {"label": label, "start_date": start_date, "end_date": end_date, "target": _decimal(target, "target")},
    )
    _validate_period(period)
    period.save()
    audit_record(
        actor=actor, action="programmes.period_create", obj=indicator, changes=snapshot(period, list(PERIOD_FIELDS))
    )
    return period


@transaction.atomic
def indicator_period_update(*, actor, period: IndicatorPeriod, **changes: Any) -> IndicatorPeriod:
    indicator = period.indicator
    require_planner(actor, indicator.programme)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    period = IndicatorPeriod.objects.get(pk=period.pk)
    before = snapshot(period, list(PERIOD_FIELDS))
    if "target" in changes:
        changes["target"] = _decimal(changes["target"], "target")
    apply(period, PERIOD_FIELDS, changes)
    _validate_period(period)
    period.save()
    if changed := diff(before, period):
        audit_record(
            actor=actor, action="programmes.period_update", obj=indicator, changes={"period": period.label, **changed}
        )
    return period


# Values --------------------------------------------------------------------------------------


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


def _notify(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({r for r in recipients if r})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
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
    number = _decimal(value, "value")
    if number < 0:
        raise ValidationError({"value": _("Giá trị không được âm.")})
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
        action="programmes.value_submit",
        obj=entry,
        changes={
            "value": number,
            "period": period.label,
            "disaggregation": entry.disaggregation,
            "category": entry.category,
        },
    )
    coordinators = (
        programme.roles.filter(role=Role.COORDINATOR).exclude(user=actor).values_list("user__email", flat=True)
    )
    _notify(
        _("[Kết Nối] Giá trị chỉ số %(code)s chờ phê duyệt") % {"code": indicator.code},
        _("%(user)s đã nhập %(value)s %(unit)s cho chỉ số “%(name)s”, kỳ %(period)s. Hãy vào mục Chờ phê duyệt.")
        % {"user": actor, "value": number, "unit": indicator.unit, "name": indicator.name, "period": period.label},
        list(coordinators),
    )
    return entry


@transaction.atomic
def indicator_value_review(*, actor, value: IndicatorValue, approve: bool, note: str = "") -> IndicatorValue:
    programme = value.indicator.programme
    if not access.can_view(actor, programme):
        raise PermissionDenied(_("Bạn không có quyền truy cập chương trình này."))
    if not access.can_approve(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên mới được phê duyệt số liệu."))
    value = IndicatorValue.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=value.pk)
    if value.status != IndicatorValue.Status.SUBMITTED:
        raise ValidationError(_("Giá trị này đã được xử lý (%(status)s).") % {"status": value.get_status_display()})
    if value.created_by_id == actor.pk and not actor.is_staff:
        raise PermissionDenied(
            _("Người nhập số liệu không tự phê duyệt được: hãy nhờ một điều phối viên khác hoặc quản trị viên.")
        )
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"review_note": _("Hãy ghi lý do từ chối để người nhập biết cần sửa gì.")})
    value.status = IndicatorValue.Status.APPROVED if approve else IndicatorValue.Status.REJECTED
    value.reviewed_by = actor
    value.reviewed_at = timezone.now()
    value.review_note = note
    value.updated_by = actor
    value.save()
    audit_record(
        actor=actor, action="programmes.value_review", obj=value, changes={"status": value.status, "note": note}
    )
    if value.created_by is not None:
        _notify(
            _("[Kết Nối] Giá trị chỉ số %(code)s: %(status)s")
            % {"code": value.indicator.code, "status": value.get_status_display()},
            _("Giá trị %(value)s cho kỳ %(period)s: %(status)s. %(note)s")
            % {"value": value.value, "period": value.period.label, "status": value.get_status_display(), "note": note},
            [value.created_by.email],
        )
    return value
