"""/api/v1/programmes/{code}/: indicators, their periods and targets, hand-entered values and
their review, and the progress tree (target against actual)."""

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ketnoi.core.api_pagination import paginated

from . import api_helpers as h
from . import queries, services
from .api_schemas import (
    IndicatorDetailOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    PeriodIn,
    PeriodOut,
    PeriodPatch,
    ProgressOut,
    ReviewIn,
    ValueFilters,
    ValueIn,
    ValueOut,
)
from .progress import IndicatorProgress, programme_progress

router = Router(tags=["indicators"])


def _indicator_data(request: HttpRequest, programme, data: dict) -> dict:
    data = h.resolve_references(request, programme, data)
    if "kind" in data and data["kind"] is None:
        del data["kind"]  # left out: the service guesses it from the unit
    if "disaggregations" in data:
        if data["disaggregations"] is None:
            del data["disaggregations"]
        else:
            data["disaggregations"] = [str(d) for d in data["disaggregations"]]
    return data


# Indicators ----------------------------------------------------------------------------------


@router.get("/{code}/indicators", response=list[IndicatorOut])
@paginated(h.MAX_LIMIT)
def list_indicators(request: HttpRequest, code: str):
    return queries.indicators_of(h.programme_for(request, code))


@router.post("/{code}/indicators", response={201: IndicatorDetailOut})
def create_indicator(request: HttpRequest, code: str, payload: IndicatorIn):
    programme = h.programme_for(request, code)
    h.require_planner(request, programme)
    data = _indicator_data(request, programme, payload.model_dump())
    indicator = services.indicator_create(actor=request.user, programme=programme, **data)
    return Status(201, queries.indicators_of(programme).get(pk=indicator.pk))


@router.get("/{code}/indicators/{int:indicator_id}", response=IndicatorDetailOut)
def get_indicator(request: HttpRequest, code: str, indicator_id: int):
    """The indicator with its periods and their targets."""
    return get_object_or_404(queries.indicators_of(h.programme_for(request, code)), pk=indicator_id)


@router.patch("/{code}/indicators/{int:indicator_id}", response=IndicatorDetailOut)
def update_indicator(request: HttpRequest, code: str, indicator_id: int, payload: IndicatorPatch):
    programme = h.programme_for(request, code)
    indicator = get_object_or_404(programme.indicators, pk=indicator_id)
    h.require_planner(request, programme)
    data = _indicator_data(request, programme, h.changes(payload))
    services.indicator_update(actor=request.user, indicator=indicator, **data)
    return queries.indicators_of(programme).get(pk=indicator.pk)


# Periods and targets -------------------------------------------------------------------------


@router.post("/{code}/indicators/{int:indicator_id}/periods", response={201: PeriodOut})
def create_period(request: HttpRequest, code: str, indicator_id: int, payload: PeriodIn):
    indicator = get_object_or_404(h.programme_for(request, code).indicators, pk=indicator_id)
    period = services.indicator_period_create(actor=request.user, indicator=indicator, **payload.model_dump())
    period.refresh_from_db()
    return Status(201, period)


@router.patch("/{code}/indicators/{int:indicator_id}/periods/{int:period_id}", response=PeriodOut)
def update_period(request: HttpRequest, code: str, indicator_id: int, period_id: int, payload: PeriodPatch):
    indicator = get_object_or_404(h.programme_for(request, code).indicators, pk=indicator_id)
    period = get_object_or_404(indicator.periods, pk=period_id)
    period = services.indicator_period_update(actor=request.user, period=period, **h.changes(payload))
    period.refresh_from_db()
    return period


# Values and their review ---------------------------------------------------------------------


