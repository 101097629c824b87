"""The workshop documents: sign-in sheet (PDF, XLSX), attendance list (XLSX), certificates (PDF).

PDF text is read back with pypdf and compared in NFC, so a diacritic drawn from the wrong
glyph or lost in the font's subset shows up as a failed `in`."""

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO

import openpyxl
import pypdf
import pytest
from django.utils import translation
from django.utils.translation import gettext

from ketnoi.events import documents
from ketnoi.events.documents import (
    Attendee,
    CertificateRecipient,
    WorkshopInfo,
    attendance_xlsx,
    certificate_pdf,
    certificates_pdf,
    signin_sheet_pdf,
    signin_sheet_xlsx,
)

NAMES = ["Nguyễn Thị Hường", "Đặng Quốc Việt", "Trần Văn Ưng", "Lê Thị Ỷ Lan", "Phạm Ngọc Thạch"]
ORGANISATIONS = ["Uỷ ban nhân dân xã Hưng Lộc", "Hội Liên hiệp Phụ nữ tỉnh Nghệ An"]
SIGNIN_HEADINGS = ["STT", "Họ và tên", "Cơ quan/tổ chức", "Chức vụ", "Điện thoại", "Mã điểm danh", "Chữ ký"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [nfc(page.extract_text()) for page in pypdf.PdfReader(BytesIO(data)).pages]


def one_line(text: str) -> str:
    """Extracted text with the line breaks of wrapped cells turned into spaces."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def workshop():
    return WorkshopInfo(
        title="Tăng cường vai trò của phụ nữ trong phòng chống bạo lực gia đình",
        kind_label="Hội thảo",
        organisers="Hội Liên hiệp Phụ nữ Việt Nam & Uỷ ban nhân dân tỉnh Nghệ An",
        venue="Khách sạn Mường Thanh, 2 Trường Thi",
        city="Vinh",
        starts_at=datetime(2026, 3, 9, 1, 0, tzinfo=UTC),  # 08:00 in Hà Nội
        ends_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC),  # 17:00
    )


def make_attendees(count: int, names=NAMES) -> list[Attendee]:
    return [
        Attendee(
            number=i + 1,
            full_name=names[i % len(names)] if names else f"Nguyễn Thị Hường {i + 1:03d}",
            organisation=ORGANISATIONS[i % 2],
            position="Cán bộ phụ trách",
            sex_label="Nữ" if i % 2 == 0 else "Nam",
            province="Nghệ An",
            email=f"nguoi{i + 1}@example.vn",
            phone="0912345678",
            checked_in_at=datetime(2026, 3, 9, 1, 5, tzinfo=UTC) if i % 2 else None,
        )
        for i in range(count)
    ]


# Sign-in sheet (PDF) -----------------------------------------------------------------------------


def test_signin_pdf_has_the_names_with_their_diacritics(workshop):
    pages = pdf_pages(signin_sheet_pdf(workshop, make_attendees(5)))

    text = pages[0]
    for name in NAMES + ORGANISATIONS:
        assert name in text
    for heading in SIGNIN_HEADINGS:
        assert heading in one_line(text)  # "Mã điểm danh" takes two lines in its narrow column
    assert "Hội thảo: Tăng cường vai trò của phụ nữ trong phòng chống bạo lực gia đình" in one_line(text)
    assert "09/03/2026 08:00 – 10/03/2026 17:00" in text  # Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM
    assert "Trang 1/1" in text


def test_signin_pdf_prints_decomposed_input_as_precomposed_letters(workshop):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    attendee = make_attendees(1)[0]
    attendee = replace(attendee, full_name=decomposed)

    raw = pypdf.PdfReader(BytesIO(signin_sheet_pdf(workshop, [attendee]))).pages[0].extract_text()

    assert "Nguyễn Thị Hường" in raw  # already NFC in the PDF, not only after normalising


@pytest.mark.parametrize(("count", "expected_pages"), [(0, 1), (1, 1), (120, 6)])
def test_signin_pdf_page_count_heading_on_every_page(workshop, count, expected_pages):
    attendees = make_attendees(count, names=None)  # unique names: "Nguyễn Thị Hường 001", …

    pages = pdf_pages(signin_sheet_pdf(workshop, attendees))

    # 20 rows fit under the workshop's heading on page 1, 24 on each page after it.
    assert len(pages) == expected_pages
    for number, text in enumerate(pages, start=1):
        assert f"Trang {number}/{expected_pages}" in text
        for heading in SIGNIN_HEADINGS:
            assert heading in one_line(text), (number, heading)
    assert ("DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ" in pages[0]) and all(
        "DANH SÁCH ĐẠI BIỂU" not in text for text in pages[1:]
    )
    # Every attendee once, in order, none cut across two pages; the last page is not empty.
    page_of = {}
    for attendee in attendees:
        found = [number for number, text in enumerate(pages) if attendee.full_name in text]
        assert len(found) == 1, attendee.full_name
        page_of[attendee.number] = found[0]
    assert list(page_of.values()) == sorted(page_of.values())
    if attendees:
        assert page_of[attendees[-1].number] == expected_pages - 1


def test_signin_pdf_blank_rows_for_walk_ins(workshop):
    pages = pdf_pages(signin_sheet_pdf(workshop, make_attendees(2), blank_rows=3))

    lines = pages[0].splitlines()
    assert [line.strip() for line in lines if line.strip() in {"3", "4", "5"}] == ["3", "4", "5"]


def test_signin_pdf_wraps_very_long_texts(workshop):
    long_name = " ".join(["Nguyễn Thị Hường"] * 12)
    long_org = " ".join(["Uỷ ban nhân dân xã Hưng Lộc, huyện Nghi Lộc, tỉnh Nghệ An"] * 4)  # under the 300 cut
    attendees = make_attendees(6)
    attendees[1] = replace(attendees[1], full_name=long_name, organisation=long_org)
    attendees[3] = replace(attendees[3], full_name="X" * 500, organisation="Y" * 5000)
    long_workshop = replace(workshop, title=workshop.title * 4)

    pages = pdf_pages(signin_sheet_pdf(long_workshop, attendees))

    text = "\n".join(pages)
    assert long_name in one_line(text)  # wrapped over several lines, every word kept
    assert long_org in one_line(text)
    assert all("Trang" in page for page in pages)
    assert "…" in text  # the 5000-character organisation is cut so that its row fits a page
    for name in ["Trần Văn Ưng", "Phạm Ngọc Thạch"]:  # the rows after the long ones
        assert name in text


def test_pdf_uses_the_vendored_font():
    assert (documents.FONTS_DIR / "DejaVuSans.ttf").is_file()
    assert (documents.FONTS_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert (documents.FONTS_DIR / "LICENSE").is_file()


def test_pdf_embeds_dejavu(workshop):
    reader = pypdf.PdfReader(BytesIO(signin_sheet_pdf(workshop, make_attendees(1))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert names and all("DejaVuSans" in name for name in names)


def test_naive_datetimes_are_refused(workshop):
    naive = replace(workshop, starts_at=datetime(2026, 3, 9, 8, 0))
    with pytest.raises(ValueError, match="aware"):
        signin_sheet_pdf(naive, [])


# Sign-in sheet and attendance list (XLSX) -------------------------------------------------------


def header_row(sheet, first: str = "STT") -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError("no heading row")


def test_signin_xlsx(workshop):
    attendees = make_attendees(5)
    attendees[4] = replace(attendees[4], position='=HYPERLINK("x")', phone="0987654321")

    book = openpyxl.load_workbook(BytesIO(signin_sheet_xlsx(workshop, attendees, blank_rows=2)))

    sheet = book.active
    header = header_row(sheet)
    assert [cell.value for cell in sheet[header]] == SIGNIN_HEADINGS
    assert sheet["A1"].value == "DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ"
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # 1 page wide (the default)
    assert sheet.column_dimensions["B"].width > 20 and sheet.column_dimensions["G"].width > 15
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header + 1)]
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert [row[1] for row in rows[:5]] == NAMES
    assert rows[0][2] == "Uỷ ban nhân dân xã Hưng Lộc" and rows[1][2] == "Hội Liên hiệp Phụ nữ tỉnh Nghệ An"
    assert rows[4][3] == '=HYPERLINK("x")' and sheet.cell(header + 5, 4).data_type == "s"  # text, not a formula
    assert rows[4][4] == "0987654321"  # leading zero kept
    assert all(not row[6] for row in rows)  # the column to sign is empty
    assert all(sheet.row_dimensions[header + i].height >= 30 for i in range(1, 8))  # room to sign


def test_signin_xlsx_long_texts_wrap_in_taller_rows(workshop):
    attendee = replace(make_attendees(1)[0], organisation="Uỷ ban nhân dân " * 30)

    sheet = openpyxl.load_workbook(BytesIO(signin_sheet_xlsx(workshop, [attendee]))).active

    header = header_row(sheet)
    cell = sheet.cell(header + 1, 3)
    assert cell.value == ("Uỷ ban nhân dân " * 30).strip()
    assert cell.alignment.wrap_text
    assert sheet.row_dimensions[header + 1].height > 30


def test_attendance_xlsx_has_every_field(workshop):
    attendees = make_attendees(4)

    book = openpyxl.load_workbook(BytesIO(attendance_xlsx(workshop, attendees)))

    sheet = book.active
    header = header_row(sheet)
    assert [cell.value for cell in sheet[header]] == [
        "STT",
        "Họ và tên",
        "Giới tính",
        "Cơ quan/tổ chức",
        "Chức vụ",
        "Tỉnh/thành phố",
        "Email",
        "Điện thoại",
        "Thời gian điểm danh",
    ]
    texts = " ".join(str(cell.value) for row in sheet.iter_rows(max_row=header - 1) for cell in row if cell.value)
    assert "Tổng số: 4 người đăng ký, 2 người đã điểm danh" in texts
    assert "09/03/2026 08:00 – 10/03/2026 17:00" in texts
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header + 1)]
    assert rows[0] == [1, "Nguyễn Thị Hường", "Nữ", ORGANISATIONS[0], "Cán bộ phụ trách", "Nghệ An",
                       "nguoi1@example.vn", "0912345678", None]  # fmt: skip
    assert rows[1][:2] == [2, "Đặng Quốc Việt"]
    assert rows[1][8] == datetime(2026, 3, 9, 8, 5)  # 01:05 UTC is 08:05 in Vietnam
    assert sheet.cell(header + 2, 9).number_format == "dd/mm/yyyy hh:mm"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.auto_filter.ref == f"A{header}:I{header + 4}"


def test_xlsx_with_no_attendees(workshop):
    for make in (signin_sheet_xlsx, attendance_xlsx):
        sheet = openpyxl.load_workbook(BytesIO(make(workshop, []))).active
        assert sheet.max_row == header_row(sheet)


# Certificates ------------------------------------------------------------------------------------


def test_certificate_pdf(workshop):
    data = certificate_pdf(
        workshop,
        full_name="Nguyễn Thị Hường",
        organisation="Uỷ ban nhân dân xã Hưng Lộc",
        issued_on=date(2026, 3, 10),
        certificate_no="HT-2026/0001",
        signer_name="Đặng Quốc Việt",
        signer_title="Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
    )

    reader = pypdf.PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape
    text = one_line(nfc(reader.pages[0].extract_text()))
    for expected in [
        "GIẤY CHỨNG NHẬN",
        "Nguyễn Thị Hường",
        "Uỷ ban nhân dân xã Hưng Lộc",
        "đã tham dự hội thảo",
        "“Tăng cường vai trò của phụ nữ trong phòng chống bạo lực gia đình”",
        "từ ngày 09/03/2026 đến ngày 10/03/2026",
        "Vinh, ngày 10 tháng 03 năm 2026",
        "CHỦ TỊCH HỘI LIÊN HIỆP PHỤ NỮ TỈNH",
        "Đặng Quốc Việt",
        "Số: HT-2026/0001",
        "HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM & UỶ BAN NHÂN DÂN TỈNH NGHỆ AN",
    ]:
        assert expected in text, expected


def test_certificates_pdf_one_page_each(workshop):
    recipients = [
        CertificateRecipient(full_name=name, organisation=ORGANISATIONS[i % 2], certificate_no=f"HT-{i + 1:03d}")
        for i, name in enumerate(NAMES)
    ]

    pages = pdf_pages(
        certificates_pdf(
            workshop, recipients, issued_on=date(2026, 3, 10), signer_name="Đặng Quốc Việt", signer_title="Chủ tịch"
        )
    )

    assert len(pages) == len(recipients)
    for page, recipient in zip(pages, recipients, strict=True):
        assert recipient.full_name in page
        assert recipient.organisation in page
        assert f"Số: {recipient.certificate_no}" in page
        assert "GIẤY CHỨNG NHẬN" in page


def test_certificates_pdf_long_texts_stay_on_one_page(workshop):
    long_workshop = replace(workshop, title=workshop.title * 5, organisers=workshop.organisers * 4)
    recipients = [
        CertificateRecipient(" ".join(["Nguyễn Thị Hường"] * 10), "Uỷ ban nhân dân " * 40, "9" * 200),
        CertificateRecipient("Lê Thị Ỷ Lan", "", ""),
    ]

    pages = pdf_pages(
        certificates_pdf(
            long_workshop,
            recipients,
            issued_on=date(2026, 1, 2),
            signer_name="Đặng Quốc Việt " * 6,
            signer_title="Phó Chủ tịch Thường trực " * 6,
        )
    )

    assert len(pages) == 2
    assert "Nguyễn Thị Hường Nguyễn Thị Hường" in one_line(pages[0])
    assert "…" in pages[0]  # what cannot fit is cut, not pushed onto a second page
    assert "Lê Thị Ỷ Lan" in pages[1] and "Số:" not in pages[1]


def test_certificates_pdf_needs_someone(workshop):
    with pytest.raises(ValueError):
        certificates_pdf(workshop, [], issued_on=date(2026, 3, 10), signer_name="A", signer_title="B")


def test_certificate_of_a_one_day_workshop_without_a_place(workshop):
    one_day = replace(workshop, venue="", city="", ends_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    page = pdf_pages(certificate_pdf(one_day, "Trần Văn Ưng", "", date(2026, 3, 9), "", "A", "B"))[0]

    assert "tổ chức ngày 09/03/2026" in page
    assert "Ngày 09 tháng 03 năm 2026" in page


# Language ----------------------------------------------------------------------------------------


def test_labels_follow_the_active_language(workshop):
    with translation.override("en"):
        assert gettext("Họ và tên") != "Họ và tên" and gettext("GIẤY CHỨNG NHẬN") != "GIẤY CHỨNG NHẬN"
        signin = pdf_pages(signin_sheet_pdf(workshop, make_attendees(2)))[0]
        certificate = pdf_pages(certificate_pdf(workshop, "Nguyễn Thị Hường", "", date(2026, 3, 10), "1", "A", "B"))
        sheet = openpyxl.load_workbook(BytesIO(attendance_xlsx(workshop, make_attendees(2)))).active
        header = header_row(sheet, first=gettext("STT"))

    assert "Họ và tên" not in signin and "Chữ ký" not in signin and "Trang" not in signin
    assert "Nguyễn Thị Hường" in signin  # the data stays as it is
    assert "GIẤY CHỨNG NHẬN" not in certificate[0] and "đã tham dự" not in certificate[0]
    assert "Họ và tên" not in [cell.value for cell in sheet[header]]


# The check-in code, the phone column, the tags (issue 13) ---------------------------------------

PHONES = ["0912 345 678", "+84 912 345 678", "(024) 3942 1234", "0987654321", "+84 243 942 1234"]


def pdf_lines(data: bytes) -> list[str]:
    """Every line of text of every page as laid out on the page (pypdf's plain extraction joins
    the wrapped lines of a cell), the non-breaking spaces read as spaces."""
    pages = pypdf.PdfReader(BytesIO(data)).pages
    texts = [nfc(page.extract_text(extraction_mode="layout")) for page in pages]
    return [line.replace("\u00a0", " ") for text in texts for line in text.splitlines()]


def test_signin_pdf_never_wraps_a_phone_number(workshop):
    attendees = [replace(attendee, phone=PHONES[i % len(PHONES)]) for i, attendee in enumerate(make_attendees(10))]

    lines = pdf_lines(signin_sheet_pdf(workshop, attendees))

    for phone in PHONES:
        assert any(phone in line for line in lines), phone  # whole, on one line
        for cut in range(3, len(phone) - 2):  # and never its beginning alone at the end of a line
            assert not any(line.endswith(phone[:cut].rstrip()) for line in lines if phone not in line), (phone, cut)


def test_signin_pdf_and_xlsx_print_the_check_in_code(workshop):
    attendees = [
        replace(a, checkin_code=code) for a, code in zip(make_attendees(2), ["K7Q-M4X", "ACD-979"], strict=True)
    ]

    lines = pdf_lines(signin_sheet_pdf(workshop, attendees))
    sheet = openpyxl.load_workbook(BytesIO(signin_sheet_xlsx(workshop, attendees))).active

    for code in ("K7Q-M4X", "ACD-979"):
        assert any(code in line for line in lines), code
    header = header_row(sheet)
    assert [sheet.cell(header + i, 6).value for i in (1, 2)] == ["K7Q-M4X", "ACD-979"]


def pdf_catalogue(data: bytes) -> tuple[dict, dict]:
    reader = pypdf.PdfReader(BytesIO(data))
    return reader.trailer["/Root"], reader.metadata


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdfs_are_tagged_with_their_language_and_title(workshop, language):
    with translation.override(language):
        sheet = signin_sheet_pdf(workshop, make_attendees(2))
        certificates = certificates_pdf(
            workshop,
            [CertificateRecipient(full_name="Nguyễn Thị Hường", organisation="", certificate_no="1")],
            issued_on=date(2026, 3, 10),
            signer_name="",
            signer_title="",
        )
    for data, title in (
        (sheet, gettext_in(language, "DANH SÁCH ĐẠI BIỂU KÝ TÊN THAM DỰ")),
        (certificates, gettext_in(language, "Giấy chứng nhận – %(title)s") % {"title": workshop.title}),
    ):
        catalogue, metadata = pdf_catalogue(data)
        assert catalogue["/Lang"] == language
        assert bool(catalogue["/ViewerPreferences"]["/DisplayDocTitle"])
        assert metadata.title.startswith(title.split(" – ")[0]) and workshop.title in metadata.title


def gettext_in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)
