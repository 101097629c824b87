"""XLSForm (the KoboToolbox/ODK spreadsheet format) in and out of our definition format.

Import reads the workbook with pyxform, the reference implementation, so a form is read exactly
as KoboToolbox and ODK read it (type aliases, translated columns, its own checks and their
messages). pyxform's JSON is then turned into our definition (see definition.py); what we cannot
represent is refused with a message naming the row of the survey sheet. pyxform's JSON carries
no row numbers, so the survey sheet's rows are read beside it (through the same header
normalisation pyxform uses) and matched to the JSON's elements by name, in order. Texts (labels,
hints, messages) come from those rows, because pyxform straightens typographic quotes (“…” → "…"),
which Vietnamese writing uses; the rules (type, required, relevant, constraint) are taken as
pyxform read them.

Mapping (both ways):
    text / integer / decimal / date / note     the same type
    text, appearance multiline                 long_text
    select_one L / select_multiple L [or_other] select_one / select_multiple (or_other)
    select_one over consecutive integers       rating (the lowest and highest choice labels are
      (1–5, 1–7, 1–10, 0–10), appearance likert  min_label / max_label)
    begin_group, appearance table-list, whose  matrix (one item per select_one)
      children are select_one over one such list
    begin_group … end_group                    group
Labels, hints and constraint messages: `label::Vietnamese (vi)` and `label::English (en)`
columns (any language name containing "(vi)", "Vietnamese" or "Tiếng Việt" is Vietnamese, and
"(en)" or "English" English); a plain `label` column is the form's default language, Vietnamese
unless the settings say otherwise. A label given in no Vietnamese column takes the English (or
other) text as its Vietnamese label, so a form written in English still imports. The metadata
rows KoboToolbox adds (start, end, today, deviceid, …) are skipped: the platform records none of
them.
"""

import contextlib
import io
import json
import logging
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import dealias_and_group_headers
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from . import definition as d
from . import expressions
from .xlsform_export import (  # noqa: F401 (xlsform_from_definition is re-exported)
    CHOICES_COLUMNS,
    DEFAULT_LANGUAGE,
    LANGUAGE_COLUMNS,
    OR_OTHER_LABELS,
    OR_OTHER_TEXTS,
    SELECT_MULTIPLE_JSON,
    SELECT_ONE_JSON,
    SETTINGS_COLUMNS,
    SURVEY_COLUMNS,
    TITLE_EN_SETTING,
    xlsform_from_definition,
)

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to a flood
MAX_ROWS = 2000  # rows of the survey sheet
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls

PLAIN_TYPES = {"text": d.TEXT, "integer": d.INTEGER, "decimal": d.DECIMAL, "date": d.DATE, "note": d.NOTE}
# Metadata KoboToolbox adds to every form; nobody answers them and the platform records none.
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "username",
    "simserial",
    "subscriberid",
    "email",
    "audit",
    "start-geopoint",
}
_GEO = {"geopoint", "geotrace", "geoshape"}
_MEDIA = {"image", "audio", "video", "file", "background-audio", "barcode", "photo"}
_TIME = {"time", "dateTime", "datetime"}


def _unsupported_reason(kind: str, written: str) -> str:
    """What to tell the author about a question type we cannot represent (`kind` as pyxform
    names it, `written` as the sheet has it)."""
    if kind == "repeat":
        return _(
            "nhóm lặp lại (begin_repeat) chưa được hỗ trợ. Hãy bỏ phần lặp lại: tách thành các câu hỏi riêng "
            "hoặc một biểu mẫu riêng."
        )
    if kind == "calculate":
        return _("phép tính (calculate) chưa được hỗ trợ. Hãy xoá dòng này; con số có thể tính khi xem kết quả.")
    if kind in _GEO:
        return _("câu hỏi vị trí bản đồ (%(type)s) không được hỗ trợ. Hãy xoá dòng này hoặc hỏi địa điểm bằng chữ.") % {
            "type": written
        }
    if kind in _MEDIA:
        return _(
            "câu hỏi tệp, ảnh, âm thanh hoặc mã vạch (%(type)s) không được hỗ trợ. Hãy xoá dòng này hoặc đổi sang text."
        ) % {"type": written}
    if kind == "range":
        return _(
            "thanh trượt (range) không được hỗ trợ. Hãy dùng select_one với appearance likert trên các lựa chọn "
            "1…5 hoặc 1…10, hoặc integer kèm constraint."
        )
    if kind == "rank":
        return _("câu xếp hạng (rank) không được hỗ trợ. Hãy dùng một bảng thang điểm (table-list) thay thế.")
    if kind in _TIME:
        return _("câu hỏi giờ (%(type)s) không được hỗ trợ. Hãy dùng date hoặc text.") % {"type": written}
    return _(
        "loại câu hỏi “%(type)s” không được hỗ trợ. Các loại dùng được: text, integer, decimal, date, note, "
        "select_one, select_multiple, begin_group."
    ) % {"type": written}


