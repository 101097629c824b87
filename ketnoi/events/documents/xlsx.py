"""The workshop documents as XLSX: the sign-in sheet and the attendance list.

- XLSX files are written by XlsxWriter; texts always stay texts (a name that starts with "="
  is never a formula), phone numbers keep their leading zero, check-in times are real
  date-times formatted dd/mm/yyyy hh:mm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.worksheet import Worksheet

from .common import (
    Attendee,
    WorkshopInfo,
    _blank_numbers,
    _clean,
    _local,
    _place,
    _signin_cells,
    _signin_headings,
    _when,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

A4 = 9  # Excel's paper size code


def _workbook(buffer: BytesIO) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def _print_text(text: str, limit: int = 120) -> str:
    """A text for Excel's page header or footer: "&" doubled, short enough (255 at most)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("&", "&&")


def _lines(text: str, width: float) -> int:
    """Rough number of lines a wrapped text takes in a column `width` characters wide."""
    return max(1, math.ceil(len(text) * 1.1 / max(width - 1, 1))) if text else 1


def _title_block(sheet, formats, workshop: WorkshopInfo, heading: str, columns: int, extra: Sequence[str] = ()) -> int:
    """Heading, workshop, when/where, organisers (and `extra` lines) merged across the table's
    width; returns the row the table starts at."""
    lines = [
        (heading, formats["heading"], 24),
        (
            _("%(kind)s: %(title)s") % {"kind": _clean(workshop.kind_label), "title": _clean(workshop.title)},
            formats["title"],
            0,
        ),
        (_("Đơn vị tổ chức: %(organisers)s") % {"organisers": _clean(workshop.organisers)}, formats["info"], 0),
        (
            _("Thời gian: %(when)s. Địa điểm: %(place)s") % {"when": _when(workshop), "place": _place(workshop)},
            formats["info"],
            0,
        ),
        *((line, formats["info"], 0) for line in extra),
    ]
    for row, (text, cell_format, height) in enumerate(lines):
        sheet.merge_range(row, 0, row, columns - 1, "", cell_format)
        sheet.write_string(row, 0, text, cell_format)
        if height:
            sheet.set_row(row, height)
        elif len(text) > 110:
            sheet.set_row(row, 15 * _lines(text, 110))
    return len(lines)


def _formats(workbook) -> dict:
    base = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}
    cell = {**base, "border": 1, "text_wrap": True}
    return {
        "heading": workbook.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 11, "align": "center", "text_wrap": True}),
        "info": workbook.add_format({**base, "align": "center", "text_wrap": True}),
        "th": workbook.add_format({**cell, "bold": True, "align": "center", "bg_color": "#E1E6EE"}),
        "td": workbook.add_format(cell),
        "number": workbook.add_format({**cell, "align": "center"}),
        "when": workbook.add_format({**cell, "num_format": "dd/mm/yyyy hh:mm", "align": "center"}),
    }


def _sheet(buffer: BytesIO, name: str, widths: Sequence[int]) -> tuple[xlsxwriter.Workbook, dict, Worksheet]:
    """A workbook writing to `buffer`, its formats, and its one sheet `name` with columns
    `widths` characters wide."""
    workbook = _workbook(buffer)
    formats = _formats(workbook)
    sheet = workbook.add_worksheet(name)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    return workbook, formats, sheet


def _print_setup(sheet, workshop: WorkshopInfo, header_row: int, *, landscape: bool) -> None:
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes
    sheet.center_horizontally()
    sheet.set_header("&L&8" + _print_text(_clean(workshop.title)))
    sheet.set_footer("&R&8" + _print_text(_("Trang %(page)s/%(pages)s"), 200) % {"page": "&P", "pages": "&N"})
    sheet.freeze_panes(header_row + 1, 0)


SIGNIN_XLSX_WIDTHS = (6, 24, 28, 16, 16, 10, 18)  # characters


def signin_sheet_xlsx(workshop: WorkshopInfo, attendees: Sequence[Attendee], *, blank_rows: int = 0) -> bytes:
    """The sign-in sheet as a workbook: the same columns as the PDF, rows tall enough to sign,
    heading row frozen and repeated on every printed page, A4 portrait fitted to the width."""
    buffer = BytesIO()
    workbook, formats, sheet = _sheet(buffer, _("Ký tên"), SIGNIN_XLSX_WIDTHS)
    columns = len(SIGNIN_XLSX_WIDTHS)
    header = _title_block(sheet, formats, workshop, _("DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ"), columns)
    sheet.write_row(header, 0, _signin_headings(), formats["th"])
    sheet.set_row(header, 22)
    row = header
    for attendee in attendees:
        row += 1
        cells = _signin_cells(attendee)
        sheet.write_number(row, 0, attendee.number, formats["number"])
        for column, text in enumerate(cells[1:], start=1):
            sheet.write_string(row, column, text, formats["td"])
        lines = max(_lines(text, width) for text, width in zip(cells, SIGNIN_XLSX_WIDTHS, strict=True))
        sheet.set_row(row, max(30, 13 * lines + 4))
    for number in _blank_numbers(attendees, blank_rows):
        row += 1
        sheet.write_number(row, 0, number, formats["number"])
        for column in range(1, columns):
            sheet.write_blank(row, column, None, formats["td"])
        sheet.set_row(row, 30)
    _print_setup(sheet, workshop, header, landscape=False)
    workbook.close()
    return buffer.getvalue()


def _attendance_headings() -> list[str]:
    return [
        _("STT"),
        _("Họ và tên"),
        _("Giới tính"),
        _("Cơ quan/tổ chức"),
        _("Chức vụ"),
        _("Tỉnh/thành phố"),
        _("Email"),
        _("Điện thoại"),
        _("Thời gian điểm danh"),
    ]


ATTENDANCE_XLSX_WIDTHS = (6, 26, 10, 32, 18, 16, 28, 14, 17)


def attendance_xlsx(workshop: WorkshopInfo, attendees: Sequence[Attendee]) -> bytes:
    """The attendance list: every field of every attendee, with when they checked in (empty
    for those who did not), a count on top, a filter on the heading row, A4 landscape."""
    buffer = BytesIO()
    workbook, formats, sheet = _sheet(buffer, _("Danh sách tham dự"), ATTENDANCE_XLSX_WIDTHS)
    columns = len(ATTENDANCE_XLSX_WIDTHS)
    checked_in = sum(1 for a in attendees if a.checked_in_at)
    count = _("Tổng số: %(total)s người đăng ký, %(present)s người đã điểm danh") % {
        "total": len(attendees),
        "present": checked_in,
    }
    header = _title_block(sheet, formats, workshop, _("DANH SÁCH THAM DỰ"), columns, [count])
    sheet.write_row(header, 0, _attendance_headings(), formats["th"])
    sheet.set_row(header, 30)
    row = header
    for attendee in attendees:
        row += 1
        sheet.write_number(row, 0, attendee.number, formats["number"])
        texts = (
            attendee.full_name,
            attendee.sex_label,
            attendee.organisation,
            attendee.position,
            attendee.province,
            attendee.email,
            attendee.phone,
        )
        for column, text in enumerate(texts, start=1):
            sheet.write_string(row, column, _clean(text), formats["td"])
        if attendee.checked_in_at:
            sheet.write_datetime(row, 8, _local(attendee.checked_in_at).replace(tzinfo=None), formats["when"])
        else:
            sheet.write_blank(row, 8, None, formats["when"])
    sheet.autofilter(header, 0, max(row, header), columns - 1)
    _print_setup(sheet, workshop, header, landscape=True)
    workbook.close()
    return buffer.getvalue()
