"""A programme's children, read within the programme: the web pages and the API fetch through
these, so an id that belongs to another programme is simply not found (a 404)."""

from django.db.models import QuerySet

from .models import Activity, Agreement, Indicator, IndicatorValue, Objective, Programme


def agreements_of(programme: Programme) -> QuerySet[Agreement]:
    return programme.agreements.select_related("component").prefetch_related("parties")


def objectives_of(programme: Programme) -> QuerySet[Objective]:
    return programme.objectives.select_related("agreement")


def activities_of(programme: Programme) -> QuerySet[Activity]:
    return programme.activities.select_related("objective", "agreement", "responsible").prefetch_related("places")


def indicators_of(programme: Programme) -> QuerySet[Indicator]:
    return programme.indicators.select_related("objective", "activity")


def values_of(programme: Programme) -> QuerySet[IndicatorValue]:
    """The hand-entered values of the programme's indicators."""
    return IndicatorValue.objects.filter(indicator__programme=programme).select_related(
        "indicator", "period", "created_by", "reviewed_by"
    )
