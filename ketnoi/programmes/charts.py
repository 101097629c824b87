"""Geometry of the small server-rendered SVG chart of an indicator: target against actual per
period (running totals for a cumulative indicator). No JavaScript; the period table beside it is
the accessible fallback, and the chart carries its own <title> and <desc>.

Coordinates are plain strings with a point as decimal mark, so that no locale formatting can
turn "12.5" into "12,5" inside an SVG attribute.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketnoi.core.figures import number_text

from .progress import IndicatorProgress

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 6, 10, 30
MAX_LABELS = 6
FONT = 10  # label size in SVG units; the chart is drawn about as wide as a phone's screen
LINE = 12  # a period label wraps onto a second line this far below the first


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
    label_lines: list[str]  # the label as drawn: one or two lines that fit the column's room
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
    line: int = LINE


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


@lru_cache(maxsize=4096)
def _number_in(value: Decimal | float | int, language: str | None) -> str:
    return number_text(value, 2)


def number(value: Decimal | float | int | None) -> str:
    """A figure as people read it here: 40, 4,5, 4,25 (ketnoi.core.figures). Remembered per value
    and language (a pure function of both; a dashboard writes the same targets hundreds of times)."""
    if value is None:
        return number_text(None)
    return _number_in(value, get_language())


def text_width(text: str) -> float:
    """Roughly how wide `text` is at FONT in a sans-serif face (upper case and digits wider
    than the rest), to fit labels in the room they have rather than cut them at the edge."""
    return sum(6.8 if c.isupper() else 5.6 if c.isdigit() else 3.0 if c in " .,:;·()/|-" else 5.4 for c in text)


def _fit(text: str, room: float) -> str:
    """`text`, cut with an ellipsis where it would pass `room` (the column's <title> keeps it whole)."""
    if text_width(text) <= room:
        return text
    while text and text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def label_lines(label: str, room: float) -> list[str]:
    """A period label in at most two lines no wider than `room`: whole if it fits, else broken
    at the space nearest its middle ("HK1" / "2017–2018"), else shortened."""
    if text_width(label) <= room:
        return [label]
    words = label.split()
    if len(words) > 1:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        first, second = min(splits, key=lambda pair: abs(text_width(pair[0]) - text_width(pair[1])))
        return [_fit(first, room), _fit(second, room)]
    return [_fit(label, room)]


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
    tick_labels = [number(top * f) for f in (0, 0.5, 1)]
    # The axis is as far in as its widest figure needs, so "12.500" is not cut at the left edge.
    left = max(24, math.ceil(max(text_width(t) for t in tick_labels)) + 8)
    every = math.ceil(len(points) / MAX_LABELS)
    slot = (WIDTH - left - RIGHT) / len(points)
    room = slot * every - 4
    lines_of = [label_lines(label, room) for label, _target, _actual in points]
    two_lines = any(len(lines) > 1 for index, lines in enumerate(lines_of) if index % every == 0)
    height = HEIGHT + (LINE if two_lines else 0)
    plot_height = HEIGHT - TOP - BOTTOM

    def label_x(x: float, lines: list[str]) -> float:
        """The middle of the column, moved in so a label near an edge stays inside the chart."""
        half = max(text_width(line) for line in lines) / 2
        return min(max(x, half + 1), WIDTH - half - 1)

    def bar(value, x: float, width: float) -> Bar:
        height = plot_height * float(value) / top
        return Bar(_coord(x), _coord(HEIGHT - BOTTOM - height), _coord(width), _coord(height))

    columns, sentences = [], []
    for index, (label, target, actual) in enumerate(points):
        x = left + index * slot
        text = _("%(period)s: chỉ tiêu %(target)s, thực hiện %(actual)s") % {
            "period": label,
            "target": number(target),
            "actual": number(actual) if actual is not None else _("chưa có số liệu"),
        }
        sentences.append(text)
        columns.append(
            Column(
                label=label,
                label_x=_coord(label_x(x + slot / 2, lines_of[index])),
                show_label=index % every == 0,
                label_lines=lines_of[index],
                target=bar(target, x + slot * 0.12, slot * 0.76),
                actual=bar(actual, x + slot * 0.3, slot * 0.4) if actual is not None else None,
                text=text,
            )
        )
    ticks = [
        Tick(_coord(HEIGHT - BOTTOM - plot_height * f), text) for f, text in zip((0, 0.5, 1), tick_labels, strict=True)
    ]
    indicator = item.indicator
    if cumulative:
        title = _("%(code)s: chỉ tiêu và thực hiện luỹ kế theo kỳ (%(unit)s)")
    else:
        title = _("%(code)s: chỉ tiêu và thực hiện theo kỳ (%(unit)s)")
    title %= {"code": indicator.code, "unit": indicator.unit}
    return Chart(
        title=title,
        desc="; ".join(sentences) + ".",
        cumulative=cumulative,
        columns=columns,
        ticks=ticks,
        height=height,
        left=left,
    )
