"""An indicator's chart on a phone: period labels whole when they fit, on two lines or shortened
(the column's <title> keeping them whole) when they do not, never past the chart's edges; the axis
leaves room for its widest figure."""

from decimal import Decimal

from django.template.loader import render_to_string

from ketnoi.programmes.charts import HEIGHT, WIDTH, period_chart, text_width
from ketnoi.programmes.models import Indicator, IndicatorPeriod
from ketnoi.programmes.progress import IndicatorProgress, PeriodProgress


def _item(labels: list[str], targets: list[int] | None = None, cumulative: bool = False) -> IndicatorProgress:
    targets = targets or [10] * len(labels)
    rows = [
        PeriodProgress(
            period=IndicatorPeriod(label=label),
            target=Decimal(target),
            actual=Decimal(target) / 2,
            cumulative_target=Decimal(target),
            cumulative_actual=Decimal(target) / 2,
        )
        for label, target in zip(labels, targets, strict=True)
    ]
    indicator = Indicator(code="CT1", unit="tiết", cumulative=cumulative)
    return IndicatorProgress(indicator=indicator, periods=rows, target=None, actual=None)


def _inside(chart) -> None:
    """Every drawn label fits in the chart, and in the room its column leaves."""
    shown = [c for c in chart.columns if c.show_label]
    every = len(chart.columns) // len(shown) if len(shown) > 1 else 1
    slot = (chart.right_edge - chart.left) / len(chart.columns)
    for column in shown:
        widest = max(text_width(line) for line in column.label_lines)
        assert widest <= slot * every, (column.label_lines, slot * every)
        middle = float(column.label_x)
        assert middle - widest / 2 >= 0 and middle + widest / 2 <= WIDTH, (column.label_lines, middle)


def test_semester_labels_are_drawn_whole():
    chart = period_chart(_item(["HK1 2017–2018", "HK2 2017–2018"]))
    assert [c.label_lines for c in chart.columns] == [["HK1 2017–2018"], ["HK2 2017–2018"]]
    assert chart.height == HEIGHT
    _inside(chart)


def test_labels_too_long_for_their_column_go_on_two_lines_and_the_chart_grows():
    labels = [f"Học kỳ {n} năm 2018" for n in range(1, 7)]
    chart = period_chart(_item(labels))
    assert chart.columns[0].label_lines == ["Học kỳ 1", "năm 2018"]
    assert chart.height > HEIGHT  # room for the second line
    _inside(chart)
    html = render_to_string("programmes/_chart.html", {"chart": chart, "chart_id": "t"})
    assert "<tspan" in html and "năm 2018</tspan>" in html
    # The column's own title still says the whole label.
    assert "Học kỳ 1 năm 2018: chỉ tiêu 10" in html


def test_many_periods_keep_every_shown_label_inside_the_chart():
    labels = [f"Tháng {m}/2018" for m in range(1, 13)]
    chart = period_chart(_item(labels))
    assert [c.show_label for c in chart.columns] == [True, False] * 6
    _inside(chart)


def test_a_word_too_long_for_its_column_is_shortened_and_the_title_keeps_it():
    labels = ["Giaiđoạnkhởiđộngchươngtrình", "2018", "2019", "2020", "2021", "2022"]
    chart = period_chart(_item(labels))
    first = chart.columns[0]
    assert len(first.label_lines) == 1 and first.label_lines[0].endswith("…")
    assert first.text.startswith("Giaiđoạnkhởiđộngchươngtrình:")
    _inside(chart)


def test_the_axis_makes_room_for_its_widest_figure():
    chart = period_chart(_item(["2017", "2018"], targets=[1200000, 2500000]))
    widest = max(text_width(t.label) for t in chart.ticks)
    # Tick labels end 4 units left of the axis, so they start at or right of the chart's edge.
    assert chart.left - 4 - widest >= 0
