"""Text out of a library file, page by page: what the background task feeds to the search index.

Every failure a reader's file can cause (a password, a broken file, a scan without a text
layer, a file that would explode in memory) is an `ExtractionError` whose message tells staff
what to do; the task stores that message on the file. Anything else is a bug and is logged.

The caps below exist because a file is untrusted input: a few kilobytes of zip can inflate to
gigabytes, and a PDF can hold millions of characters that would all become passages.
"""

import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketnoi.core.spreadsheets import ZipLimits, check_zip_archive

# More text than any report or law the corner holds; beyond it a file is a dump or an attack.
MAX_CHARS = 5_000_000
# DOCX: the parts together once unzipped (pictures included), one XML part (python-docx parses it
# whole into a tree several times its size), and how much bigger than zipped a part may become.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 40 * 1024 * 1024
MAX_ZIP_RATIO = 100
DOCX_LIMITS = ZipLimits(
    max_members=2000,
    max_member_bytes=MAX_PART_BYTES,
    max_total_bytes=MAX_UNZIPPED_BYTES,
    max_ratio=MAX_ZIP_RATIO,
)

KINDS = ("pdf", "docx", "txt", "html")
KIND_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".html": "html", ".htm": "html"}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
    "html": "text/html",
}


class ExtractionError(Exception):
    """A file whose text cannot be extracted, with a reason to show staff (in Vietnamese)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def kind_of(name: str, media_type: str = "") -> str | None:
    """The kind of a stored file: from its media type, else from its name's extension."""
    for kind, known in MEDIA_TYPES.items():
        if media_type and media_type.split(";")[0].strip().lower() == known:
            return kind
    return KIND_BY_SUFFIX.get(Path(name or "").suffix.lower())


def extract_pages(path, *, kind: str) -> list[str]:
    """The text of the file at `path`, one NFC string per page; raises ExtractionError."""
    extractors = {"pdf": _pdf_pages, "docx": _docx_pages, "txt": _txt_pages, "html": _html_pages}
    if kind not in extractors:
        raise ExtractionError(_("định dạng tệp không được hỗ trợ — hãy tải lên PDF, DOCX, TXT hoặc HTML"))
    pages = [unicodedata.normalize("NFC", page.replace("\x00", "")) for page in extractors[kind](Path(path))]
    _check_size(sum(len(page) for page in pages))
    return pages


def _check_size(chars: int) -> None:
    if chars > MAX_CHARS:
        raise ExtractionError(
            _("tệp có hơn %(limit)s ký tự chữ — hãy tách thành nhiều tệp nhỏ hơn rồi tải lên")
            % {"limit": f"{MAX_CHARS:,}".replace(",", ".")}
        )


# PDF --------------------------------------------------------------------------------------------


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    broken = _("tệp PDF bị hỏng hoặc không đầy đủ — hãy xuất lại PDF từ bản gốc rồi tải lên")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(_("tệp PDF có mật khẩu — hãy gỡ mật khẩu (lưu lại bản không khoá) rồi tải lên lại"))
        count = len(reader.pages)
    except ExtractionError:
        raise
    except DependencyError as error:
        raise ExtractionError(
            _("tệp PDF được mã hoá theo cách máy chủ chưa đọc được — hãy lưu lại bản không mã hoá rồi tải lên")
        ) from error
    except FileNotDecryptedError as error:
        raise ExtractionError(
            _("tệp PDF có mật khẩu — hãy gỡ mật khẩu (lưu lại bản không khoá) rồi tải lên lại")
        ) from error
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise ExtractionError(broken) from error
    if count == 0:
        raise ExtractionError(broken)
    pages: list[str] = []
    total = 0
    for number in range(count):
        try:
            text = reader.pages[number].extract_text() or ""
        except DependencyError as error:
            raise ExtractionError(
                _("tệp PDF được mã hoá theo cách máy chủ chưa đọc được — hãy lưu lại bản không mã hoá rồi tải lên")
            ) from error
        except Exception as error:  # pypdf raises many kinds on a damaged page
            raise ExtractionError(
                _("trang %(page)s của tệp PDF bị hỏng — hãy xuất lại PDF từ bản gốc rồi tải lên") % {"page": number + 1}
            ) from error
        total += len(text)
        _check_size(total)
        pages.append(text)
    if not any(page.strip() for page in pages):
        raise ExtractionError(_("không có lớp chữ (bản quét) — cần nhận dạng chữ (OCR) trước khi tải lên"))
    return pages


