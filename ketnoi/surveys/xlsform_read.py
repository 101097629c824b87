"""Reading an XLSForm file for xlsform.py: the bytes (with their limits), the file's type judged
by its first bytes, pyxform's workbook, and the survey and choices rows beside it with their
typographic quotes kept (pyxform's JSON has no row numbers and straightens the quotes). Every
refusal is a ValidationError whose message says what to change. The underscored names are the
import's own, shared with xlsform.py and xlsform_convert.py."""

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import dealias_and_group_headers
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.xls2json_backends import get_xlsform

from ketnoi.core.spreadsheets import SheetLimits, ZipLimits, check_zip_archive, xlsx_rows

from .xlsform_messages import pyxform_message

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to a flood
MAX_ROWS = 2000  # rows of the survey sheet
MAX_SHEET_ROWS = 20_000  # rows of any sheet (the choices of every commune fit)
MAX_COLUMNS = 250  # a form translated into many languages stays far below
MAX_SECONDS = 20.0
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="xlsform")


def _not_a_workbook(filename: str) -> ValidationError:
    return _refuse(
        _(
            "Tệp “%(name)s” không phải là bảng tính XLSForm (.xlsx). Hãy mở biểu mẫu trong Excel, LibreOffice "
            "hoặc KoboToolbox, lưu (hoặc tải về) dưới dạng .xlsx rồi tải lên lại."
        )
        % {"name": Path(filename or "").name or "?"}
    )


