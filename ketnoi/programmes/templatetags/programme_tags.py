"""Small display helpers for programme pages: percentages, labels of codes."""

from decimal import Decimal

from django import template

from ketnoi.core.registry import get_metric

from ..charts import number
from ..models import Disaggregation

register = template.Library()


@register.filter
def bar_value(percent: Decimal | None) -> Decimal:
    """A percentage as a <progress> value: over-achievement fills the bar, it cannot overflow it."""
    if percent is None:
        return Decimal(0)
    return max(Decimal(0), min(Decimal(percent), Decimal(100)))


@register.filter
def disaggregation_label(key: str) -> str:
    return Disaggregation(key).label if key in Disaggregation.values else key


@register.filter
def metric_label(key: str) -> str:
    metric = get_metric(key)
    return str(metric.label) if metric else key


@register.filter
def num(value) -> str:
    """A figure with at most two decimals and no trailing zeros: 40, 4,5."""
    return number(value)
