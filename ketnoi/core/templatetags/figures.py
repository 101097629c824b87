"""`{% load figures %}`: the one way a template writes a figure (ketnoi.core.figures)."""

from django import template

from ketnoi.core.figures import number_text, percent_text

register = template.Library()


@register.filter
def percent(value, places: int = 1) -> str:
    """{{ 37.5|percent }} → 37,5% (vi) / 37.5% (en); {{ x|percent:0 }} rounds to whole percents."""
    return percent_text(value, int(places))


@register.filter
def figure(value, places: int = 2) -> str:
    """{{ 4.25|figure }} → 4,25 (vi) / 4.25 (en): at most two decimals, no trailing zeros."""
    return number_text(value, int(places))
