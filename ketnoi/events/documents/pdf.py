"""The workshop documents as PDF: the sign-in sheet (A4 portrait) and certificates of
attendance (A4 landscape, one page each).

- PDFs are drawn by fpdf2 with DejaVu Sans, vendored in `ketnoi/events/fonts/` (see its
  README), so Vietnamese diacritics come out right on any machine; fpdf2 embeds only the
  glyphs used. Texts are normalised to NFC first: a name typed as decomposed Unicode (base
  letter plus combining marks) prints with the precomposed letters the font draws best.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, TableBordersLayout, VAlign, XPos, YPos
from fpdf.prefs import ViewerPreferences

from .common import (
    Attendee,
    CertificateRecipient,
    WorkshopInfo,
    _blank_numbers,
    _clean,
    _local,
    _mid_sentence,
    _place,
    _signin_cells,
    _signin_headings,
    _when,
)

PDF_TYPE = "application/pdf"

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"  # ketnoi/events/fonts
FONT = "DejaVuSans"

NAVY = (26, 54, 93)
GOLD = (176, 141, 87)
INK = (33, 37, 41)
GREY = (108, 117, 125)
HEADING_FILL = (225, 230, 238)

# fpdf2 subsets the fonts with fontTools, which logs every table it prunes at INFO: with the
# root logger at INFO (settings.LOGGING) that is some 60 lines per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

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
        # Tagged for screen readers and for the viewer's title bar (issue 13, accessibility):
        # /Lang in the catalogue is the language the document is printed in (the workshop's,
        # the caller's translation.override), /Title in the metadata shown instead of the file name.
        self.set_lang(get_language() or "vi")
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
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
SIGNIN_PDF_WIDTHS = (10, 37, 41, 23, 27, 20, 28)
PHONE_COLUMN, CODE_COLUMN = 4, 5
CELL_PADDING_X = 1.5  # mm, left and right of a cell's text
TABLE_FONT_SIZE, ONE_LINE_MIN_FONT_SIZE = 9, 6.5
SIGNIN_ROW_HEIGHT = 11  # mm: room to sign on a row with one line of text
PDF_CELL_LIMIT = 300  # characters: a row must fit on one page, so longer texts are cut with "…"


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# A space between the digits (or brackets) of one number: "0912 345 678", "(024) 3942 1234".
_INSIDE_A_NUMBER = re.compile(r"(?<=[\d)])[ ](?=[\d(])")


def _on_one_line(pdf: FPDF, text: str, width: float) -> tuple[str, float]:
    """A phone number or a check-in code with the spaces inside a number made non-breaking,
    and the font size (9 pt, or smaller down to 6.5 pt) at which it fits `width` on one line: a
    number split over two lines is misread (fpdf2 never breaks at the code's hyphen). Two phone
    numbers in one field may still go on two lines, between the numbers."""
    text = _INSIDE_A_NUMBER.sub("\u00a0", text)
    size = TABLE_FONT_SIZE
    pdf.set_font(FONT, size=size)
    while size > ONE_LINE_MIN_FONT_SIZE and pdf.get_string_width(text) > width:
        size = max(ONE_LINE_MIN_FONT_SIZE, size - 0.5)
        pdf.set_font(FONT, size=size)
    pdf.set_font(FONT, size=TABLE_FONT_SIZE)
    return text, size


def signin_sheet_pdf(workshop: WorkshopInfo, attendees: Sequence[Attendee], *, blank_rows: int = 0) -> bytes:
    """The sheet people sign at the door: A4 portrait, the workshop on top, then one row per
    attendee (STT, name, organisation, position, phone, check-in code, an empty column to sign) with the
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
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "CENTER", "LEFT"),
        v_align=VAlign.M,
        line_height=4.4,
        padding=(1.2, CELL_PADDING_X),
        min_row_height=SIGNIN_ROW_HEIGHT,
        borders_layout=TableBordersLayout.ALL,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL, size_pt=9),
        repeat_headings=1,
    ) as table:
        heading_row = table.row(min_height=8)
        for label in _signin_headings():
            heading_row.cell(label, align="CENTER")
        for attendee in attendees:
            cells = [_cap(text, PDF_CELL_LIMIT) for text in _signin_cells(attendee)]
            row = table.row()
            for column, text in enumerate(cells):
                if column in (PHONE_COLUMN, CODE_COLUMN):
                    text, size = _on_one_line(pdf, text, SIGNIN_PDF_WIDTHS[column] - 2 * CELL_PADDING_X)
                    row.cell(text, style=FontFace(size_pt=size))
                else:
                    row.cell(text)
        for number in _blank_numbers(attendees, blank_rows):
            table.row([str(number)] + [""] * (len(SIGNIN_PDF_WIDTHS) - 1))
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
