"""Small display helpers for programme pages: percentages, labels of codes."""

from decimal import Decimal

from django import template

from ketnoi.core.registry import get_metric

from .. import render
from ..charts import number
from ..models import Disaggregation

register = template.Library()


@register.filter
def bar_value(percent: Decimal | None) -> Decimal:
    """A percentage as a <progress> value: over-achievement fills the bar, it cannot overflow it."""
    return render.bar_value(percent)


@register.simple_tag
def progress_bar(percent: Decimal | None, label: str):
    """{% progress_bar percent label %}: the bar with its figure (programmes.render)."""
    return render.progress_bar(percent, label)


@register.simple_tag
def chart_svg(chart, chart_id):
    """{% chart_svg chart chart_id %}: an indicator's SVG chart and legend (programmes.render)."""
    return render.chart_svg(chart, chart_id)


@register.simple_tag
def periods_table(item):
    """{% periods_table item %}: an indicator's figures per period (programmes.render)."""
    return render.periods_table(item)


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
