"""Text out of library files, page by page, and the upload check before a file is stored."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from ketnoi.library import extraction
from ketnoi.library.extraction import ExtractionError, extract_bytes, kind_of
from ketnoi.library.uploads import check_library_upload

from . import samples

PHRASE = "Đào tạo cán bộ về tổ chức xã hội"


def _flat(text: str) -> str:
    """Lines joined by spaces: a PDF wraps lines where its page is narrow."""
    return " ".join(text.split())


# PDF ---------------------------------------------------------------------------------------------


def test_pdf_pages_keep_vietnamese_and_page_numbers():
    pages = extract_bytes(samples.report_pdf(), kind="pdf")
    assert len(pages) == 3
    assert PHRASE in _flat(pages[1])
    assert PHRASE not in _flat(pages[0]) and PHRASE not in _flat(pages[2])
    assert "Quảng Trị" in pages[0]
    assert "Khuyến nghị" in pages[2]
    assert all(unicodedata.is_normalized("NFC", page) for page in pages)


def test_pdf_with_an_empty_user_password_still_extracts():
    pages = extract_bytes(samples.empty_password_pdf(), kind="pdf")
    assert len(pages) == 3
    assert PHRASE in _flat(pages[1])


@pytest.mark.parametrize(
    ("builder", "words"),
    [
        (samples.encrypted_pdf, "có mật khẩu"),
        (samples.truncated_pdf, "bị hỏng"),
        (samples.garbage_pdf, "bị hỏng"),
        (samples.scanned_pdf, "không có lớp chữ (bản quét) — cần nhận dạng chữ (OCR) trước khi tải lên"),
    ],
)
def test_bad_pdfs_give_their_reason(builder, words):
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(builder(), kind="pdf")
    assert words in caught.value.reason
    assert str(caught.value) == caught.value.reason


def test_a_page_that_breaks_names_its_page(monkeypatch):
    from pypdf import PageObject

    calls = []

    def extract_text(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("bad content stream")
        return "chữ"

    monkeypatch.setattr(PageObject, "extract_text", extract_text)
    with pytest.raises(ExtractionError, match="trang 2 "):
        extract_bytes(samples.report_pdf(), kind="pdf")


def test_too_much_text_is_refused_with_a_reason(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_CHARS", 100)
    for data, kind in [(samples.report_pdf(), "pdf"), (b"a" * 101, "txt"), (samples.docx_bytes(), "docx")]:
        with pytest.raises(ExtractionError, match="hơn 100 ký tự"):
            extract_bytes(data, kind=kind)


# DOCX --------------------------------------------------------------------------------------------


def test_docx_splits_at_the_page_break_and_keeps_table_cells():
    pages = extract_bytes(samples.docx_bytes(), kind="docx")
    assert len(pages) == 2
    assert "Sổ tay câu lạc bộ" in pages[0] and samples.DOCX_PAGE_1 in pages[0]
    assert samples.DOCX_PAGE_2 in pages[1]
    cells = [cell for row in samples.DOCX_TABLE for cell in row]
    positions = [pages[1].index(cell) for cell in cells]
    assert positions == sorted(positions)  # in reading order, each cell once
    assert all(pages[1].count(cell) == 1 for cell in cells)
    assert samples.DOCX_PAGE_1 not in pages[1]


def test_docx_notes_follow_the_page_that_cites_them():
    pages = extract_bytes(samples.docx_with_notes_bytes(), kind="docx")
    assert len(pages) == 2
    assert samples.DOCX_PAGE_1 in pages[0] and samples.DOCX_FOOTNOTE in pages[0]
    assert samples.DOCX_ENDNOTE in pages[1] and samples.DOCX_FOOTNOTE not in pages[1]
    assert pages[0].index(samples.DOCX_PAGE_1) < pages[0].index(samples.DOCX_FOOTNOTE)
    assert "---" not in "".join(pages)  # Word's separator notes are not text


def test_docx_section_break_starts_a_page():
    import io

    import docx
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    document.add_paragraph("Phần một về hội")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Phần hai về quỹ")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("vẫn trang hai")
    out = io.BytesIO()
    document.save(out)
    pages = extract_bytes(out.getvalue(), kind="docx")
    assert pages == ["Phần một về hội", "Phần hai về quỹ\n\nvẫn trang hai"]


@pytest.mark.parametrize(
    ("builder", "words"),
    [
        (samples.zip_renamed_docx, "không phải tài liệu Word"),
        (samples.docx_zip_bomb, "giải nén ra quá lớn"),
        (lambda: b"PK\x03\x04 not really a zip", "không phải tài liệu Word"),
    ],
)
def test_bad_docx_give_their_reason(builder, words):
    with pytest.raises(ExtractionError, match=words):
        extract_bytes(builder(), kind="docx")


# TXT and HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_txt_pages_split_at_form_feeds(bom):
    assert extract_bytes(samples.txt_bytes(bom=bom), kind="txt") == samples.TXT_PAGES


def test_txt_in_windows_1258_is_read_and_normalised():
    pages = extract_bytes(samples.cp1258_txt_bytes(), kind="txt")
    assert pages[0].endswith(samples.CP1258_TEXT)  # NFC, although cp1258 stores tones apart
    assert unicodedata.is_normalized("NFC", pages[0])


def test_txt_decomposed_unicode_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Tiếng Việt")
    assert extract_bytes(nfd.encode(), kind="txt") == ["Tiếng Việt"]


def test_empty_txt_is_a_failure():
    with pytest.raises(ExtractionError, match="trống"):
        extract_bytes(b" \n\f\n", kind="txt")


def test_html_drops_script_style_nav_and_keeps_blocks_apart():
    (page,) = extract_bytes(samples.html_bytes(), kind="html")
    assert page.startswith(samples.HTML_TEXT)
    assert "Đoạn một & tiếp theo." in page  # entities decoded
    assert "Khối đậm cuối" in page  # inline elements do not split words
    for hidden in ("menuchinh", "bienma", "Trang", "color"):
        assert hidden not in page
    assert page.split("\n\n")[0] == samples.HTML_TEXT


def test_html_in_a_declared_legacy_charset():
    data = '<meta charset="windows-1252"><p>Café</p>'.encode("cp1252")
    assert extract_bytes(data, kind="html") == ["Café"]


def test_unknown_kind_is_refused():
    with pytest.raises(ExtractionError, match="không được hỗ trợ"):
        extract_bytes(b"x", kind="odt")


def test_kind_of_prefers_the_media_type():
    assert kind_of("a.bin", "application/pdf") == "pdf"
    assert kind_of("Báo cáo.HTM") == "html"
    assert kind_of("a.txt", "text/plain; charset=utf-8") == "txt"
    assert kind_of("a.exe") is None


# Upload check ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "builder", "kind"),
    [
        ("bao-cao.pdf", samples.report_pdf, "pdf"),
        ("so-tay.docx", samples.docx_bytes, "docx"),
        ("nghi-dinh.TXT", samples.txt_bytes, "txt"),
        ("luat.html", samples.html_bytes, "html"),
        ("luat.htm", samples.html_bytes, "html"),
        # Refused later, by extraction, with a reason staff can act on.
        ("khoa.pdf", samples.encrypted_pdf, "pdf"),
    ],
)
def test_upload_check_accepts_real_files(name, builder, kind):
    upload = samples.as_upload(name, builder())
    upload.seek(5)
    assert check_library_upload(upload) == kind
    assert upload.tell() == 5  # the caller's position is left alone


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 an executable", "không phải PDF, Word (DOCX)"),
        ("so-tay.docx", samples.zip_renamed_docx(), "không phải tài liệu Word (.docx) hợp lệ"),
        ("so-tay.docx", samples.report_pdf(), "không phải PDF, Word (DOCX)"),
        ("anh.png", b"\x89PNG\r\n\x1a\n....", "không phải PDF"),
        ("trang.html", b"\x00\x01\x02binary", "không phải PDF"),
        ("ghi-chu.txt", "chữ".encode("utf-16"), "UTF-16"),
        ("cu.txt", "Hội đồng".encode("cp1258", errors="replace"), "không phải văn bản mã UTF-8"),
        ("cu.html", "<p>Café</p>".encode("cp1252"), "không phải văn bản mã UTF-8"),
        ("trong.txt", b"", "trống"),
        ("khong-duoi", b"%PDF-1.7", "không phải PDF"),
    ],
)
def test_upload_check_refuses_wrong_content_with_a_message(name, data, words):
    with pytest.raises(ValidationError) as caught:
        check_library_upload(samples.as_upload(name, data), field="tep")
    assert list(caught.value.message_dict) == ["tep"]
    assert words in caught.value.message_dict["tep"][0]


def test_upload_check_refuses_oversize(settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    data = samples.txt_bytes() + b" " * (1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        check_library_upload(samples.as_upload("lon.txt", data))
    assert "lớn hơn 1 MB" in caught.value.message_dict["file"][0]


@pytest.mark.django_db
def test_upload_check_writes_nothing(django_assert_num_queries):
    from ketnoi.library.models import DocumentFile

    with django_assert_num_queries(0):
        with pytest.raises(ValidationError):
            check_library_upload(samples.as_upload("so-tay.docx", samples.docx_zip_bomb()))
        check_library_upload(samples.as_upload("bao-cao.pdf", samples.report_pdf()))
    assert not DocumentFile.objects.exists()
