"""The dashboard as a workbook for donors: one row per indicator and period, and the breakdowns."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ketnoi.core.registry import get_metric

from .models import Disaggregation, Indicator
from .progress import IndicatorProgress, ProgrammeProgress

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _source(indicator: Indicator) -> str:
    if indicator.source == Indicator.Source.METRIC:
        metric = get_metric(indicator.metric_key)
        return _("Tự động: %(metric)s") % {"metric": metric.label if metric else indicator.metric_key}
    return _("Nhập tay, đã phê duyệt")


def _placed(progress: ProgrammeProgress):
    """(objective, activity, indicator progress) in dashboard order."""
    for branch in progress.objectives:
        objective = str(branch.objective) if branch.objective else ""
        for item in branch.indicators:
            yield objective, "", item
        for activity in branch.activities:
            for item in activity.indicators:
                yield objective, str(activity.activity), item


def _sheet(workbook: Workbook, title: str, headers: list[str], rows, widths: list[int], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # openpyxl turns any text starting with "=" into a formula: what people typed (an
            # indicator or activity name) must stay text, never run in the reader's spreadsheet.
            if cell.data_type == "f":
                cell.data_type = "s"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _indicator_rows(progress: ProgrammeProgress):
    for objective, activity, item in _placed(progress):
        indicator = item.indicator
        start = [objective, activity, indicator.code, indicator.name, indicator.unit]
        if not item.periods:
            yield [*start, "", None, None, None, _source(indicator)]
        for row in item.periods:
            yield [*start, row.period.label, row.target, row.actual, row.percent, _source(indicator)]


def _breakdown_rows(items: list[IndicatorProgress]):
    for item in items:
        name = f"{item.indicator.code} – {item.indicator.name}"
        for disaggregation, shares in item.breakdowns.items():
            for share in shares:
                yield [name, str(Disaggregation(disaggregation).label), share.label, share.value, share.share]


def programme_workbook(progress: ProgrammeProgress) -> bytes:
    workbook = Workbook()
    _sheet(
        workbook,
        _("Chỉ số"),
        [
            _("Mục tiêu"),
            _("Hoạt động"),
            _("Mã"),
            _("Chỉ số"),
            _("Đơn vị"),
            _("Kỳ"),
            _("Chỉ tiêu"),
            _("Thực hiện"),
            _("Tỉ lệ hoàn thành (%)"),
            _("Nguồn số liệu"),
        ],
        _indicator_rows(progress),
        [40, 40, 10, 50, 12, 16, 12, 12, 14, 36],
        first=True,
    )
    _sheet(
        workbook,
        _("Phân tách"),
        [_("Chỉ số"), _("Phân tách theo"), _("Nhóm"), _("Giá trị"), _("Tỉ lệ (%)")],
        _breakdown_rows(progress.indicators),
        [50, 20, 30, 12, 12],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
