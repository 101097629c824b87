"""Geometry of the results charts: horizontal bars drawn as inline SVG on the server, each
with its label above it and its figures written on it, so a chart reads at a glance on a phone
and needs no JavaScript. Every chart has a <title> and a <desc> that holds all its numbers.

Coordinates are strings with a point as decimal mark, so locale formatting never reaches an
SVG attribute; figures meant for people use the local decimal comma.
"""

import textwrap
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ketnoi.core.figures import percent_text as core_percent_text

from . import definition as d
from .results import Group, Question, QuestionResult, Results, Stats
from .results_compare import CompareRow, Comparison, compare_label
from .results_questions import DATETIME, RANK, REPEAT, TIME

WIDTH = 320
FONT = 12  # label size in SVG units (the chart is drawn about as wide as a phone's screen)
LINE = 15  # label line height
BAR = 18
GAP = 9
HEADING = 19
CHARS_PER_LINE = 46  # about what fits in WIDTH at FONT
INLINE_CHARS = 14  # labels this short stand left of their bars instead of above them
TONES = 6


def number_text(value: Any, places: int = 2) -> str:
    """A figure as people read it here: 4, 4,5, 4,25, 12.000 (at most `places` decimals)."""
    if value is None:
        return "—"
    text = f"{float(value):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return number_format(text, force_grouping=True)


def percent_text(value: float | None) -> str:
    return core_percent_text(value, 0)


def _coord(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Line:
    y: str
    text: str


@dataclass
class DrawnBar:
    lines: list[Line]
    x: str
    y: str
    track_width: str
    width: str
    text: str
    text_x: str
    text_y: str
    inside: bool
    tone: int
    spoken: str  # label and figures, for the bar's own <title>


@dataclass
class Heading:
    y: str
    text: str


@dataclass
class Chart:
    key: str
    title: str
    desc: str
    height: int
    bars: list[DrawnBar] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    width: int = WIDTH
    bar_height: int = BAR
    font: int = FONT

    @property
    def svg(self) -> str:
        """The chart as inline SVG. Written here rather than in a template: a split page draws
        thousands of bars, and a template spent ten times longer on them than this."""
        key, h = escape(self.key), self.bar_height
        parts = [
            f'<svg viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="chart-{key}-title chart-{key}-desc" xmlns="http://www.w3.org/2000/svg" '
            f'font-size="{self.font}"><title id="chart-{key}-title">{escape(self.title)}</title>'
            f'<desc id="chart-{key}-desc">{escape(self.desc)}</desc>'
        ]
        parts += [f'<text class="sv-heading" x="0" y="{x.y}">{escape(x.text)}</text>' for x in self.headings]
        for bar in self.bars:
            lines = "".join(
                f'<text class="sv-label" x="0" y="{line.y}">{escape(line.text)}</text>' for line in bar.lines
            )
            inside = (" sv-inside", ' text-anchor="end"') if bar.inside else ("", "")
            parts.append(
                f'<g class="sv-bar sv-tone-{bar.tone}"><title>{escape(bar.spoken)}</title>{lines}'
                f'<rect class="sv-track" x="{bar.x}" y="{bar.y}" width="{bar.track_width}" height="{h}" rx="2"></rect>'
                f'<rect class="sv-fill" x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{h}" rx="2"></rect>'
                f'<text class="sv-value{inside[0]}" x="{bar.text_x}" y="{bar.text_y}" dominant-baseline="central"'
                f"{inside[1]}>{escape(bar.text)}</text></g>"
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


@dataclass
class BarSpec:
    label: str
    fraction: float  # of the full width, 0..1
    text: str  # the figures written on the bar
    tone: int = 0


@dataclass
class BarGroup:
    heading: str
    bars: list[BarSpec]


def text_width(text: str) -> float:
    """Roughly how wide `text` is at FONT in a sans-serif face, to place labels and figures."""
    return sum(8.2 if c.isupper() else 7.0 if c.isdigit() else 3.6 if c in " .,·()" else 6.6 for c in text)


def _wrap(label: str, bold: bool = False) -> list[str]:
    """A label in at most two lines that fit the chart's width (the bar's <title> keeps it whole):
    fewer characters a line when wide letters (capitals, bold headings) would pass the edge."""
    room = WIDTH - 2
    chars = CHARS_PER_LINE
    while True:
        lines = textwrap.wrap(label, chars) or [""]
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), chars, placeholder="…")]
        if chars <= 12 or all(text_width(line) * (1.1 if bold else 1) <= room for line in lines):
            return lines
        chars -= 3


