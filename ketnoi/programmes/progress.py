"""Target against actual for a whole programme, computed in a fixed number of queries.

Rules, in one place:
- Only approved hand-entered values count. A value without a disaggregation is the headline
  figure; values with one are its breakdown.
- Cumulative indicators add up: a period's actual is the sum of its approved values, and the
  overall actual and target are sums over periods. Non-cumulative indicators (a mean score, a
  rate) are levels: a period's actual is its most recently approved value, and the overall
  figure is the latest period that has one, against that period's target.
- Metric indicators ask the registered metric for each period (and, when cumulative, for the
  range from the first period's start) — a few queries per metric indicator, never per row.
- Progress of an activity or objective is the mean of its indicators' progress, each capped
  at 100 % so one over-achieved figure cannot hide another that lags.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.registry import get_metric

from .models import Activity, Indicator, IndicatorPeriod, IndicatorValue, Objective, Programme
from .services import category_choices

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    if actual is None or not target:
        return None
    return (Decimal(actual) * HUNDRED / Decimal(target)).quantize(Decimal("0.1"))


def _mean_capped(values: list[Decimal | None]) -> Decimal | None:
    known = [min(v, HUNDRED) for v in values if v is not None]
    if not known:
        return None
    return (sum(known) / len(known)).quantize(Decimal("0.1"))


@dataclass
class PeriodProgress:
    period: IndicatorPeriod
    target: Decimal
    actual: Decimal | None
    cumulative_target: Decimal
    cumulative_actual: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return percent(self.actual, self.target)


@dataclass
class Share:
    category: str
    label: str
    value: Decimal

    share: Decimal | None = None
    fix_url: str | None = None  # for the "" category: where the unclassified are classified


@dataclass
class IndicatorProgress:
    indicator: Indicator
    periods: list[PeriodProgress]
    target: Decimal | None
    actual: Decimal | None
    breakdowns: dict[str, list[Share]] = field(default_factory=dict)
    pending: int = 0

    @property
    def percent(self) -> Decimal | None:
        return percent(self.actual, self.target)


@dataclass
class ActivityProgress:
    activity: Activity
    indicators: list[IndicatorProgress]

    @property
    def percent(self) -> Decimal | None:
        return _mean_capped([i.percent for i in self.indicators])


@dataclass
class ObjectiveProgress:
    objective: Objective | None
    activities: list[ActivityProgress]
    indicators: list[IndicatorProgress]  # linked to the objective but to none of its activities

    @property
    def all_indicators(self) -> list[IndicatorProgress]:
        return self.indicators + [i for a in self.activities for i in a.indicators]

    @property
    def percent(self) -> Decimal | None:
        return _mean_capped([i.percent for i in self.all_indicators])


@dataclass
class ProgrammeProgress:
    programme: Programme
    objectives: list[ObjectiveProgress]
    indicators: list[IndicatorProgress]
    pending: int

    @property
    def percent(self) -> Decimal | None:
        return _mean_capped([i.percent for i in self.indicators])


Totals = dict[tuple[int, str, str], tuple[Decimal, Decimal]]


def _approved_totals(values: QuerySet[IndicatorValue]) -> dict[int, Totals]:
    """{indicator: {(period, disaggregation, category): (sum, latest)}} in one grouped query."""
    approved = values.filter(status=IndicatorValue.Status.APPROVED)
    latest = IndicatorValue.objects.filter(
        status=IndicatorValue.Status.APPROVED,
        indicator_id=OuterRef("indicator_id"),
        period_id=OuterRef("period_id"),
        disaggregation=OuterRef("disaggregation"),
        category=OuterRef("category"),
    ).order_by("-reviewed_at", "-id")
    rows = (
        approved.values("indicator_id", "period_id", "disaggregation", "category")
        .annotate(total=Sum("value"), latest=Subquery(latest.values("value")[:1]))
        .order_by()
    )
    # Indexed by indicator so each indicator reads only its own rows (no scan of the whole programme).
    by_indicator: dict[int, Totals] = defaultdict(dict)
    for r in rows:
        # SQLite hands aggregates back without the column's scale: restore the two places stored.
        by_indicator[r["indicator_id"]][(r["period_id"], r["disaggregation"], r["category"])] = (
            Decimal(r["total"]).quantize(CENT),
            Decimal(r["latest"]).quantize(CENT),
        )
    return by_indicator


def _pending_counts(values: QuerySet[IndicatorValue]) -> dict[int, int]:
    return dict(
        values.filter(status=IndicatorValue.Status.SUBMITTED)
        .values_list("indicator_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def _manual_progress(indicator: Indicator, periods: list[IndicatorPeriod], totals: Totals) -> IndicatorProgress:
    pick = 0 if indicator.cumulative else 1
    today = timezone.localdate()
    period_rows: list[PeriodProgress] = []
    running_target, running_actual = Decimal(0), None
    for period in periods:
        found = totals.get((period.pk, "", ""))
        actual = Decimal(found[pick]) if found else None
        running_target += period.target
        if actual is not None:
            running_actual = (running_actual or Decimal(0)) + actual if indicator.cumulative else actual
        # A period that has not begun has no actual yet: do not carry the total into the future.
        shown = running_actual if actual is not None or period.start_date <= today else None
        period_rows.append(PeriodProgress(period, period.target, actual, running_target, shown))
    target, actual = _overall(indicator, period_rows)
    breakdowns = {}
    counted = {p.pk for p in (periods if indicator.cumulative else periods[-1:])}
    for disaggregation in indicator.disaggregations or []:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for (per, dis, category), found in totals.items():
            if dis == disaggregation and per in counted:
                sums[category] += Decimal(found[pick])
        breakdowns[disaggregation] = sums
    return IndicatorProgress(indicator, period_rows, target, actual, breakdowns)


def _metric_progress(
    indicator: Indicator, periods: list[IndicatorPeriod], *, breakdowns: bool = True
) -> IndicatorProgress:
    metric = get_metric(indicator.metric_key)
    params = indicator.metric_params or {}
    if metric is None or not periods:
        return IndicatorProgress(indicator, [], None, None)
    programme, first = indicator.programme, periods[0].start_date
    period_rows: list[PeriodProgress] = []
    running_target = Decimal(0)
    for period in periods:
        actual = Decimal(metric.value(programme=programme, start=period.start_date, end=period.end_date, params=params))
        running_target += period.target
        running = (
            Decimal(metric.value(programme=programme, start=first, end=period.end_date, params=params))
            if indicator.cumulative and period is not periods[0]
            else actual
        )
        period_rows.append(PeriodProgress(period, period.target, actual, running_target, running))
    target, actual = _overall(indicator, period_rows)
    found_breakdowns = {}
    for disaggregation in indicator.disaggregations if breakdowns else []:
        start = first if indicator.cumulative else periods[-1].start_date
        found = metric.value(
            programme=programme,
            start=start,
            end=periods[-1].end_date,
            disaggregate_by=disaggregation,
            params=params,
        )
        found_breakdowns[disaggregation] = {k: Decimal(v) for k, v in found.items()}
    return IndicatorProgress(indicator, period_rows, target, actual, found_breakdowns)


def _overall(indicator: Indicator, rows: list[PeriodProgress]) -> tuple[Decimal | None, Decimal | None]:
    if not rows:
        return None, None
    if indicator.cumulative:
        return rows[-1].cumulative_target, rows[-1].cumulative_actual
    reported = [r for r in rows if r.actual is not None]
    latest = reported[-1] if reported else rows[-1]
    return latest.target, latest.actual


def _label_breakdowns(indicators: list[IndicatorProgress]) -> None:
    """Turn {category: value} into labelled shares; province names are read once if needed."""
    labels: dict[str, dict[str, str]] = {}
    for item in indicators:
        for disaggregation, sums in item.breakdowns.items():
            if disaggregation not in labels:
                labels[disaggregation] = dict(category_choices(disaggregation))
            total = sum(sums.values())
            metric = get_metric(item.indicator.metric_key) if item.indicator.metric_key else None
            unknown = metric.unknown.get(disaggregation) if metric else None
            shares = []
            for category, value in sorted(sums.items(), key=lambda kv: -kv[1]):
                if category:
                    label, fix_url = labels[disaggregation].get(category, category), None
                elif unknown:  # those not classified yet: said so, with where to classify them
                    label, fix_url = unknown.label, unknown.fix_url(item.indicator.programme)
                else:
                    label, fix_url = _("Chưa rõ"), None
                shares.append(Share(category, label, value, percent(value, total), fix_url))
            item.breakdowns[disaggregation] = shares


def _indicator_items(
    indicators: list[Indicator], values: QuerySet[IndicatorValue], *, breakdowns: bool = True
) -> list[IndicatorProgress]:
    """Progress of indicators whose periods are prefetched and whose programme is set."""
    totals = _approved_totals(values)
    pending = _pending_counts(values)
    results = []
    for indicator in indicators:
        periods = list(indicator.periods.all())
        if indicator.source == Indicator.Source.METRIC:
            item = _metric_progress(indicator, periods, breakdowns=breakdowns)
        else:
            item = _manual_progress(indicator, periods, totals.get(indicator.pk, {}))
            if not breakdowns:
                item.breakdowns = {}
        item.pending = pending.get(indicator.pk, 0)
        results.append(item)
    if breakdowns:
        _label_breakdowns(results)
    return results


def indicators_progress(programme: Programme, indicators) -> list[IndicatorProgress]:
    """Progress of some indicators of one programme (an activity's, or a single one)."""
    indicators = list(indicators.prefetch_related("periods") if isinstance(indicators, QuerySet) else indicators)
    for indicator in indicators:
        indicator.programme = programme  # already loaded: spare the metric a query
    values = IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators])
    return _indicator_items(indicators, values)


