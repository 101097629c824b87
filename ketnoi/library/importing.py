"""Reading a catalogue of documents from a CSV or XLSX file and classifying each row.

Nothing here writes: the reading task (`tasks_import.py`) stores what `Classifier` returns as the
DocumentImportRows of a DocumentImport, and confirming makes each new row a document through
`services.document_create`.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.parsing import whole_number
from ketnoi.core.spreadsheets import SheetLimits, ZipLimits, csv_rows, xlsx_rows
from ketnoi.core.text import fold, normalise

from .models import TITLE_MAX, Document, DocumentType, Language

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
SHEET_LIMITS = SheetLimits(
    max_rows=MAX_ROWS + 1,
    max_columns=50,
    max_cell_chars=4000,
    seconds=30.0,
    zip=ZipLimits(max_member_bytes=20 * 1024 * 1024, max_total_bytes=40 * 1024 * 1024),
)
ZIP_SIGNATURE = b"PK\x03\x04"
HEADER_SEARCH_ROWS = 10
MIN_YEAR = 1900
# A list inside a cell: creators and subjects are separated by ";" (or a new line).
LIST_SEPARATOR = re.compile(r"[;\n]")

HEADERS = {
    "title": {"nhan de", "ten tai lieu", "tieu de", "title"},
    "creators": {"tac gia", "tac gia to chuc", "creators", "creator", "author", "authors"},
    "year": {"nam", "nam xuat ban", "year"},
    "type": {"loai", "loai tai lieu", "type"},
    "language": {"ngon ngu", "language"},
    "subjects": {"chu de", "tu khoa", "chu de tu khoa", "subjects", "keywords", "subject"},
    "publisher": {"nha xuat ban", "co quan ban hanh", "publisher"},
    "url": {"dia chi web", "duong dan", "url", "link"},
}
TEMPLATE_HEADERS = ["Nhan đề", "Tác giả", "Năm", "Loại", "Ngôn ngữ", "Chủ đề", "Nhà xuất bản", "URL"]
LANGUAGE_NAMES = {"tieng viet": "vi", "viet": "vi", "english": "en", "tieng anh": "en", "tieng phap": "fr"}


def _header_key(value: Any) -> str:
    return re.sub(r"[\s_\-/.]+", " ", fold(str(value or ""))).strip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(str(value))


def check_upload(content: bytes, filename: str) -> None:
    """What can be said at upload, before any reading: too large, empty, not a real workbook."""
    if len(content) > MAX_BYTES:
        raise ValidationError(_("Tệp quá lớn: tối đa 5 MB. Hãy chia danh mục thành nhiều tệp."))
    if not content.strip():
        raise ValidationError(_("Tệp trống: hãy chọn tệp có danh mục tài liệu."))
    if not content.startswith(ZIP_SIGNATURE) and filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ValidationError(
            _("Tệp này không phải bảng tính Excel (.xlsx) thật. Hãy mở tệp và lưu lại dạng .xlsx hoặc CSV UTF-8.")
        )


def read_content(content: bytes, filename: str) -> list[tuple[int, list[Any]]]:
    """[(spreadsheet row number, cells)] through the bounded reader; a refusal says what to do."""
    check_upload(content, filename)
    try:
        if content.startswith(ZIP_SIGNATURE):
            return [(number, values) for _sheet, number, values in xlsx_rows(content, limits=SHEET_LIMITS)]
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("Tệp không phải CSV mã hoá UTF-8 hay bảng tính .xlsx: hãy lưu lại dạng CSV UTF-8 hoặc .xlsx.")
            ) from None
        if "\x00" in text:
            raise ValidationError(_("Tệp không phải CSV hay bảng tính .xlsx: hãy lưu lại dạng CSV UTF-8 hoặc .xlsx."))
        delimiter = max(",;\t", key=text.split("\n", 1)[0].count)
        return list(csv_rows(text, delimiter=delimiter, limits=SHEET_LIMITS))
    except ValidationError as error:
        if error.code == "too_many_rows":
            raise ValidationError(
                _("Tệp có hơn %(max)s dòng: hãy chia danh mục thành nhiều tệp nhỏ hơn.") % {"max": f"{MAX_ROWS:,}"}
            ) from None
        if error.code == "broken":
            raise ValidationError(
                _("Không đọc được tệp Excel này. Hãy mở tệp và lưu lại dạng .xlsx hoặc CSV UTF-8.")
            ) from None
        raise


@dataclass
class Sheet:
    header: list[str]
    columns: dict[str, int]
    ignored: list[str]
    body: list[tuple[int, list[Any]]]


def find_header(table: list[tuple[int, list[Any]]]) -> Sheet:
    """The header is the first row naming a title column; empty rows are left out."""
    for index, (_line, cells) in enumerate(table[:HEADER_SEARCH_ROWS]):
        if any(_header_key(value) in HEADERS["title"] for value in cells):
            table = table[index:]
            break
    else:
        raise ValidationError(
            _("Không tìm thấy cột nhan đề. Dòng đầu của tệp phải là tiêu đề cột, ví dụ “Nhan đề”, “Tác giả”, “Năm”.")
        )
    (_header_line, header), *body = table
    columns: dict[str, int] = {}
    ignored = []
    for index, value in enumerate(header):
        key = _header_key(value)
        field = next((f for f, names in HEADERS.items() if key in names), None)
        if field and field not in columns:
            columns[field] = index
        elif key:
            ignored.append(_cell(value))
    body = [(line, cells) for line, cells in body if any(_cell(value) for value in cells)]
    if not body:
        raise ValidationError(_("Tệp không có dòng nào có dữ liệu: hãy thêm mỗi tài liệu một dòng dưới dòng tiêu đề."))
    return Sheet(header=[_cell(value) for value in header], columns=columns, ignored=ignored, body=body)


def _choice(value: str, choices, extra: dict[str, str] | None = None) -> str | None:
    key = fold(value)
    for code, label in choices:
        if key in (fold(code), fold(str(label))):
            return code
    return (extra or {}).get(key)


def parse_row(line: int, cells: list[Any], columns: dict[str, int]) -> dict:
    """One row as {"line", "data", "errors"}; data is what document_create takes."""

    def get(field: str) -> str:
        index = columns.get(field)
        return _cell(cells[index]) if index is not None and index < len(cells) else ""

    errors: list[str] = []
    data: dict[str, Any] = {
        "title": get("title"),
        "creators": [name.strip() for name in LIST_SEPARATOR.split(get("creators")) if name.strip()],
        "year": None,
        "type": DocumentType.RESEARCH.value,
        "language": Language.VIETNAMESE.value,
        "subjects": [name.strip() for name in LIST_SEPARATOR.split(get("subjects")) if name.strip()],
        "publisher": get("publisher"),
        "url": get("url"),
    }
    if not data["title"]:
        errors.append(_("thiếu nhan đề"))
    elif len(data["title"]) > TITLE_MAX:
        errors.append(_("nhan đề dài quá %(max)s ký tự") % {"max": TITLE_MAX})
    year = get("year")
    if year:
        last = timezone.localdate().year + 1
        data["year"] = whole_number(year, low=MIN_YEAR, high=last)
        if data["year"] is None:
            errors.append(
                _("năm “%(value)s” không hợp lệ (ghi 4 chữ số, từ %(min)s đến %(max)s)")
                % {"value": year, "min": MIN_YEAR, "max": last}
            )
    kind = get("type")
    if kind:
        data["type"] = _choice(kind, DocumentType.choices)
        if data["type"] is None:
            errors.append(
                _("loại “%(value)s” không rõ (ghi một trong: %(choices)s)")
                % {"value": kind, "choices": ", ".join(str(label) for _code, label in DocumentType.choices)}
            )
    language = get("language")
    if language:
        data["language"] = _choice(language, Language.choices, LANGUAGE_NAMES)
        if data["language"] is None:
            errors.append(
                _("ngôn ngữ “%(value)s” không rõ (ghi Tiếng Việt, Tiếng Anh, Tiếng Pháp hoặc vi, en, fr)")
                % {"value": language}
            )
    if len(data["publisher"]) > 255:
        errors.append(_("nhà xuất bản dài quá 255 ký tự"))
    if data["url"]:
        try:
            if len(data["url"]) > 500:
                raise ValidationError("")
            URLValidator(schemes=["http", "https"])(data["url"])
        except ValidationError:
            errors.append(
                _("địa chỉ web “%(value)s” không hợp lệ (bắt đầu bằng http:// hoặc https://)")
                % {"value": data["url"][:80]}
            )
    if any(len(name) > 255 for name in data["creators"]):
        errors.append(_("tên tác giả dài quá 255 ký tự"))
    if any(len(name) > 120 for name in data["subjects"]):
        errors.append(_("chủ đề dài quá 120 ký tự"))
    return {"line": line, "data": data, "errors": errors}


def _key(data: dict) -> tuple[str, Any]:
    return (fold(data["title"]), data["year"])


class Classifier:
    """New, duplicate (same folded title and year as a document of the programme or an earlier
    line) or error, a batch at a time; the programme's titles are loaded once."""

    def __init__(self, programme_id: int, columns: dict[str, int]) -> None:
        self.columns = columns
        self.existing: dict[tuple[str, Any], tuple[int, str]] = {}
        for pk, title, year in Document.objects.filter(programme_id=programme_id).values_list("pk", "title", "year"):
            self.existing.setdefault((fold(title), year), (pk, title))
        self.seen: dict[tuple[str, Any], int] = {}

    def classify(self, batch: list[tuple[int, list[Any]]]) -> list[dict]:
        rows = [parse_row(line, cells, self.columns) for line, cells in batch]
        for row, (_line, cells) in zip(rows, batch, strict=True):
            row.update(status="new", duplicate_of=None, cells=[_cell(value) for value in cells])
            if row["errors"]:
                row["status"] = "error"
                continue
            key = _key(row["data"])
            if key in self.existing:
                pk, title = self.existing[key]
                row.update(status="duplicate", duplicate_of={"document_id": pk, "title": title})
            elif key in self.seen:
                row.update(status="duplicate", duplicate_of={"line": self.seen[key]})
            self.seen.setdefault(key, row["line"])
        return rows