def draw(key: str, title: str, groups: list[BarGroup]) -> Chart:
    """Lay out the bars top to bottom: a group's heading, then each bar with its label — left
    of the bar when every label is short, above it otherwise."""
    chart = Chart(key=key, title=title, desc="", height=0)
    labels = [spec.label for group in groups for spec in group.bars]
    longest = max((len(label) for label in labels), default=0)
    widest = max((text_width(label) for label in labels), default=0)
    # Labels stand left of their bars only when every one fits in the 120 units left of them.
    left = widest + 10 if longest <= INLINE_CHARS and widest + 10 <= 120 else 0.0
    room = WIDTH - left
    spoken_groups = []
    y = 2.0
    for group in groups:
        if group.heading:
            for text in _wrap(group.heading, bold=True):
                chart.headings.append(Heading(_coord(y + 13), text))
                y += HEADING
        spoken = []
        for spec in group.bars:
            lines = []
            if left:
                lines.append(Line(_coord(y + BAR / 2 + FONT * 0.35), spec.label))
            else:
                for text in _wrap(spec.label):
                    lines.append(Line(_coord(y + FONT), text))
                    y += LINE
            width = max(0.0, min(1.0, spec.fraction)) * room
            inside = width >= text_width(spec.text) + 10
            text_x = left + width - 4 if inside else left + width + 4
            chart.bars.append(
                DrawnBar(
                    lines=lines,
                    x=_coord(left),
                    y=_coord(y),
                    track_width=_coord(room),
                    width=_coord(width),
                    text=spec.text,
                    text_x=_coord(text_x),
                    text_y=_coord(y + BAR / 2),
                    inside=inside,
                    tone=spec.tone % TONES,
                    spoken=f"{spec.label}: {spec.text}",
                )
            )
            spoken.append(f"{spec.label}: {spec.text}")
            y += BAR + GAP
        spoken_groups.append((f"{group.heading}: " if group.heading else "") + "; ".join(spoken))
    chart.desc = ". ".join(spoken_groups)
    chart.height = int(y + 2)
    return chart


def _count_text(count: int, percent: float | None) -> str:
    return f"{number_text(count)} · {percent_text(percent)}"


def _mean_text(mean: float | None, answered: int) -> str:
    return _("%(mean)s (%(n)s người)") % {"mean": number_text(mean), "n": number_text(answered)}


def _mean_fraction(mean: float | None, high: float | None) -> float:
    if mean is None or not high or high <= 0:
        return 0.0
    return max(0.0, mean) / high


def _distribution(stats: Stats, tone: int = 0) -> list[BarSpec]:
    return [BarSpec(b.label, (b.percent or 0) / 100, _count_text(b.count, b.percent), tone) for b in stats.bars]