def programme_progress(programme: Programme) -> ProgrammeProgress:
    objectives = list(programme.objectives.all())
    activities = list(programme.activities.select_related("responsible").prefetch_related("places"))
    indicators = list(programme.indicators.prefetch_related("periods"))
    for indicator in indicators:
        indicator.programme = programme  # already loaded: spare the metric a query
    results = _indicator_items(indicators, IndicatorValue.objects.filter(indicator__programme=programme))

    by_activity: dict[int, list[IndicatorProgress]] = defaultdict(list)
    by_objective: dict[int | None, list[IndicatorProgress]] = defaultdict(list)
    for item in results:
        if item.indicator.activity_id:
            by_activity[item.indicator.activity_id].append(item)
        else:
            by_objective[item.indicator.objective_id].append(item)
    activities_by_objective: dict[int | None, list[ActivityProgress]] = defaultdict(list)
    for activity in activities:
        activities_by_objective[activity.objective_id].append(ActivityProgress(activity, by_activity[activity.pk]))

    tree = [
        ObjectiveProgress(objective, activities_by_objective[objective.pk], by_objective[objective.pk])
        for objective in objectives
    ]
    if activities_by_objective[None] or by_objective[None]:
        tree.append(ObjectiveProgress(None, activities_by_objective[None], by_objective[None]))
    return ProgrammeProgress(programme, tree, results, sum(item.pending for item in results))


@dataclass
class ProgrammeSummary:
    percent: Decimal | None
    pending: int


def programmes_summary(programmes: list[Programme]) -> dict[int, ProgrammeSummary]:
    """Overall progress and waiting values of several programmes at once, for a list page:
    the same few queries however many programmes (plus the metric indicators' own)."""
    by_pk = {p.pk: p for p in programmes}
    indicators = list(Indicator.objects.filter(programme__in=list(by_pk)).prefetch_related("periods"))
    for indicator in indicators:
        indicator.programme = by_pk[indicator.programme_id]
    values = IndicatorValue.objects.filter(indicator__programme__in=list(by_pk))
    items: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for item in _indicator_items(indicators, values, breakdowns=False):
        items[item.indicator.programme_id].append(item)
    return {
        pk: ProgrammeSummary(_mean_capped([i.percent for i in items[pk]]), sum(i.pending for i in items[pk]))
        for pk in by_pk
    }
