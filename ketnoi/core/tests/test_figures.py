"""One way to write a figure and a percentage, in each language: "91%" without a space in both
(as CLDR writes it for vi and en), with the language's decimal mark."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from ketnoi.core.figures import number_text, percent_text


@pytest.mark.parametrize(
    ("value", "places", "vi", "en"),
    [
        (91, 1, "91%", "91%"),
        (Decimal("37.5"), 1, "37,5%", "37.5%"),
        (Decimal("100.0"), 1, "100%", "100%"),
        (42.857, 0, "43%", "43%"),
        (12.5, 0, "13%", "13%"),  # half up, as people round
        (0, 0, "0%", "0%"),
        (-0.2, 0, "0%", "0%"),  # never "-0%"
        (None, 1, "—", "—"),
    ],
)
def test_percent_text_in_both_languages(value, places, vi, en):
    with translation.override("vi"):
        assert percent_text(value, places) == vi
    with translation.override("en"):
        assert percent_text(value, places) == en


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (40, "40", "40"),
        (Decimal("40.00"), "40", "40"),
        ("4.5", "4,5", "4.5"),
        (4.256, "4,26", "4.26"),
        (None, "—", "—"),
    ],
)
def test_number_text_in_both_languages(value, vi, en):
    with translation.override("vi"):
        assert number_text(value) == vi
    with translation.override("en"):
        assert number_text(value) == en


def test_the_template_filters():
    template = Template("{% load figures %}{{ a|percent }} · {{ b|percent:0 }} · {{ c|figure }}")
    context = Context({"a": Decimal("37.5"), "b": 91.4, "c": Decimal("4.50")})
    with translation.override("en"):
        assert template.render(context) == "37.5% · 91% · 4.5"
    with translation.override("vi"):
        assert template.render(context) == "37,5% · 91% · 4,5"
