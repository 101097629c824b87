"""Library files built in memory for tests: good ones in Vietnamese and every kind of bad one.

Each builder returns bytes (wrap them with `as_upload` to get what a form receives). Browser tests
and other helpers reuse these, so the texts below are what searches in those tests look for:
`REPORT_PAGES[1]` (page 2 of `report_pdf()`) holds "Đào tạo cán bộ về tổ chức xã hội".
"""

import io
import logging
import unicodedata
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import ketnoi

FONT = Path(ketnoi.__file__).parent / "events" / "fonts" / "DejaVuSans.ttf"

# A three-page report; the phrase searched for sits on page 2 only.
REPORT_PAGES = [
    "Báo cáo khảo sát năng lực các tổ chức cộng đồng tại tỉnh Quảng Trị năm 2025.\n\n"
    "Chương 1 giới thiệu phương pháp khảo sát và mẫu nghiên cứu.",
    "Chương 2. Đào tạo cán bộ về tổ chức xã hội\n\n"
    "Các khoá tập huấn giúp cán bộ xã hiểu vai trò của hội, nhóm và câu lạc bộ trong đời sống "
    "cộng đồng, cách đăng ký và quản lý hoạt động theo pháp luật hiện hành.",
    "Chương 3. Khuyến nghị\n\nTăng cường đối thoại giữa chính quyền địa phương và người dân.",
]


def pdf_bytes(pages: list[str]) -> bytes:
    """A PDF with a real text layer, one page per string, in DejaVu Sans (full Vietnamese)."""
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatter
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def report_pdf() -> bytes:
    """Three Vietnamese pages (`REPORT_PAGES`); "Đào tạo cán bộ về tổ chức xã hội" is on page 2."""
    return pdf_bytes(REPORT_PAGES)