@router.post("/{code}/indicators/{int:indicator_id}/values", response={201: ValueOut}, tags=["values"])
def submit_value(request: HttpRequest, code: str, indicator_id: int, payload: ValueIn):
    """Enter a value by hand; it waits for a coordinator's approval before it counts."""
    programme = h.programme_for(request, code)
    indicator = get_object_or_404(programme.indicators, pk=indicator_id)
    h.require_reporter(request, programme)
    data = payload.model_dump()
    data["period"] = h.child(
        indicator.periods.all(),
        data.pop("period_id"),
        field="period_id",
        message=_("Chỉ số không có kỳ nào mã %(id)s."),
    )
    value = services.indicator_value_submit(actor=request.user, indicator=indicator, **data)
    return Status(201, queries.values_of(programme).get(pk=value.pk))


@router.get("/{code}/values", response=list[ValueOut], tags=["values"])
@paginated(h.MAX_LIMIT)
def list_values(request: HttpRequest, code: str, filters: Query[ValueFilters]):
    """Hand-entered values of the programme; `status=submitted` is the approval queue."""
    values = queries.values_of(h.programme_for(request, code))
    if filters.status:
        values = values.filter(status=filters.status)
    if filters.indicator_id is not None:
        values = values.filter(indicator_id=filters.indicator_id)
    return values


@router.get("/{code}/values/{int:value_id}", response=ValueOut, tags=["values"])
def get_value(request: HttpRequest, code: str, value_id: int):
    return get_object_or_404(queries.values_of(h.programme_for(request, code)), pk=value_id)


@router.post("/{code}/values/{int:value_id}/review", response=ValueOut, tags=["values"])
def review_value(request: HttpRequest, code: str, value_id: int, payload: ReviewIn):
    """Approve or refuse a submitted value (a refusal needs a note). Nobody approves their own."""
    programme = h.programme_for(request, code)
    value = get_object_or_404(queries.values_of(programme), pk=value_id)
    h.require_approver(request, programme)
    services.indicator_value_review(actor=request.user, value=value, approve=payload.approve, note=payload.note)
    return queries.values_of(programme).get(pk=value.pk)


# Progress ------------------------------------------------------------------------------------

CENTS = Decimal("0.01")


def _amount(number: Decimal | None) -> Decimal | None:
    """Two decimals, like the stored figures, whatever the database's sums return."""
    return None if number is None else Decimal(number).quantize(CENTS)


def _indicator_progress(item: IndicatorProgress) -> dict:
    indicator = item.indicator
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "source": indicator.source,
        "cumulative": indicator.cumulative,
        "target": _amount(item.target),
        "actual": _amount(item.actual),
        "percent": item.percent,
        "pending": item.pending,
        "periods": [
            {
                "id": row.period.pk,
                "label": row.period.label,
                "start_date": row.period.start_date,
                "end_date": row.period.end_date,
                "target": _amount(row.target),
                "actual": _amount(row.actual),
                "cumulative_target": _amount(row.cumulative_target),
                "cumulative_actual": _amount(row.cumulative_actual),
                "percent": row.percent,
            }
            for row in item.periods
        ],
        "breakdowns": {
            disaggregation: [
                {"category": s.category, "label": s.label, "value": _amount(s.value), "share": s.share} for s in shares
            ]
            for disaggregation, shares in item.breakdowns.items()
        },
    }


@router.get("/{code}/progress", response=ProgressOut, tags=["progress"])
def get_progress(request: HttpRequest, code: str):
    """Objectives → activities → indicators, each with target, actual and percent; indicators
    with their periods and breakdowns."""
    progress = programme_progress(h.programme_for(request, code))
    return {
        "programme": progress.programme,
        "percent": progress.percent,
        "pending": progress.pending,
        "objectives": [
            {
                "objective": branch.objective,
                "percent": branch.percent,
                "indicators": [_indicator_progress(i) for i in branch.indicators],
                "activities": [
                    {
                        "activity": leaf.activity,
                        "percent": leaf.percent,
                        "indicators": [_indicator_progress(i) for i in leaf.indicators],
                    }
                    for leaf in branch.activities
                ],
            }
            for branch in progress.objectives
        ],
    }