# DOCX -------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def check_docx_archive(source) -> None:
    """Refuse a zip that is not a Word document or would inflate beyond reason, before python-docx
    unzips every part into memory. `source` is a path or a seekable binary file."""
    not_word = _("tệp không phải tài liệu Word (.docx) hợp lệ — hãy mở bằng Word và lưu lại dạng .docx")
    try:
        members = check_zip_archive(source, limits=DOCX_LIMITS)
    except ValidationError as error:
        if error.code == "broken":
            raise ExtractionError(not_word) from None
        raise ExtractionError(
            _("tệp Word giải nén ra quá lớn (có thể là tệp độc hại) — hãy lưu lại tài liệu bằng Word rồi tải lên")
        ) from None
    if "word/document.xml" not in {member.filename for member in members}:
        raise ExtractionError(not_word)


_BLANK_LINES = re.compile(r"\n\s*\n\s*\n")


def _section_type(section) -> str:
    kind = section.find(f"{_W}type")
    return "nextPage" if kind is None else kind.get(f"{_W}val", "nextPage")


_NOTE_KINDS = {f"{_W}footnoteReference": "footnote", f"{_W}endnoteReference": "endnote"}
_NOTE_PLUMBING = {"separator", "continuationSeparator", "continuationNotice"}


def _docx_notes(document) -> dict[tuple[str, str], str]:
    """Footnote and endnote texts by (kind, id). Research reports and laws keep their sources and
    definitions there, so they are searched too — on the page that cites them. (Headers and
    footers are left out: they repeat a title or a page number on every page.)"""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    kinds = {RT.FOOTNOTES: "footnote", RT.ENDNOTES: "endnote"}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    notes: dict[tuple[str, str], str] = {}
    for relationship in document.part.rels.values():
        kind = kinds.get(relationship.reltype)
        if kind is None or relationship.is_external:
            continue
        root = etree.fromstring(relationship.target_part.blob, parser=parser)
        for note in root.iter(f"{_W}{kind}"):
            if note.get(f"{_W}type") in _NOTE_PLUMBING:
                continue
            paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.iter(f"{_W}p")]
            text = "\n".join(p.strip() for p in paragraphs if p.strip())
            if text:
                notes[(kind, note.get(f"{_W}id", ""))] = text
    return notes


class _DocxWalker:
    """Body text in reading order: paragraphs, and table rows with one line per cell; a new page
    at every explicit page break, "page break before" paragraph and section break. The notes a
    page cites follow its text."""

    def __init__(self, notes: dict[tuple[str, str], str] | None = None):
        self.pages: list[list[str]] = [[]]
        self.chars = 0
        self.table_depth = 0
        self.notes = notes or {}
        self.cited: list[tuple[str, str]] = []  # notes cited on the current page, in order

    def write(self, text: str) -> None:
        self.pages[-1].append(text)
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            _check_size(self.chars)

    def end_page(self) -> None:
        for key in dict.fromkeys(self.cited):
            if key in self.notes:
                self.write(f"\n\n{self.notes[key]}")
        self.cited = []

    def new_page(self) -> None:
        if "".join(self.pages[-1]).strip():
            self.end_page()
            self.pages.append([])

    def walk(self, body) -> list[str]:
        from lxml import etree

        sections = list(body.iter(f"{_W}sectPr"))
        section_breaks = iter([_section_type(s) != "continuous" for s in sections[1:]])
        walker = etree.iterwalk(body, events=("start", "end"))
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if tag == _MC_FALLBACK:  # the same content again, for old readers
                    walker.skip_subtree()
                elif tag == f"{_W}t":
                    self.write(element.text or "")
                elif tag == f"{_W}tab":
                    self.write("\t")
                elif tag == f"{_W}br":
                    if element.get(f"{_W}type") == "page":
                        self.new_page()
                    else:
                        self.write("\n")
                elif tag == f"{_W}cr":
                    self.write("\n")
                elif tag == f"{_W}p" and element.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:
                    if element.find(f"{_W}pPr/{_W}pageBreakBefore").get(f"{_W}val", "true") not in ("0", "false"):
                        self.new_page()
                elif tag == f"{_W}tbl":
                    self.table_depth += 1
                elif tag in _NOTE_KINDS:
                    self.cited.append((_NOTE_KINDS[tag], element.get(f"{_W}id", "")))
            elif tag == f"{_W}p":
                # A paragraph is a unit for passages (blank line); in a table a row is.
                self.write("\n" if self.table_depth else "\n\n")
                # A paragraph with section properties ends a section; the next section's
                # type says whether it starts on a new page.
                if element.find(f"{_W}pPr/{_W}sectPr") is not None and next(section_breaks, True):
                    self.new_page()
            elif tag == f"{_W}tr":
                self.write("\n")
            elif tag == f"{_W}tbl":
                self.table_depth -= 1
                self.write("\n")
        self.end_page()
        pages = [_BLANK_LINES.sub("\n\n", "".join(parts)).strip() for parts in self.pages]
        while len(pages) > 1 and not pages[-1]:
            pages.pop()
        return pages