# Reading the file --------------------------------------------------------------------------


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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse(
            _("Tệp “%(name)s” bị hỏng, không mở được. Hãy lưu lại tệp từ Excel hoặc tải lại từ KoboToolbox.")
            % {"name": Path(filename).name}
        ) from None
    if "xl/workbook.xml" not in names:
        raise _not_a_workbook(filename)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > 500:
        raise _refuse(_("Tệp quá lớn khi giải nén. Hãy xoá các trang và hình ảnh không cần rồi thử lại."))
    return ".xlsx"


def _pyxform_problem(error: Exception) -> ValidationError:
    """pyxform's own message, in its words (it names the column and the fix), prefixed in
    Vietnamese and with its "[row : N]" turned into our row wording."""
    message = re.sub(r"\s+", " ", str(error)).strip() or type(error).__name__
    row = re.match(r"\[row\s*:\s*(\d+)\]\s*", message)
    if row:
        return _refuse(
            _("Dòng %(row)s: pyxform (công cụ của ODK/KoboToolbox) báo lỗi: %(message)s Hãy sửa tệp rồi tải lên lại.")
            % {"row": row.group(1), "message": message[row.end() :]}
        )
    return _refuse(
        _("pyxform (công cụ của ODK/KoboToolbox) báo lỗi trong tệp: %(message)s Hãy sửa tệp rồi tải lên lại.")
        % {"message": message}
    )


def _load_workbook(data: bytes, file_type: str, filename: str):
    try:
        workbook = get_xlsform(data, file_type=file_type)
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
        if not kind or kind in ("end_group", "end_repeat", "endgroup", "endrepeat"):
            continue
        rows.append((number, row))
    return rows


def _choice_labels(workbook, *, strip: bool) -> dict[tuple[str, str], Any]:
    """{(list name, choice name): label as written} from the choices sheet."""
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
    return {(_text(row.get("list name")), _text(row.get("name"))): row.get("label") for row in data}


def _settings(workbook) -> dict[str, str]:
    first = (workbook.settings or [{}])[0] or {}
    return {str(key).strip().lower(): str(value).strip() for key, value in first.items() if value is not None}


# Turning pyxform's JSON into our definition ---------------------------------------------------


def _language_code(name: str, default: str | None) -> str | None:
    if name == "default":
        return default
    low = name.strip().lower()
    if "(vi)" in low or "vietnamese" in low or "tiếng việt" in low or low in ("vi", "vn"):
        return "vi"
    if "(en)" in low or "english" in low or low == "en":
        return "en"
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(_PUT_BACK_QUOTES).strip()


