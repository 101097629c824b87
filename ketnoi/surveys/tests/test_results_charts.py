"""Survey chart labels on a phone: wrapped by how wide they are drawn, so a label in capitals or
a bold heading does not run past the chart's right edge (the bar's <title> keeps it whole)."""

from ketnoi.surveys.results_charts import WIDTH, BarGroup, BarSpec, draw, text_width

CAPITALS = "TRUNG TÂM NGHIÊN CỨU QUẢN LÝ VÀ PHÁT TRIỂN BỀN VỮNG (MSD) VÀ HỘI BẢO VỆ QUYỀN TRẺ EM"


def test_a_label_in_capitals_wraps_inside_the_chart():
    chart = draw("q", "t", [BarGroup("", [BarSpec(CAPITALS, 0.5, "3 · 50 %")])])
    lines = [line.text for bar in chart.bars for line in bar.lines]
    assert len(lines) == 2
    assert all(text_width(line) <= WIDTH for line in lines), [(line, text_width(line)) for line in lines]
    assert chart.bars[0].spoken.startswith(CAPITALS)


def test_a_bold_group_heading_wraps_inside_the_chart():
    chart = draw("q", "t", [BarGroup(CAPITALS, [BarSpec("HN01", 0.5, "4 (2 người)")])])
    assert all(text_width(h.text) * 1.1 <= WIDTH for h in chart.headings)
    assert chart.desc.startswith(CAPITALS)
