"""Writes to indicators: their definitions and their periods with targets.

Indicators computed from a registered metric take no hand-entered values (see
indicator_values.py for those).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.registry import get_metric
from ketnoi.core.writes import apply_fields, locked, normalise_line, save_created
from ketnoi.directory.models import OrganisationType, Province, Sex

from ..models import (
    Activity,
    Disaggregation,
    Indicator,
    IndicatorPeriod,
    IndicatorValue,
    Objective,
    Programme,
    guess_indicator_kind,
)
from ._base import AUTOMATIC, check_dates, check_same_programme, require_planner, require_text
from .actions import ProgrammeAction

INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "kind",
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


def decimal_value(value: Any, field: str) -> Decimal:
    """`value` as a Decimal (a comma may be the decimal mark), or a ValidationError on `field`."""
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


def _check_kind(indicator: Indicator) -> None:
    if indicator.kind not in Indicator.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại số liệu: số đếm, tỉ lệ phần trăm hoặc số đo có phần lẻ.")})
    indicator.check_whole(indicator.baseline, "baseline")
    if indicator.kind != Indicator.Kind.COUNT or indicator.pk is None:
        return
    # Turning an indicator into a count: what it already holds must be whole numbers.
    held = [
        *IndicatorPeriod.objects.filter(indicator=indicator).values_list("target", flat=True),
        *IndicatorValue.objects.filter(indicator=indicator).values_list("value", flat=True),
    ]
    if any(number != number.to_integral_value() for number in held):
        raise ValidationError(
            {
                "kind": _(
                    "Chỉ số đã có chỉ tiêu hoặc giá trị lẻ (ví dụ 1,5): không thể chuyển sang số đếm. Hãy sửa các "
                    "số đó trước hoặc giữ loại số liệu hiện tại."
                )
            }
        )


def _validate_indicator(indicator: Indicator) -> None:
    require_text(indicator.code, "code", _("Hãy nhập mã chỉ số, ví dụ CT1."))
    require_text(indicator.name, "name", _("Hãy nhập tên chỉ số."))
    require_text(indicator.unit, "unit", _("Hãy nhập đơn vị, ví dụ “người” hoặc “tiết”."))
    check_same_programme(indicator.programme, objective=indicator.objective, activity=indicator.activity)
    _check_kind(indicator)
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
    kind: str = "",
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
        # Left out (the API, older callers): guessed from the unit, as the migration did.
        "kind": kind or guess_indicator_kind(unit, cumulative),
        "objective": objective,
        "activity": activity,
        "baseline": decimal_value(baseline, "baseline"),
        "baseline_date": baseline_date,
        "frequency": frequency,
        "cumulative": cumulative,
        "disaggregations": list(disaggregations),
        "source": source,
        "metric_key": metric_key,
        "metric_params": dict(metric_params or {}),
    }
    apply_fields(indicator, INDICATOR_FIELDS, values, clean_text=normalise_line)
    _validate_indicator(indicator)
    return save_created(indicator, actor=actor, action=ProgrammeAction.INDICATOR_CREATE, fields=INDICATOR_FIELDS)


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **changes: Any) -> Indicator:
    require_planner(actor, indicator.programme)
    indicator = locked(indicator)
    before = snapshot(indicator, list(INDICATOR_FIELDS))
    if "baseline" in changes:
        changes["baseline"] = decimal_value(changes["baseline"], "baseline")
    apply_fields(indicator, INDICATOR_FIELDS, changes, clean_text=normalise_line)
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
        audit_record(actor=actor, action=ProgrammeAction.INDICATOR_UPDATE, obj=indicator, changes=changed)
    return indicator


# Periods and targets -------------------------------------------------------------------------


def _validate_period(period: IndicatorPeriod) -> None:
    require_text(period.label, "label", _("Hãy đặt tên kỳ, ví dụ “2017” hoặc “HK1 2017–2018”."))
    if period.start_date is None or period.end_date is None:
        raise ValidationError({"start_date": _("Hãy nhập ngày bắt đầu và ngày kết thúc của kỳ (dd/mm/yyyy).")})
    check_dates(period.start_date, period.end_date)
    if period.target is None or period.target < 0:
        raise ValidationError({"target": _("Chỉ tiêu phải là một số không âm.")})
    period.indicator.check_whole(period.target, "target")
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
    apply_fields(
        period,
        PERIOD_FIELDS,
        {"label": label, "start_date": start_date, "end_date": end_date, "target": decimal_value(target, "target")},
        clean_text=normalise_line,
    )
    _validate_period(period)
    period.save()
    audit_record(
        actor=actor, action=ProgrammeAction.PERIOD_CREATE, obj=indicator, changes=snapshot(period, list(PERIOD_FIELDS))
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
        changes["target"] = decimal_value(changes["target"], "target")
    apply_fields(period, PERIOD_FIELDS, changes, clean_text=normalise_line)
    _validate_period(period)
    period.save()
    if changed := diff(before, period):
        audit_record(
            actor=actor,
            action=ProgrammeAction.PERIOD_UPDATE,
            obj=indicator,
            changes={"period": period.label, **changed},
        )
    return period
