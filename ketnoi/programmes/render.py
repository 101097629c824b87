"""The dashboard's repeated pieces drawn in Python, once per indicator (issue 14, at scale).

A programme with 50 indicators of 12 periods each drew about 11,500 template pieces (an include,
a filter, a tag per bar and per figure): most of the dashboard's time. These functions write the
same markup as the templates did (`_progress.html`, `_chart.html`, `_periods_table.html`), with
every text escaped by `format_html` / `conditional_escape`, figures through `ketnoi.core.figures`
and dates in the reader's short format. The templates keep including them through the tags in
`programme_tags` (`{% progress_bar %}`, `{% chart_svg %}`, `{% periods_table %}`), so there is
one way each piece is drawn.
"""

from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketnoi.core.figures import percent_text

from .charts import Chart, _number_in
from .progress import IndicatorProgress


@lru_cache(maxsize=2048)
def _percent_in(value: Decimal, language: str | None) -> str:
    return percent_text(value)


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else _percent_in(value, get_language())


def bar_value(percent: Decimal | None) -> Decimal:
    """A percentage as a <progress> value: over-achievement fills the bar, it cannot overflow it."""
    if percent is None:
        return Decimal(0)
    return max(Decimal(0), min(Decimal(percent), Decimal(100)))


def progress_bar(percent: Decimal | None, label: str) -> SafeString:
    if percent is not None:
        shown = conditional_escape(_percent(percent))
    else:
        shown = format_html('<span class="muted">{}</span>', _("chưa có số liệu"))
    return format_html(
        '<div class="kn-progress">\n  <progress value="{}" max="100" aria-label="{}"></progress>\n'
        '  <span class="figure">{}</span>\n</div>\n',
        str(bar_value(percent)),
        label,
        shown,
    )


def chart_svg(chart: Chart, chart_id) -> SafeString:
    """The SVG chart of an indicator with its legend (coordinates are already plain strings)."""
    esc = conditional_escape
    cid = esc(chart_id)
    parts = [
        '<figure class="kn-chart">\n  ',
        f'<svg viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="chart-{cid}-title chart-{cid}-desc" xmlns="http://www.w3.org/2000/svg">\n',
        f'    <title id="chart-{cid}-title">{esc(chart.title)}</title>\n',
        f'    <desc id="chart-{cid}-desc">{esc(chart.desc)}</desc>\n',
    ]
    tick_x = chart.left - 4
    for tick in chart.ticks:
        parts.append(
            f'    <line class="grid" x1="{chart.left}" x2="{chart.right_edge}" y1="{tick.y}" y2="{tick.y}"></line>\n'
            f'    <text class="tick" x="{tick_x}" y="{tick.y}" text-anchor="end" dominant-baseline="middle">'
            f"{esc(tick.label)}</text>\n"
        )
    for column in chart.columns:
        t = column.target
        parts.append(
            f'    <g class="column"><title>{esc(column.text)}</title>'
            f'<rect class="bar-target" x="{t.x}" y="{t.y}" width="{t.width}" height="{t.height}"></rect>'
        )
        if column.actual:
            a = column.actual
            parts.append(f'<rect class="bar-actual" x="{a.x}" y="{a.y}" width="{a.width}" height="{a.height}"></rect>')
        if column.show_label:
            parts.append(f'<text class="period" x="{column.label_x}" y="{chart.label_y}" text-anchor="middle">')
            for index, line in enumerate(column.label_lines):
                dy = f' dy="{chart.line}"' if index else ""
                parts.append(f'<tspan x="{column.label_x}"{dy}>{esc(line)}</tspan>')
            parts.append("</text>")
        parts.append("</g>\n")
    if chart.cumulative:
        target_label, actual_label = _("Chỉ tiêu luỹ kế"), _("Thực hiện luỹ kế")
    else:
        target_label, actual_label = _("Chỉ tiêu"), _("Thực hiện")
    parts.append(
        "  </svg>\n"
        '  <figcaption class="legend">\n'
        f'    <span><span class="swatch swatch-target" aria-hidden="true"></span> {esc(target_label)}</span>\n'
        f'    <span><span class="swatch swatch-actual" aria-hidden="true"></span> {esc(actual_label)}</span>\n'
        "  </figcaption>\n</figure>\n"
    )
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


@lru_cache(maxsize=2048)
def _short_date_in(day: date, language: str | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def short_date(day: date) -> str:
    """A date in the reader's short format, remembered per date and language (periods of the
    indicators of a programme mostly share their dates)."""
    return _short_date_in(day, get_language())


def periods_table(item: IndicatorProgress) -> SafeString:
    """The figures behind the chart: one row per period (running totals when cumulative)."""
    esc = conditional_escape
    cumulative = item.indicator.cumulative
    target_h, actual_h = esc(_("Chỉ tiêu")), esc(_("Thực hiện"))
    head = [
        f'<th scope="col">{esc(_("Kỳ"))}</th><th scope="col">{target_h}</th>'
        f'<th scope="col">{actual_h}</th><th scope="col">%</th>'
    ]
    cum_target_h = cum_actual_h = ""
    if cumulative:
        cum_target_h, cum_actual_h = esc(_("Chỉ tiêu luỹ kế")), esc(_("Thực hiện luỹ kế"))
        head.append(f'<th scope="col">{cum_target_h}</th><th scope="col">{cum_actual_h}</th>')
    parts = ['<div class="table-wrap"><table class="periods kn-cards">\n  <thead><tr>', *head]
    parts.append("</tr></thead>\n  <tbody>")
    lang = get_language()  # once: the remembered figures and dates are per language

    def fig(value) -> str:
        return "—" if value is None else _number_in(value, lang)

    for row in item.periods:
        period = row.period
        dates = f"{_short_date_in(period.start_date, lang)}–{_short_date_in(period.end_date, lang)}"
        share = row.percent
        parts.append(
            f'\n    <tr><th scope="row">{esc(period.label)} <small class="muted">{esc(dates)}</small></th>'
            f'<td class="figure" data-label="{target_h}">{esc(fig(row.target))}</td>'
            f'<td class="figure" data-label="{actual_h}">{esc(fig(row.actual))}</td>'
            f'<td class="figure" data-label="%">{esc("—" if share is None else _percent_in(share, lang))}</td>'
        )
        if cumulative:
            parts.append(
                f'<td class="figure" data-label="{cum_target_h}">{esc(fig(row.cumulative_target))}</td>'
                f'<td class="figure" data-label="{cum_actual_h}">{esc(fig(row.cumulative_actual))}</td>'
            )
        parts.append("</tr>")
    parts.append("\n  </tbody>\n</table></div>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