def _docx_pages(path: Path) -> list[str]:
    check_docx_archive(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ExtractionError(
            _("tệp không phải tài liệu Word (.docx) hợp lệ — hãy mở bằng Word và lưu lại dạng .docx")
        ) from error
    except Exception as error:  # lxml parse errors and friends: a damaged part
        raise ExtractionError(_("tệp Word bị hỏng — hãy mở bằng Word, lưu lại rồi tải lên")) from error
    try:
        notes = _docx_notes(document)
    except Exception as error:  # a damaged notes part: the body alone would hide that
        raise ExtractionError(_("tệp Word bị hỏng — hãy mở bằng Word, lưu lại rồi tải lên")) from error
    pages = _DocxWalker(notes).walk(document.element.body)
    if not any(page.strip() for page in pages):
        raise ExtractionError(_("tệp Word không có chữ nào — hãy kiểm tra lại tệp rồi tải lên"))
    return pages


# TXT and HTML -----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_text(data: bytes, *, html: bool = False) -> str:
    """UTF-8 (a BOM tolerated); else, for HTML, the charset its <meta> names; else Windows-1258
    (Vietnamese Windows) and latin-1 as the last resort, which never fails."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html and (match := _META_CHARSET.search(data[:4096])):
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _read_capped(path: Path) -> bytes:
    # Four bytes per character at most in UTF-8: more bytes than that cannot fit the cap.
    with path.open("rb") as handle:
        data = handle.read(MAX_CHARS * 4 + 1)
    if len(data) > MAX_CHARS * 4:
        _check_size(MAX_CHARS + 1)
    return data


def _txt_pages(path: Path) -> list[str]:
    text = decode_text(_read_capped(path))
    _check_size(len(text))
    pages = [page.strip() for page in text.replace("\r\n", "\n").replace("\r", "\n").split("\f")]
    while len(pages) > 1 and not pages[-1]:
        pages.pop()
    if not any(pages):
        raise ExtractionError(_("tệp văn bản trống — hãy kiểm tra lại tệp rồi tải lên"))
    return pages


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, with block elements on lines of their own."""

    SKIP = {"script", "style", "nav", "noscript", "template", "head", "svg", "iframe", "object"}
    BLOCKS = {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tr", "ul", "title",
    }  # fmt: skip
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.chars = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag not in self.SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping:
            # Tolerate unclosed tags inside a skipped element: close up to the matching one.
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.skipping:
            return
        self.parts.append(data)
        self.chars += len(data)
        if self.chars > MAX_CHARS:
            _check_size(self.chars)

    def text(self) -> str:
        # Source line breaks inside a paragraph are just spaces in a browser.
        raw = "".join(self.parts)
        blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", raw)]
        return "\n\n".join(block for block in blocks if block)


def _html_pages(path: Path) -> list[str]:
    source = decode_text(_read_capped(path), html=True)
    parser = _HTMLText()
    try:
        parser.feed(source)
        parser.close()
    except ExtractionError:
        raise
    except Exception as error:  # html.parser is lenient; this is a safety net
        raise ExtractionError(_("tệp HTML bị hỏng — hãy lưu lại trang rồi tải lên")) from error
    text = parser.text()
    if not text.strip():
        raise ExtractionError(_("trang HTML không có chữ nào để tìm — hãy kiểm tra lại tệp rồi tải lên"))
    return [text]


def extract_bytes(data: bytes, *, kind: str) -> list[str]:
    """`extract_pages` for bytes in memory (tests, previews): writes a temporary file."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=f".{kind}") as handle:
        handle.write(data)
        handle.flush()
        return extract_pages(handle.name, kind=kind)
