"""Geometry of the small server-rendered SVG chart of an indicator: target against actual per
period (running totals for a cumulative indicator). No JavaScript; the period table beside it is
the accessible fallback, and the chart carries its own <title> and <desc>.

Coordinates are plain strings with a point as decimal mark, so that no locale formatting can
turn "12.5" into "12,5" inside an SVG attribute.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ketnoi.core.figures import number_text

from .progress import IndicatorProgress

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 6, 10, 30
MAX_LABELS = 6


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str


@dataclass
class Column:
    label: str
    label_x: str
    show_label: bool
    target: Bar
    actual: Bar | None
    text: str  # what the column says, for its own <title>


@dataclass
class Tick:
    y: str
    label: str


@dataclass
class Chart:
    title: str
    desc: str
    cumulative: bool
    columns: list[Column]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline_y: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 14


def _coord(value: float) -> str:
    return f"{value:.1f}"


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above value, so axis labels read round."""
    if value <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * base >= value:
            return step * base
    return 10 * base  # pragma: no cover - the loop always returns


def number(value: Decimal | float | int | None) -> str:
    """A figure as people read it here: 40, 4,5, 4,25 (ketnoi.core.figures)."""
    return number_text(value, 2)


def _short(label: str, limit: int = 10) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def period_chart(item: IndicatorProgress) -> Chart | None:
    if not item.periods:
        return None
    cumulative = item.indicator.cumulative
    points = [
        (
            row.period.label,
            row.cumulative_target if cumulative else row.target,
            row.cumulative_actual if cumulative else row.actual,
        )
        for row in item.periods
    ]
    largest = max(float(v) for _label, target, actual in points for v in (target, actual) if v is not None)
    top = _nice_ceiling(largest)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    every = math.ceil(len(points) / MAX_LABELS)

    def bar(value, x: float, width: float) -> Bar:
        height = plot_height * float(value) / top
        return Bar(_coord(x), _coord(HEIGHT - BOTTOM - height), _coord(width), _coord(height))

    columns, sentences = [], []
    for index, (label, target, actual) in enumerate(points):
        x = LEFT + index * slot
        text = _("%(period)s: chỉ tiêu %(target)s, thực hiện %(actual)s") % {
            "period": label,
            "target": number(target),
            "actual": number(actual) if actual is not None else _("chưa có số liệu"),
        }
        sentences.append(text)
        columns.append(
            Column(
                label=_short(label),
                label_x=_coord(x + slot / 2),
                show_label=index % every == 0,
                target=bar(target, x + slot * 0.12, slot * 0.76),
                actual=bar(actual, x + slot * 0.3, slot * 0.4) if actual is not None else None,
                text=text,
            )
        )
    ticks = [Tick(_coord(HEIGHT - BOTTOM - plot_height * f), number(top * f)) for f in (0, 0.5, 1)]
    indicator = item.indicator
    if cumulative:
        title = _("%(code)s: chỉ tiêu và thực hiện lũy kế theo kỳ (%(unit)s)")
    else:
        title = _("%(code)s: chỉ tiêu và thực hiện theo kỳ (%(unit)s)")
    title %= {"code": indicator.code, "unit": indicator.unit}
    return Chart(title=title, desc="; ".join(sentences) + ".", cumulative=cumulative, columns=columns, ticks=ticks)
