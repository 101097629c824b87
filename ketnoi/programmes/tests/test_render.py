"""The dashboard's pieces drawn in Python (programmes.render): every text escaped, figures and
dates in the reader's language, the same markup the templates drew."""

from datetime import date
from decimal import Decimal

from django.utils import translation

from ketnoi.programmes import render
from ketnoi.programmes.charts import period_chart
from ketnoi.programmes.models import Indicator, IndicatorPeriod
from ketnoi.programmes.progress import IndicatorProgress, PeriodProgress

BAD = '<script>alert("x")</script>'


def _item(cumulative: bool = True) -> IndicatorProgress:
    rows = [
        PeriodProgress(
            period=IndicatorPeriod(label=f"{BAD} {n}", start_date=date(2026, n, 1), end_date=date(2026, n, 28)),
            target=Decimal("1250.5"),
            actual=Decimal("4.25") if n == 1 else None,
            cumulative_target=Decimal("1250.5") * n,
            cumulative_actual=Decimal("4.25"),
        )
        for n in (1, 2)
    ]
    indicator = Indicator(pk=7, code=BAD, unit=BAD, cumulative=cumulative)
    return IndicatorProgress(indicator=indicator, periods=rows, target=None, actual=None)


def test_chart_and_table_escape_every_text():
    item = _item()
    with translation.override("vi"):
        svg = render.chart_svg(period_chart(item), BAD)
        table = render.periods_table(item)
        bar = render.progress_bar(None, BAD)
    for html in (svg, table, bar):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def test_table_writes_figures_percentages_and_dates_in_the_readers_language():
    item = _item()
    with translation.override("vi"):
        table = render.periods_table(item)
    assert '<td class="figure" data-label="Chỉ tiêu">1250,5</td>' in table
    assert '<td class="figure" data-label="Thực hiện">4,25</td>' in table
    assert "01/01/2026–28/01/2026" in table
    assert "Thực hiện luỹ kế" in table  # the cumulative columns
    assert '<td class="figure" data-label="Thực hiện">—</td>' in table  # a period without a value
    with translation.override("en"):
        table = render.periods_table(item)
    assert ">1250.5</td>" in table and ">4.25</td>" in table


def test_progress_bar_caps_the_bar_and_says_the_figure():
    with translation.override("vi"):
        html = render.progress_bar(Decimal("137.5"), "Tiến độ")
    assert 'value="100"' in html and "137,5%" in html
    with translation.override("vi"):
        assert "chưa có số liệu" in render.progress_bar(None, "Tiến độ")
