"""Printable documents for a workshop: the sign-in sheet (PDF and XLSX), the attendance list
(XLSX) and certificates of attendance (PDF), as bytes.

Independent of the models on purpose: the caller builds a `WorkshopInfo` and a list of
`Attendee` (or `CertificateRecipient`) from whatever it has, and sends the bytes back with
`PDF_TYPE` or `XLSX_TYPE`. Every label goes through gettext, so the documents come out in the
active language.

- PDFs are drawn by fpdf2 with DejaVu Sans, vendored in `fonts/` (see its README), so
  Vietnamese diacritics come out right on any machine; fpdf2 embeds only the glyphs used.
  Texts are normalised to NFC first: a name typed as decomposed Unicode (base letter plus
  combining marks) prints with the precomposed letters the font draws best.
- Times are shown in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:MM; a naive datetime is refused.
- XLSX files are written by XlsxWriter; texts always stay texts (a name that starts with "="
  is never a formula), phone numbers keep their leading zero, check-in times are real
  date-times formatted dd/mm/yyyy hh:mm.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import xlsxwriter
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, TableBordersLayout, VAlign, XPos, YPos
from xlsxwriter.worksheet import Worksheet

PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"

NAVY = (26, 54, 93)
GOLD = (176, 141, 87)
INK = (33, 37, 41)
GREY = (108, 117, 125)
HEADING_FILL = (225, 230, 238)

# fpdf2 subsets the fonts with fontTools, which logs every table it prunes at INFO: with the
# root logger at INFO (settings.LOGGING) that is some 60 lines per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class WorkshopInfo:
    title: str
    kind_label: str
    organisers: str
    venue: str
    city: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Attendee:
    number: int
    full_name: str
    organisation: str
    position: str
    sex_label: str
    province: str
    email: str
    phone: str
    checked_in_at: datetime | None


@dataclass(frozen=True)
class CertificateRecipient:
    """What differs from one certificate to the next; the workshop, the date of issue and the
    signer are the same for the whole batch (see `certificates_pdf`)."""

    full_name: str
    organisation: str
    certificate_no: str


# Texts and times ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACES = re.compile(r"\s+")


def _clean(text: object) -> str:
    """NFC, one line, no control characters: what goes into a cell or a line of the PDF."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"workshop documents need aware datetimes (USE_TZ); got a naive one: {moment!r}")
    return moment.astimezone(LOCAL_TZ)


