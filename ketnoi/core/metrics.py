"""What the apps' indicator metrics (`core.registry.register_metric`) share when they count: the
condition of a reporting period, and counts by category for a disaggregated value."""

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.aggregates import Aggregate
from django.utils import timezone


def in_period(field: str, start: date | None, end: date | None, *, moment: bool = False) -> Q:
    """`field` from `start` to `end`, both days included (either may be None: no bound). A
    `moment` field (a datetime) is compared with the first and last instant of those days in the
    current time zone."""
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": timezone.make_aware(datetime.combine(start, time.min)) if moment else start})
    if end is not None:
        condition &= Q(**{f"{field}__lte": timezone.make_aware(datetime.combine(end, time.max)) if moment else end})
    return condition


def counts_by(queryset, field: str, count: Aggregate | None = None) -> dict[str, int]:
    """{category: n} for the values of `field` (an empty or missing one as ""), `n` being
    `count` (the rows, by default)."""
    rows = queryset.values(field).annotate(n=count or Count("pk")).order_by(field)
    return {row[field] or "": row["n"] for row in rows}