def question_charts(result: QuestionResult, results: Results) -> list[Chart]:
    question = result.question
    groups = results.groups
    key = question.name
    if question.kind == d.MATRIX:
        return [_matrix_chart(result, groups)]
    if not results.is_split:
        stats = result.groups[0] if result.groups else None
        if stats is None or not stats.answered or not stats.bars:
            return []
        if question.kind == RANK:
            title = _("Số lần được xếp thứ nhất: %(q)s") % {"q": question.label}
        elif question.kind == REPEAT:
            title = _("Số dòng mỗi phiếu: %(q)s") % {"q": question.label}
        else:
            title = _("Phân bố câu trả lời: %(q)s") % {"q": question.label}
        return [draw(key, title, [BarGroup("", _distribution(stats))])]
    if question.is_choice or question.kind in (d.DATE, TIME, DATETIME, RANK):
        # One heading per choice (or date), a bar per category beneath it, side by side.
        codes = []
        for stats in result.groups:
            codes += [b.code for b in stats.bars if b.code not in codes]
        bar_groups = []
        for code in codes:
            specs = []
            label = ""
            for index, (group, stats) in enumerate(zip(groups, result.groups, strict=True)):
                bar = next((b for b in stats.bars if b.code == code), None)
                if bar is None:
                    continue
                label = bar.label
                specs.append(BarSpec(group.label, (bar.percent or 0) / 100, _count_text(bar.count, bar.percent), index))
            bar_groups.append(BarGroup(label, specs))
        if not any(s.answered for s in result.groups):
            return []
        title = _("%(q)s, theo %(split)s") % {"q": question.label, "split": results.split.label}
        return [draw(key, title, bar_groups)]
    if result.as_number:
        high = question.scale[1] if question.scale else max((s.maximum or 0) for s in result.groups)
        specs = [
            BarSpec(group.label, _mean_fraction(stats.mean, high), _mean_text(stats.mean, stats.answered), index)
            for index, (group, stats) in enumerate(zip(groups, result.groups, strict=True))
        ]
        if not any(s.answered for s in result.groups):
            return []
        title = _("Trung bình: %(q)s, theo %(split)s") % {"q": question.label, "split": results.split.label}
        return [draw(key, title, [BarGroup("", specs)])]
    return []


def _matrix_chart(result: QuestionResult, groups: list[Group]) -> Chart:
    question = result.question
    high = question.scale[1]
    if len(groups) == 1:
        specs = [
            BarSpec(
                item.item.label,
                _mean_fraction(item.groups[0].mean, high),
                _mean_text(item.groups[0].mean, item.groups[0].answered),
            )
            for item in result.items
        ]
        title = _("Điểm trung bình từng tiêu chí (thang %(low)s–%(high)s): %(q)s") % {
            "low": question.scale[0],
            "high": high,
            "q": question.label,
        }
        return draw(question.name, title, [BarGroup("", specs)])
    bar_groups = [
        BarGroup(
            item.item.label,
            [
                BarSpec(group.label, _mean_fraction(stats.mean, high), _mean_text(stats.mean, stats.answered), index)
                for index, (group, stats) in enumerate(zip(groups, item.groups, strict=True))
            ],
        )
        for item in result.items
    ]
    title = _("Điểm trung bình từng tiêu chí theo nhóm (thang %(low)s–%(high)s): %(q)s") % {
        "low": question.scale[0],
        "high": high,
        "q": question.label,
    }
    return draw(question.name, title, bar_groups)


@dataclass
class CompareSection:
    title: str
    chart: Chart


def compare_sections(comparison: Comparison) -> list[CompareSection]:
    """One chart per rating question, and one per matrix with a heading per item: the mean of
    each group as a bar."""
    sections: list[CompareSection] = []
    pending: list[CompareRow] = []
    if not comparison.groups:
        return sections

    def flush() -> None:
        if not pending:
            return
        first = pending[0]
        low, high = first.scale
        bar_groups = [
            BarGroup(
                row.label if first.heading else "",
                [
                    BarSpec(group.label, _mean_fraction(mean, high), _mean_text(mean, n), i)
                    for i, (group, (mean, n)) in enumerate(zip(comparison.groups, row.cells, strict=True))
                ],
            )
            for row in pending
        ]
        name = first.heading or first.label
        title = _("Điểm trung bình theo %(by)s (thang %(low)s–%(high)s): %(q)s") % {
            "by": comparison_by_label(comparison).lower(),
            "low": low,
            "high": high,
            "q": name,
        }
        sections.append(CompareSection(name, draw(f"compare-{len(sections)}", title, bar_groups)))
        pending.clear()

    for row in comparison.rows:
        if pending and (not row.heading or row.heading != pending[0].heading):
            flush()
        pending.append(row)
    flush()
    return sections


def comparison_by_label(comparison: Comparison) -> str:
    return compare_label(comparison.by)


def scale_text(question: Question) -> str:
    if not question.scale:
        return ""
    return _("thang %(low)s–%(high)s") % {"low": question.scale[0], "high": question.scale[1]}