def format_datetime(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time, or "" for None."""
    return _local(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _when(workshop: WorkshopInfo) -> str:
    return _("%(start)s – %(end)s") % {
        "start": format_datetime(workshop.starts_at),
        "end": format_datetime(workshop.ends_at),
    }


def _place(workshop: WorkshopInfo) -> str:
    return ", ".join(part for part in (_clean(workshop.venue), _clean(workshop.city)) if part)


def _mid_sentence(label: str) -> str:
    """The kind in lower case inside a sentence ("Hội thảo" → "hội thảo"); an acronym such as
    "ToT" or "HIV" stays as it is."""
    label = _clean(label)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _signin_headings() -> list[str]:
    return [_("STT"), _("Họ và tên"), _("Cơ quan/tổ chức"), _("Chức vụ"), _("Điện thoại"), _("Chữ ký")]


def _signin_cells(attendee: Attendee) -> list[str]:
    return [
        str(attendee.number),
        _clean(attendee.full_name),
        _clean(attendee.organisation),
        _clean(attendee.position),
        _clean(attendee.phone),
        "",
    ]


def _blank_numbers(attendees: Sequence[Attendee], blank_rows: int) -> range:
    last = max((a.number for a in attendees), default=0)
    return range(last + 1, last + 1 + max(blank_rows, 0))


# PDF ---------------------------------------------------------------------------------------------

PT = 25.4 / 72  # millimetres in a point


class _Document(FPDF):
    """A4 with the vendored fonts, document metadata, and a footer "title … Trang x/y"."""

    def __init__(self, *, orientation: str, title: str, author: str = "", footer_text: str = "", numbered=True):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
        self.set_font(FONT, size=10)
        self.set_text_color(*INK)
        self.set_title(title)
        if author:
            self.set_author(author)
        self.set_creator("Kết Nối")
        self.set_lang(get_language() or "vi")
        self.footer_text = footer_text
        self.numbered = numbered
        self.fits: dict[tuple, tuple[float, tuple[str, ...]]] = {}  # _fit's answers: texts repeat on every page

    def footer(self) -> None:
        if not self.numbered:
            return
        self.set_y(-12)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        page = _("Trang %(page)s/%(pages)s") % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        page_width = 30
        self.cell(self.epw - page_width, 6, _truncate(self, self.footer_text, self.epw - page_width - 4))
        self.cell(page_width, 6, page, align="R")
        self.set_text_color(*INK)


def _truncate(pdf: FPDF, text: str, width: float) -> str:
    """`text`, cut with "…" so that it fits in `width` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[: max(len(text) - max(len(text) // 8, 1), 0)]
    return text.rstrip() + "…"


def _fit(
    pdf: FPDF,
    text: str,
    width: float,
    *,
    size: float,
    min_size: float,
    max_lines: int,
    bold: bool = False,
    balance: bool = False,
) -> tuple[float, list[str]]:
    """The largest font size from `size` down to `min_size` at which `text` takes at most
    `max_lines` lines of `width`; at `min_size` the lines past `max_lines` are cut with "…".
    With `balance`, lines of about the same length rather than a last word on its own."""
    key = (text, width, size, min_size, max_lines, bold, balance)
    cache = getattr(pdf, "fits", None)
    if cache is not None and key in cache:
        size, lines = cache[key]
        pdf.set_font(FONT, "B" if bold else "", size)
        return size, list(lines)
    style = "B" if bold else ""

    def wrap(at: float) -> list[str]:
        if pdf.get_string_width(text) <= at - 2 * pdf.c_margin:
            return [text]
        return pdf.multi_cell(at, size * PT, text, dry_run=True, output=MethodReturnValue.LINES)

    while True:
        pdf.set_font(FONT, style, size)
        lines = wrap(width)
        if len(lines) <= max_lines or size <= min_size:
            break
        size = max(min_size, size - 1)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_truncate(pdf, lines[max_lines - 1] + " " + lines[max_lines], width)]
    elif balance and len(lines) > 1:
        narrow, wide = width / len(lines), width  # the narrowest width that keeps as many lines
        while wide - narrow > 2:
            middle = (narrow + wide) / 2
            narrow, wide = (narrow, middle) if len(wrap(middle)) <= len(lines) else (middle, wide)
        lines = wrap(wide)
    if cache is not None:
        cache[key] = (size, tuple(lines))
    return size, lines


def _centred_lines(pdf: FPDF, x: float, width: float, lines: Iterable[str], size: float, *, bold=False, spacing=1.3):
    pdf.set_font(FONT, "B" if bold else "", size)
    for line in lines:
        pdf.set_x(x)
        pdf.cell(width, size * PT * spacing, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _workshop_heading(pdf: FPDF, workshop: WorkshopInfo, heading: str) -> None:
    """The block on top of the first page: what the list is, the workshop, who, when, where."""
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, heading, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "B", 11.5)
    title = _("%(kind)s: %(title)s") % {"kind": _clean(workshop.kind_label), "title": _clean(workshop.title)}
    pdf.multi_cell(0, 5.6, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    pdf.set_font(FONT, size=9.5)
    details = [
        _("Đơn vị tổ chức: %(organisers)s") % {"organisers": _clean(workshop.organisers)},
        _("Thời gian: %(when)s") % {"when": _when(workshop)},
        _("Địa điểm: %(place)s") % {"place": _place(workshop)},
    ]
    for line in details:
        pdf.multi_cell(0, 4.8, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


# Column widths of the sign-in sheet in mm: they add up to A4 portrait less 2 × 12 mm margins.
SIGNIN_PDF_WIDTHS = (11, 42, 48, 28, 25, 32)
SIGNIN_ROW_HEIGHT = 11  # mm: room to sign on a row with one line of text
PDF_CELL_LIMIT = 300  # characters: a row must fit on one page, so longer texts are cut with "…"


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def signin_sheet_pdf(workshop: WorkshopInfo, attendees: Sequence[Attendee], *, blank_rows: int = 0) -> bytes:
    """The sheet people sign at the door: A4 portrait, the workshop on top, then one row per
    attendee (STT, name, organisation, position, phone, an empty column to sign) with the
    heading row repeated on every page and "Trang x/y" at the bottom. Long texts wrap inside
    their cell and the row grows. `blank_rows` adds numbered empty rows at the end for people
    who come without having registered."""
    heading = _("DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ")
    pdf = _Document(
        orientation="portrait",
        title=f"{heading} – {_clean(workshop.title)}",
        author=_clean(workshop.organisers),
        footer_text=_clean(workshop.title),
    )
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    _workshop_heading(pdf, workshop, heading)

    pdf.set_font(FONT, size=9)
    with pdf.table(
        col_widths=SIGNIN_PDF_WIDTHS,
        width=sum(SIGNIN_PDF_WIDTHS),
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
        v_align=VAlign.M,
        line_height=4.4,
        padding=(1.2, 1.5),
        min_row_height=SIGNIN_ROW_HEIGHT,
        borders_layout=TableBordersLayout.ALL,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL, size_pt=9),
        repeat_headings=1,
    ) as table:
        heading_row = table.row(min_height=8)
        for label in _signin_headings():
            heading_row.cell(label, align="CENTER")
        for attendee in attendees:
            table.row([_cap(text, PDF_CELL_LIMIT) for text in _signin_cells(attendee)])
        for number in _blank_numbers(attendees, blank_rows):
            table.row([str(number), "", "", "", "", ""])
    return bytes(pdf.output())


def certificate_pdf(
    workshop: WorkshopInfo,
    full_name: str,
    organisation: str,
    issued_on: date,
    certificate_no: str,
    signer_name: str,
    signer_title: str,
) -> bytes:
    """One certificate of attendance, A4 landscape."""
    return certificates_pdf(
        workshop,
        [CertificateRecipient(full_name=full_name, organisation=organisation, certificate_no=certificate_no)],
        issued_on=issued_on,
        signer_name=signer_name,
        signer_title=signer_title,
    )


def certificates_pdf(
    workshop: WorkshopInfo,
    recipients: Sequence[CertificateRecipient],
    *,
    issued_on: date,
    signer_name: str,
    signer_title: str,
) -> bytes:
    """The certificates of attendance of many people in one PDF, one A4 landscape page each,
    in the order given: to print the batch at once. Raises ValueError when there is no one."""
    if not recipients:
        raise ValueError("certificates_pdf needs at least one recipient")
    pdf = _Document(
        orientation="landscape",
        title=_("Giấy chứng nhận – %(title)s") % {"title": _clean(workshop.title)},
        author=_clean(workshop.organisers),
        numbered=False,
    )
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    texts = _CertificateTexts.of(workshop, issued_on, signer_name, signer_title)
    for recipient in recipients:
        pdf.add_page()
        _draw_certificate(pdf, texts, recipient)
    return bytes(pdf.output())


@dataclass(frozen=True)
class _CertificateTexts:
    """The texts that are the same on every certificate of a batch, translated once."""

    organisers: str
    heading: str
    certify: str
    attended: str
    title: str
    held: str
    issued: str
    signer_title: str
    signer_name: str

    @classmethod
    def of(cls, workshop: WorkshopInfo, issued_on: date, signer_name: str, signer_title: str) -> _CertificateTexts:
        start, end = _local(workshop.starts_at).date(), _local(workshop.ends_at).date()
        if start == end:
            dates = _("ngày %(date)s") % {"date": start.strftime("%d/%m/%Y")}
        else:
            dates = _("từ ngày %(start)s đến ngày %(end)s") % {
                "start": start.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
        place = _place(workshop)
        if place:
            held = _("tổ chức tại %(place)s, %(dates)s") % {"place": place, "dates": dates}
        else:
            held = _("tổ chức %(dates)s") % {"dates": dates}
        parts = {"day": f"{issued_on.day:02d}", "month": f"{issued_on.month:02d}", "year": issued_on.year}
        city = _clean(workshop.city)
        if city:
            issued = _("%(city)s, ngày %(day)s tháng %(month)s năm %(year)s") % {"city": city, **parts}
        else:
            issued = _("Ngày %(day)s tháng %(month)s năm %(year)s") % parts
        return cls(
            organisers=_clean(workshop.organisers).upper(),
            heading=_("GIẤY CHỨNG NHẬN"),
            certify=_("Chứng nhận"),
            attended=_("đã tham dự %(kind)s") % {"kind": _mid_sentence(workshop.kind_label)},
            title=f"“{_clean(workshop.title)}”",
            held=held,
            issued=issued,
            signer_title=_clean(signer_title).upper(),
            signer_name=_clean(signer_name),
        )


def _draw_frame(pdf: FPDF) -> None:
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(1.4)
    pdf.rect(9, 9, width - 18, height - 18)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.4)
    pdf.rect(12.5, 12.5, width - 25, height - 25)
    pdf.set_fill_color(*GOLD)
    for x, y in ((12.5, 12.5), (width - 12.5, 12.5), (12.5, height - 12.5), (width - 12.5, height - 12.5)):
        pdf.polygon([(x - 2.6, y), (x, y - 2.6), (x + 2.6, y), (x, y + 2.6)], style="F")


def _draw_certificate(pdf: FPDF, texts: _CertificateTexts, recipient: CertificateRecipient) -> None:
    _draw_frame(pdf)
    left, width = 28.0, pdf.w - 56.0

    # Top: the organisers, the heading and a short gold rule.
    pdf.set_y(22)
    pdf.set_text_color(*NAVY)
    size, lines = _fit(pdf, texts.organisers, width, size=11, min_size=8, max_lines=2, bold=True)
    _centred_lines(pdf, left, width, lines, size, bold=True)
    pdf.ln(4)
    size, lines = _fit(pdf, texts.heading, width, size=32, min_size=20, max_lines=1, bold=True)
    _centred_lines(pdf, left, width, lines, size, bold=True, spacing=1.2)
    y = pdf.get_y() + 2
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    pdf.line(pdf.w / 2 - 25, y, pdf.w / 2 + 25, y)
    top = y + 4

    # Middle: who attended what, centred vertically between the rule and the signature.
    bottom = 146.0
    blocks = []  # (size, lines, bold, colour, space before)
    size, lines = _fit(pdf, texts.certify, width, size=13, min_size=11, max_lines=1)
    blocks.append((size, lines, False, INK, 0))
    name = _clean(recipient.full_name)
    size, lines = _fit(pdf, name, width, size=26, min_size=15, max_lines=2, bold=True, balance=True)
    blocks.append((size, lines, True, NAVY, 2))
    organisation = _clean(recipient.organisation)
    if organisation:
        size, lines = _fit(pdf, organisation, width, size=13, min_size=10, max_lines=2, balance=True)
        blocks.append((size, lines, False, INK, 1))
    size, lines = _fit(pdf, texts.attended, width, size=13, min_size=10, max_lines=1)
    blocks.append((size, lines, False, INK, 4))
    size, lines = _fit(pdf, texts.title, width - 20, size=17, min_size=11, max_lines=3, bold=True, balance=True)
    blocks.append((size, lines, True, NAVY, 1.5))
    size, lines = _fit(pdf, texts.held, width, size=12, min_size=9, max_lines=2, balance=True)
    blocks.append((size, lines, False, INK, 1.5))
    height = sum(size * PT * 1.3 * len(lines) + before for size, lines, _bold, _colour, before in blocks)
    pdf.set_y(top + max((bottom - top - height) / 2, 0))
    for size, lines, bold, colour, before in blocks:
        pdf.ln(before)
        pdf.set_text_color(*colour)
        _centred_lines(pdf, left, width, lines, size, bold=bold)

    # Bottom right: place and date, the signer's title, room to sign and stamp, the name.
    column_x, column_w = pdf.w / 2 + 20, pdf.w / 2 - 20 - 28
    pdf.set_text_color(*INK)
    pdf.set_y(150)
    size, lines = _fit(pdf, texts.issued, column_w, size=11, min_size=9, max_lines=1)
    _centred_lines(pdf, column_x, column_w, lines, size)
    size, lines = _fit(pdf, texts.signer_title, column_w, size=11.5, min_size=9, max_lines=2, bold=True)
    _centred_lines(pdf, column_x, column_w, lines, size, bold=True)
    pdf.set_y(184)
    pdf.set_text_color(*NAVY)
    size, lines = _fit(pdf, texts.signer_name, column_w, size=13, min_size=10, max_lines=1, bold=True)
    _centred_lines(pdf, column_x, column_w, lines, size, bold=True)

    # Bottom left: the certificate's number.
    number = _clean(recipient.certificate_no)
    if number:
        pdf.set_text_color(*GREY)
        pdf.set_font(FONT, size=9.5)
        pdf.set_xy(28, 184)
        pdf.cell(pdf.w / 2 - 28, 6, _truncate(pdf, _("Số: %(number)s") % {"number": number}, pdf.w / 2 - 40))
    pdf.set_text_color(*INK)


# XLSX --------------------------------------------------------------------------------------------

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


SIGNIN_XLSX_WIDTHS = (6, 26, 32, 18, 14, 20)  # characters


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