def _encrypt(data: bytes, *, user_password: str, owner_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # RC4 works without the optional `cryptography` package, which is not installed.
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(password: str = "mat-khau-2025") -> bytes:  # noqa: S107 - a test file's password
    """`report_pdf()` locked with a user password: nobody can read it without the password."""
    return _encrypt(report_pdf(), user_password=password, owner_password=password + "-owner")


def empty_password_pdf() -> bytes:
    """`report_pdf()` encrypted with an empty user password (only editing is restricted, as
    many official PDFs are): it opens without a password and must extract normally."""
    return _encrypt(report_pdf(), user_password="", owner_password="chu-so-huu")


def truncated_pdf() -> bytes:
    """The first third of `report_pdf()`: starts like a PDF, breaks off mid-file."""
    data = report_pdf()
    return data[: len(data) // 3]


def garbage_pdf() -> bytes:
    """A PDF header followed by noise: passes the upload's signature check, cannot be parsed."""
    return b"%PDF-1.7\n" + bytes((i * 37 + 11) % 256 for i in range(4000))


def scanned_pdf() -> bytes:
    """Two pages with only a picture and lines on them, no text layer: what a scanner makes."""
    from fpdf import FPDF
    from PIL import Image

    picture = Image.new("L", (200, 100), color=255)
    for x in range(20, 180):
        picture.putpixel((x, 50), 0)
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(picture, x=10, y=10, w=150)
        pdf.line(10, 120, 200, 120)
    return bytes(pdf.output())


# Word -------------------------------------------------------------------------------------------

DOCX_PAGE_1 = "Hướng dẫn thành lập câu lạc bộ phụ nữ ở thôn bản."
DOCX_PAGE_2 = "Phần hai: quỹ hoạt động và sổ sách minh bạch."
DOCX_TABLE = [("Hoạt động", "Người phụ trách"), ("Họp định kỳ", "Chủ nhiệm câu lạc bộ")]


def docx_bytes() -> bytes:
    """A two-page Word file: a paragraph, an explicit page break, a paragraph and a table
    (`DOCX_PAGE_1` on page 1; `DOCX_PAGE_2` and the cells of `DOCX_TABLE` on page 2)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading("Sổ tay câu lạc bộ", level=1)
    document.add_paragraph(DOCX_PAGE_1)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph(DOCX_PAGE_2)
    table = document.add_table(rows=len(DOCX_TABLE), cols=2)
    for r, row in enumerate(DOCX_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX_FOOTNOTE = "Theo Nghị định 45/2010/NĐ-CP về tổ chức, hoạt động và quản lý hội."
DOCX_ENDNOTE = "Số liệu khảo sát năm 2024 tại ba tỉnh miền núi."


def docx_with_notes_bytes() -> bytes:
    """`docx_bytes()` with a footnote cited on page 1 and an endnote cited on page 2, added to the
    package as Word writes them (python-docx cannot write notes), plus the separator notes Word
    always has."""
    import zipfile

    main = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    edited = ("word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml")
    parts.update({name: parts[name].decode("utf-8") for name in edited})

    def cite(kind: str) -> str:
        return f'<w:r><w:{kind}Reference w:id="2"/></w:r>'

    def part(kind: str, text: str) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {main}>'
            f'<w:{kind} w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="1"><w:p><w:r><w:t>---</w:t></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:id="2"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}></w:{kind}s>'
        )

    body = parts["word/document.xml"]
    first = body.index(DOCX_PAGE_1)
    body = body[:first] + body[first:].replace("</w:r>", "</w:r>" + cite("footnote"), 1)
    second = body.index(DOCX_PAGE_2)
    parts["word/document.xml"] = body[:second] + body[second:].replace("</w:r>", "</w:r>" + cite("endnote"), 1)
    parts["word/footnotes.xml"] = part("footnote", DOCX_FOOTNOTE)
    parts["word/endnotes.xml"] = part("endnote", DOCX_ENDNOTE)
    rels = parts["word/_rels/document.xml.rels"]
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdNote1" Type="{notes_ns}/footnotes" Target="footnotes.xml"/>'
        f'<Relationship Id="rIdNote2" Type="{notes_ns}/endnotes" Target="endnotes.xml"/></Relationships>',
    )
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>",
        f'<Override PartName="/word/footnotes.xml" ContentType="{word}.footnotes+xml"/>'
        f'<Override PartName="/word/endnotes.xml" ContentType="{word}.endnotes+xml"/></Types>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, text in parts.items():
            target.writestr(name, text)
    return out.getvalue()


def zip_renamed_docx() -> bytes:
    """A zip that is not a Word document (a spreadsheet's parts), as if renamed to .docx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return out.getvalue()


def docx_zip_bomb() -> bytes:
    """A .docx whose document.xml inflates a thousandfold: refused before anything parses it."""
    body = b"<w:p><w:r><w:t>" + b" " * (8 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    xml = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>' + body + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


# Plain text and HTML ----------------------------------------------------------------------------

TXT_PAGES = ["Nghị định về hội: điều 1, phạm vi điều chỉnh.", "Điều 2. Đối tượng áp dụng là các hội."]


def txt_bytes(*, bom: bool = False) -> bytes:
    """UTF-8 text, two pages separated by a form feed (`TXT_PAGES`); `bom` adds a UTF-8 BOM."""
    data = "\f".join(TXT_PAGES).encode()
    return (b"\xef\xbb\xbf" + data) if bom else data


def cp1258_txt_bytes() -> bytes:
    """Vietnamese in Windows-1258 (how old Windows saved it) after an ASCII first line, so it
    passes the upload check, which only samples the start."""
    return _to_cp1258("Van ban cu\n" * 300 + CP1258_TEXT)


CP1258_TEXT = "Hội đồng nhân dân xã"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _to_cp1258(text: str) -> bytes:
    # Windows-1258 has â, ơ, ư… precomposed but the five tones only as combining marks.
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out.append(base + "".join(c for c in decomposed if c in _TONES))
    return "".join(out).encode("cp1258")


HTML_TEXT = "Luật về hội và quyền lập hội của công dân"


def html_bytes() -> bytes:
    """An HTML page: a heading and paragraphs (`HTML_TEXT`), plus a script, a style and a
    navigation bar whose words ("menuchinh", "bienma") must not be extracted."""
    return (
        "<!doctype html><html><head><title>Trang</title><style>.bienma{color:red}</style>"
        "<script>var bienma = 'không được lấy';</script></head><body>"
        "<nav><a href='/'>menuchinh</a></nav>"
        f"<h1>{HTML_TEXT}</h1><p>Đoạn một &amp; tiếp theo.<br>Dòng hai.</p>"
        "<div>Khối <b>đậm</b> cuối</div><script>bienma()</script></body></html>"
    ).encode()


def as_upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """What a form hands a view: an in-memory uploaded file named `name`."""
    return SimpleUploadedFile(name, data, content_type=content_type)