class _Importer:
    def __init__(self, rows: list[tuple[int, dict]], choice_labels: dict, settings: dict[str, str]):
        self.rows = rows
        self.choice_labels = choice_labels
        self.pending: dict[str, list[int]] = defaultdict(list)
        for index, (_number, row) in enumerate(rows):
            self.pending[_text(row.get("name"))].append(index)
        self.used = 0
        default = settings.get("default_language", "")
        self.default_language = _language_code(default, "vi") if default else "vi"
        self.errors: list[str] = []
        self.name_rows: dict[str, int] = {}
        self.answered: set[str] = set()  # answer names of the questions read so far

    # rows

    def row_of(self, element: dict) -> tuple[int | None, dict]:
        """The survey-sheet row an element of pyxform's JSON came from; (None, {}) for elements
        pyxform made itself (the "specify other" text, table-list headers, the meta group)."""
        name = _text(element.get("name"))
        for index in self.pending.get(name, []):
            if index >= self.used:
                self.used = index + 1
                return self.rows[index]
        generated = re.fullmatch(r"generated_note_name_(\d+)", name)  # pyxform names a name-less note
        if generated:
            for index, (number, row) in enumerate(self.rows):
                if number == int(generated.group(1)) and index >= self.used:
                    self.used = index + 1
                    return number, row
        return None, {}

    def fail(self, row: int | None, problem: str) -> None:
        self.errors.append(at_row(row, problem))

    # texts

    def texts(self, value: Any) -> dict[str, str]:
        """{"vi": …, "en": …} from a pyxform label, hint or message (a string, or by language)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            value = {"default": value}
        found: dict[str, str] = {}
        for language, text in value.items():
            code = _language_code(str(language), self.default_language)
            text = _text(text)
            if code and text and code not in found:
                found[code] = text
        return found

    def label(self, value: Any) -> dict[str, str]:
        """Like texts, with a Vietnamese label filled from another language when none is given."""
        found = self.texts(value)
        if "vi" not in found:
            others = [_text(t) for t in (value.values() if isinstance(value, dict) else [value])]
            fallback = found.get("en") or next((t for t in others if t), "")
            if fallback:
                found["vi"] = fallback
        return found

    def expression(self, source: Any, row: int | None, column: str, *, current: str | None = None) -> str:
        text = normalise_expression(_text(source), current=current)
        if not text:
            return ""
        try:
            expressions.parse(text)
        except expressions.ExpressionError as error:
            self.fail(
                row,
                _(
                    "cột %(column)s: biểu thức “%(source)s” không dùng được (%(error)s). Hãy tham chiếu câu hỏi "
                    "bằng ${tên} và chỉ dùng các hàm: %(functions)s."
                )
                % {"column": column, "source": text, "error": error, "functions": ", ".join(expressions.FUNCTIONS)},
            )
            return ""
        later = sorted(expressions.references(text) - self.answered)
        if later:
            self.fail(
                row,
                _(
                    "cột %(column)s nhắc tới %(names)s, chưa được hỏi ở phía trên dòng này. Một điều kiện chỉ dựa "
                    "vào câu trả lời đứng trước: hãy chuyển dòng này xuống dưới câu được nhắc tới."
                )
                % {"column": column, "names": ", ".join(f"${{{name}}}" for name in later)},
            )
            return ""
        return text

    # elements

    def convert(self, elements: list[dict]) -> list[dict]:
        questions: list[dict] = []
        for element in elements:
            number, row = self.row_of(element)
            if number is None:
                continue  # made by pyxform, not by the author
            question = self.question(element, number, row)
            if question is not None:
                questions.append(question)
                self.answered.update(d.answer_names(question))
        return questions

    def claim_name(self, name: str, row: int | None) -> bool:
        if not d.NAME.match(name):
            self.fail(
                row,
                _(
                    "tên “%(name)s” không dùng được. Tên chỉ gồm chữ không dấu, số và dấu gạch dưới, bắt đầu bằng "
                    "chữ, tối đa 64 ký tự. Hãy đổi tên (và sửa các biểu thức nhắc tới nó)."
                )
                % {"name": name},
            )
            return False
        if name in self.name_rows:
            self.fail(
                row,
                _(
                    "tên “%(name)s” đã dùng ở dòng %(other)s. Mỗi câu hỏi cần một tên riêng trong cả biểu mẫu, "
                    "kể cả khi ở hai nhóm khác nhau: hãy đặt tên khác."
                )
                % {"name": name, "other": self.name_rows[name]},
            )
            return False
        self.name_rows[name] = row
        return True

    def common(self, element: dict, row_number: int, row: dict, question: dict, *, answered: bool) -> None:
        """Label, hint, required, relevant, constraint and its message: the texts as the row has
        them, the rules as pyxform read them."""
        label = self.label(row.get("label"))
        if label:
            question["label"] = label
        hint = self.texts(row.get("hint"))
        if hint:
            question["hint"] = hint
        bind = element.get("bind") or {}
        read_only = _text(bind.get("readonly"))
        unsupported = [
            column
            for column, used in (
                ("read_only", read_only and aliases.yes_no.get(read_only) is not False),
                ("calculation", _text(bind.get("calculate"))),
                *((column, _text(element.get(column))) for column in ("choice_filter", "trigger", "repeat_count")),
            )
            if used
        ]
        for column in unsupported:
            self.fail(row_number, _("cột %(column)s không được hỗ trợ. Hãy để trống cột này.") % {"column": column})
        required = _text(bind.get("required"))
        if required:
            if required not in aliases.yes_no:
                self.fail(
                    row_number,
                    _(
                        "cột required: “bắt buộc khi…” (“%(value)s”) không được hỗ trợ. Hãy ghi yes hoặc để trống, "
                        "và dùng relevant để chỉ hỏi khi cần."
                    )
                    % {"value": required},
                )
            elif aliases.yes_no[required] and answered:
                question["required"] = True
        relevant = self.expression(bind.get("relevant"), row_number, "relevant")
        if relevant:
            question["relevant"] = relevant
        constraint = self.expression(bind.get("constraint"), row_number, "constraint", current=question["name"])
        if constraint:
            question["constraint"] = constraint
        message = self.texts((row.get("bind") or {}).get("jr:constraintMsg"))
        if message:
            question["constraint_message"] = message
        if "search(" in _appearance(element) or "search(" in _text(element.get("itemset")):
            self.fail(
                row_number,
                _(
                    "appearance search() (lựa chọn từ tệp ngoài) không được hỗ trợ. "
                    "Hãy chép các lựa chọn vào trang choices."
                ),
            )

    def question(self, element: dict, row_number: int, row: dict) -> dict | None:
        kind = _text(element.get("type"))
        name = _text(element.get("name"))
        if kind in METADATA_TYPES:
            return None
        if kind == "group":
            return self.group(element, row_number, row)
        if kind in PLAIN_TYPES:
            if not self.claim_name(name, row_number):
                return None
            question = {"name": name, "type": PLAIN_TYPES[kind]}
            if kind == "text" and "multiline" in _appearance(row).split():
                question["type"] = d.LONG_TEXT
            self.common(element, row_number, row, question, answered=kind != "note")
            return question
        if kind in (SELECT_ONE_JSON, SELECT_MULTIPLE_JSON):
            return self.select(element, row_number, row)
        self.fail(row_number, _unsupported_reason(kind, _text(row.get("type")).split(" ")[0] or kind))
        return None

    def choices(self, element: dict, *, or_other: bool) -> list[dict]:
        choices = []
        list_name = _text(element.get("list_name") or element.get("itemset"))
        for choice in element.get("choices") or []:
            name = _text(choice.get("name"))
            label = self.label(self.choice_labels.get((list_name, name), choice.get("label")))
            if or_other and name == d.OTHER and set(label.values()) <= OR_OTHER_TEXTS:
                continue  # the plain "other" that or_other stands for
            entry = {"name": name}
            if label:
                entry["label"] = label
            choices.append(entry)
        return choices

    def select(self, element: dict, row_number: int, row: dict) -> dict | None:
        name = _text(element.get("name"))
        raw_type = _text(row.get("type")).lower()
        itemset = _text(element.get("itemset"))
        if "from_file" in raw_type or "external" in raw_type or re.search(r"\.(csv|xml|geojson)$", itemset):
            self.fail(
                row_number,
                _("danh sách lựa chọn từ tệp ngoài không được hỗ trợ. Hãy chép các lựa chọn vào trang choices."),
            )
            return None
        if not self.claim_name(name, row_number):
            return None
        or_other = raw_type.split()[-1:] == ["or_other"]
        choices = self.choices(element, or_other=or_other)
        single = _text(element.get("type")) == SELECT_ONE_JSON
        scale = _integer_scale(choices)
        if single and not or_other and scale and "likert" in _appearance(row).split():
            question: dict = {"name": name, "type": d.RATING, "scale": self.scale(choices, scale)}
        else:
            question = {"name": name, "type": d.SELECT_ONE if single else d.SELECT_MULTIPLE, "choices": choices}
            if or_other:
                question["or_other"] = True
        self.common(element, row_number, row, question, answered=True)
        return question

    def scale(self, choices: list[dict], bounds: tuple[int, int]) -> dict:
        low, high = bounds
        scale: dict[str, Any] = {"min": low, "max": high}
        for key, choice in (("min_label", choices[0]), ("max_label", choices[-1])):
            label = choice.get("label") or {}
            if label and set(label.values()) != {choice["name"]}:
                scale[key] = label
        return scale

    def group(self, element: dict, row_number: int, row: dict) -> dict | None:
        name = _text(element.get("name"))
        appearance = _appearance(row).split()
        children = element.get("children") or []
        if not self.claim_name(name, row_number):
            self.convert(children)  # still report the children's problems
            return None
        if "table-list" in appearance:
            matrix = self.matrix(element, row_number, row, children)
            if matrix is not None:
                return matrix
        question: dict = {"name": name, "type": d.GROUP}
        self.common(element, row_number, row, question, answered=False)
        question["children"] = self.convert(children)
        return question

    def matrix(self, element: dict, row_number: int, row: dict, children: list[dict]) -> dict | None:
        """A table-list group of select_one rows over one scale becomes a matrix; anything less
        uniform stays a group of single choices."""
        mark = self.used
        rows = []
        for child in children:
            number, child_row = self.row_of(child)
            if number is not None:
                rows.append((child, number, child_row))
        self.used = mark

        def same(values: list) -> bool:
            return all(v == values[0] for v in values)

        if not rows or any(_text(child.get("type")) != SELECT_ONE_JSON for child, _n, _r in rows):
            return None
        raw_types = [_text(row.get("type")).lower().split() for _c, _n, row in rows]
        if any(t[-1:] == ["or_other"] for t in raw_types) or not same([_text(c.get("itemset")) for c, _n, _r in rows]):
            return None
        choices = self.choices(rows[0][0], or_other=False)
        scale = _integer_scale(choices)
        binds = [child.get("bind") or {} for child, _n, _r in rows]
        messages = [self.texts((child_row.get("bind") or {}).get("jr:constraintMsg")) for _c, _n, child_row in rows]
        if (
            scale is None
            or any(_text(b.get("relevant")) for b in binds)
            or any(self.texts(child_row.get("hint")) for _c, _n, child_row in rows)
            or not same([aliases.yes_no.get(_text(b.get("required")), _text(b.get("required"))) for b in binds])
            or not same([_text(b.get("constraint")) for b in binds])
            or not same(messages)
        ):
            return None
        question: dict = {"name": _text(element.get("name")), "type": d.MATRIX}
        self.common(element, row_number, row, question, answered=False)
        first, first_row = rows[0][0], {k: v for k, v in rows[0][2].items() if k not in ("label", "hint")}
        self.common(first, rows[0][1], first_row, question, answered=True)
        question["scale"] = self.scale(choices, scale)
        items = []
        for child, number, child_row in rows:
            self.row_of(child)
            if self.claim_name(_text(child.get("name")), number):
                item = {"name": _text(child.get("name"))}
                label = self.label(child_row.get("label"))
                if label:
                    item["label"] = label
                items.append(item)
        question["items"] = items
        return question


def _appearance(element: dict) -> str:
    control = element.get("control") or {}
    return _text(control.get("appearance") if isinstance(control, dict) else "").lower()


def _integer_scale(choices: list[dict]) -> tuple[int, int] | None:
    """(min, max) when the choices are exactly the integers min…max in order, on a scale we know."""
    names = [c["name"] for c in choices]
    if not names or not all(re.fullmatch(r"-?\d{1,3}", n) for n in names):
        return None
    numbers = [int(n) for n in names]
    if [str(n) for n in numbers] != names or numbers != list(range(numbers[0], numbers[-1] + 1)):
        return None
    bounds = (numbers[0], numbers[-1])
    return bounds if bounds in d.SCALES else None


_STRING_PARTS = re.compile(r"('[^']*'|\"[^\"]*\")")
_RELATIVE_PATH = re.compile(r"(?:current\(\)/)?(?:\.\./)+(?:[A-Za-z_][\w.\-]*/)*([A-Za-z_][\w\-]*)")
_ABSOLUTE_PATH = re.compile(r"(?<![\w)\]}.$])/[A-Za-z_][\w.\-]*(?:/[A-Za-z_][\w.\-]*)*/([A-Za-z_][\w\-]*)")


def normalise_expression(source: str, *, current: str | None = None) -> str:
    """Our `${name}` references for the XPath paths an XLSForm may use (`../name`,
    `/data/group/name`), leaving quoted strings alone. In a constraint, the question's own name
    (`current`) becomes ".", the value being checked."""
    parts = _STRING_PARTS.split(source or "")
    for index in range(0, len(parts), 2):  # even parts are outside quotes
        part = _RELATIVE_PATH.sub(lambda m: "${" + m.group(1) + "}", parts[index])
        part = _ABSOLUTE_PATH.sub(lambda m: "${" + m.group(1) + "}", part)
        if current:
            part = re.sub(r"\$\{\s*" + re.escape(current) + r"\s*\}", ".", part)
        parts[index] = part
    return "".join(parts).strip()


def at_row(row: int | None, problem: str) -> str:
    if row is None:
        return problem[:1].upper() + problem[1:]
    return _("Trang survey, dòng %(row)s: %(problem)s") % {"row": row, "problem": problem}


_QUOTED_NAME = re.compile(r"“([A-Za-z_][A-Za-z0-9_]*)”")


def _check_with_rows(definition: dict, name_rows: dict[str, int]) -> None:
    """check_definition, with each of its messages placed on the row of the question it names."""
    try:
        d.check_definition(definition)
    except ValidationError as error:
        placed = []
        for message in error.messages:
            match = _QUOTED_NAME.search(message)
            row = name_rows.get(match.group(1)) if match else None
            placed.append(
                _("Trang survey, dòng %(row)s: %(problem)s") % {"row": row, "problem": message} if row else message
            )
        raise ValidationError(placed, code="xlsform") from None


def definition_from_xlsform(fileobj: Any, *, filename: str) -> tuple[dict, str]:
    """(definition, title) from an uploaded XLSForm (.xlsx, or legacy .xls). Raise a
    ValidationError, never anything else, when the file is not one we can use; the messages name
    the survey sheet's row and say what to change."""
    data = _read_bytes(fileobj, filename)
    file_type = _file_type(data, filename)
    workbook = _load_workbook(data, file_type, filename)
    try:
        return _definition(workbook, filename)
    except ValidationError:
        raise
    except Exception:  # a sheet shaped in a way nobody foresaw: still an answer, never a server error
        logger.warning("XLSForm import failed on %s", Path(filename or "").name, exc_info=True)
        raise _refuse(
            _(
                "Không đọc được biểu mẫu trong tệp “%(name)s”. Hãy kiểm tra tệp trong KoboToolbox hoặc Excel "
                "(trang survey, choices, settings) rồi tải lên lại."
            )
            % {"name": Path(filename or "").name}
        ) from None


def _definition(workbook, filename: str) -> tuple[dict, str]:
    settings = _settings(workbook)
    strip = aliases.yes_no.get(settings.get("clean_text_values", "yes"), True)
    rows = _survey_rows(workbook, strip=strip)
    choice_labels = _choice_labels(workbook, strip=strip)
    try:
        form = workbook_to_json(workbook_dict=workbook, warnings=[])
    except PyXFormError as error:
        raise _pyxform_problem(error) from None

    importer = _Importer(rows, choice_labels, settings)
    questions = importer.convert(form.get("children") or [])
    if importer.errors:
        raise ValidationError(importer.errors, code="xlsform")

    title = _text(settings.get("form_title") or settings.get("title")) or Path(filename or "").stem or "XLSForm"
    title = re.sub(r"\s+", " ", title)[:255]
    definition: dict = {"title": {"vi": title}, "questions": questions}
    title_en = _text(settings.get(TITLE_EN_SETTING))
    if title_en:
        definition["title"]["en"] = title_en
    _check_with_rows(definition, importer.name_rows)
    return definition, title