def _read_bytes(fileobj: Any, filename: str) -> bytes:
    if isinstance(fileobj, bytes | bytearray):
        data = bytes(fileobj)
    else:
        if hasattr(fileobj, "seek"):
            with contextlib.suppress(OSError, ValueError):
                fileobj.seek(0)
        data = fileobj.read(MAX_BYTES + 1)
        if isinstance(data, str):
            raise _not_a_workbook(filename)
    if len(data) > MAX_BYTES:
        raise _refuse(
            _(
                "Tệp lớn hơn %(mb)s MB: một biểu mẫu XLSForm thường chỉ vài chục KB. "
                "Hãy xoá các trang không cần rồi thử lại."
            )
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if not data:
        raise _refuse(_("Tệp trống. Hãy chọn tệp XLSForm (.xlsx) có trang survey."))
    return data


def _file_type(data: bytes, filename: str) -> str:
    """pyxform's file type for the content, judged by its first bytes, never by its name alone."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls"):
        raise _not_a_workbook(filename)
    if data.startswith(OLE_MAGIC):
        return ".xls"
    if not data.startswith(ZIP_MAGIC):
        raise _not_a_workbook(filename)
    try:
        members = check_zip_archive(data, limits=_sheet_limits().zip)
    except ValidationError as error:
        if error.code != "broken":
            raise _refuse(" ".join(error.messages)) from None
        raise _refuse(
            _("Tệp “%(name)s” bị hỏng, không mở được. Hãy lưu lại tệp từ Excel hoặc tải lại từ KoboToolbox.")
            % {"name": Path(filename).name}
        ) from None
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise _not_a_workbook(filename)
    return ".xlsx"


def _sheet_limits() -> SheetLimits:
    """What an XLSForm workbook may unpack to and hold (read when called: tests patch the caps)."""
    return SheetLimits(
        max_rows=MAX_SHEET_ROWS,
        max_columns=MAX_COLUMNS,
        seconds=MAX_SECONDS,
        zip=ZipLimits(max_members=500, max_member_bytes=20 * 1024 * 1024, max_total_bytes=MAX_UNPACKED_BYTES),
    )


def _check_sheets(data: bytes, file_type: str, filename: str) -> None:
    """Read every sheet once through the bounded reader before pyxform reads it: pyxform takes
    every column of the first row as a header and every cell as it comes, with no limit."""
    if file_type != ".xlsx":
        return  # a legacy .xls is not a zip: its size on disk is what it holds
    try:
        for sheet, number, values in xlsx_rows(data, limits=_sheet_limits(), every_sheet=True):
            if number == 1 and str(sheet).strip().lower() in ("survey", "choices", "settings", "external_choices"):
                _check_headers(str(sheet), values)
    except ValidationError as error:
        if error.code == "broken":
            raise _refuse(
                _(
                    "Không đọc được tệp “%(name)s”: tệp bị hỏng hoặc không phải bảng tính. "
                    "Hãy lưu lại tệp từ Excel rồi thử lại."
                )
                % {"name": Path(filename).name}
            ) from None
        raise _refuse(" ".join(error.messages)) from None


def _check_headers(sheet: str, values: list) -> None:
    """A column header written twice: pyxform stops at it without naming the sheet."""
    seen: dict[str, int] = {}
    for index, value in enumerate(values, start=1):
        header = str(value).strip() if value is not None else ""
        if not header:
            continue
        if header.lower() in seen:
            raise _refuse(
                _(
                    "Trang %(sheet)s, dòng 1: tiêu đề cột “%(header)s” có hai lần (cột %(first)s và cột %(second)s). "
                    "Mỗi cột cần một tiêu đề riêng: hãy xoá hoặc đổi tên một cột."
                )
                % {
                    "sheet": sheet,
                    "header": header,
                    "first": _column_letter(seen[header.lower()]),
                    "second": _column_letter(index),
                }
            )
        seen[header.lower()] = index


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _pyxform_problem(error: Exception) -> ValidationError:
    """pyxform's own message in the author's language (xlsform_messages.py)."""
    return _refuse(pyxform_message(str(error) or type(error).__name__))


def _load_workbook(data: bytes, file_type: str, filename: str):
    _check_sheets(data, file_type, filename)
    try:
        workbook = get_xlsform(data, file_type=file_type)
    except PyXFormError as error:
        duplicate = re.match(r"Duplicate column header: (.*)", str(error))
        if duplicate:  # a legacy .xls (an .xlsx is checked sheet by sheet above)
            raise _refuse(
                _("Tiêu đề cột “%(header)s” có hai lần trên một trang. Hãy xoá hoặc đổi tên một cột.")
                % {"header": duplicate.group(1).strip()}
            ) from None
        raise _pyxform_problem(error) from None
    except Exception:  # any reader failure is the file's fault, never a server error
        raise _refuse(
            _(
                "Không đọc được tệp “%(name)s”: tệp bị hỏng hoặc không phải bảng tính. "
                "Hãy lưu lại tệp từ Excel rồi thử lại."
            )
            % {"name": Path(filename).name}
        ) from None
    sheet_names = [str(name).lower() for name in workbook.sheet_names or []]
    if "survey" not in sheet_names and len(sheet_names) != 1:
        raise _refuse(
            _(
                "Tệp không có trang “survey”. Một XLSForm cần trang survey (các câu hỏi), trang choices (các lựa "
                "chọn) và có thể có trang settings."
            )
        )
    if not any(workbook.survey or []):
        raise _refuse(_("Trang survey trống. Hãy thêm dòng tiêu đề (type, name, label) và ít nhất một câu hỏi."))
    if len(workbook.survey) > MAX_ROWS:
        raise _refuse(_("Trang survey có quá %(n)s dòng.") % {"n": MAX_ROWS})
    return workbook


# pyxform turns typographic quotes into straight ones in every cell (for the expressions' sake);
# texts are read beside it with the quotes kept, parked on private-use characters meanwhile.
_KEEP_QUOTES = str.maketrans({"\u2018": "\ue018", "\u2019": "\ue019", "\u201c": "\ue01c", "\u201d": "\ue01d"})
_PUT_BACK_QUOTES = str.maketrans({v: k for k, v in _KEEP_QUOTES.items()})


def _keep_quotes(sheet_rows: Any) -> list:
    return json.loads(json.dumps(sheet_rows or [], default=str, ensure_ascii=False).translate(_KEEP_QUOTES))


def _dealiased(sheet_name: str, sheet_rows: Any, header: Any, *, strip: bool, **options: Any) -> list[dict]:
    try:
        return list(
            dealias_and_group_headers(
                sheet_name=sheet_name,
                sheet_data=_keep_quotes(sheet_rows),
                sheet_header=_keep_quotes(header),
                strip_whitespace=strip,
                **options,
            ).data
        )
    except PyXFormError as error:
        raise _pyxform_problem(error) from None


def _survey_rows(workbook, *, strip: bool) -> list[tuple[int, dict]]:
    """(row number, row with pyxform's normalised headers) for every row that makes an element."""
    data = _dealiased(
        "survey",
        workbook.survey,
        workbook.survey_header,
        strip=strip,
        header_aliases=aliases.survey_header,
        header_columns=set(MultipleChoiceQuestion.get_slot_names()),
        headers_required={"type"},
    )
    rows = []
    for number, row in enumerate(data, start=2):  # row 1 holds the headers
        if aliases.yes_no.get(str(row.get("disabled", "")).strip()):
            continue
        kind = str(row.get("type") or "").strip().lower().replace(" ", "_")
        if not kind or kind in ("end_group", "end_repeat", "endgroup", "endrepeat", "end_loop", "endloop"):
            continue
        rows.append((number, row))
    return rows


def _choice_rows(workbook, *, strip: bool) -> dict[str, list[tuple[int, dict]]]:
    """{list name: [(row number, row with pyxform's normalised headers)]} from the choices
    sheet, in the sheet's order: the labels as written, the media ({"image": {language: file}})
    and the extra columns (a choice_filter's columns)."""
    if not workbook.choices:
        return {}
    data = _dealiased(
        "choices",
        workbook.choices,
        workbook.choices_header,
        strip=strip,
        header_aliases=aliases.list_header,
        header_columns=set(Option.get_slot_names()),
    )
    lists: dict[str, list[tuple[int, dict]]] = {}
    for number, row in enumerate(data, start=2):
        list_name = _text(row.get("list name"))
        if list_name:
            lists.setdefault(list_name, []).append((number, row))
    return lists


def _settings(workbook) -> dict[str, str]:
    first = (workbook.settings or [{}])[0] or {}
    return {str(key).strip().lower(): str(value).strip() for key, value in first.items() if value is not None}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(_PUT_BACK_QUOTES).strip()
