"""Turning pyxform's JSON into our definition for xlsform.py: `_Importer` walks the JSON's
elements, finds the survey-sheet row each came from (xlsform_read.py reads them), takes the
texts from the row and the rules as pyxform read them, and collects every problem with its row
instead of stopping at the first. The selects (choices, lists from attached files, ratings and
matrices) are xlsform_selects.py's."""

import re
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from pyxform import aliases
from pyxform.utils import default_is_dynamic

from . import definition as d
from . import expressions
from .xlsform_mapping import (
    CALCULATE,
    EDITOR_COLUMN,
    HIDDEN,
    MEDIA_TYPES,
    METADATA_TYPES,
    PLAIN_TYPES,
    RANGE,
    RANK,
    REPEAT,
    SELECT_MULTIPLE_JSON,
    SELECT_ONE_JSON,
    _unsupported_reason,
    canonical_type,
    language_code,
    language_name,
    normalise_expression,
)
from .xlsform_read import _text
from .xlsform_selects import SelectsMixin, _parameters_dict, without_token

# Row columns (as pyxform names them once read) that mean something to us; the columns of
# KoboToolbox's own editor ("$kuid", "$autoname", "kobo--…") and HXL tags say nothing about the
# form a respondent sees and are passed over. Any other column with a value is reported.
_KNOWN_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "guidance_hint",
    "required",
    "bind",
    "control",
    "media",
    "default",
    "choice_filter",
    "parameters",
    "disabled",
    "trigger",
    "list_name",
}
_KNOWN_BIND = {"required", "relevant", "constraint", "calculate", "readonly", "jr:constraintMsg", "jr:requiredMsg"}
_KNOWN_CONTROL = {"appearance", "jr:count"}
# pyxform reads a "-" in these types' defaults as part of the value (2024-03-01), not a minus.
_DATE_LIKE = {d.DATE: "date", "datetime": "dateTime", "geopoint": "geopoint"}


class Languages:
    """The languages met in the sheets' columns, in order: their codes and display names."""

    def __init__(self, default_setting: str):
        self.default_setting = default_setting
        self.default = language_code(default_setting) if default_setting else "vi"
        self.codes: list[str] = []
        self.names: dict[str, str] = {}
        self.plain_used = False

    def code(self, name: str) -> str:
        if name == "default":
            self.plain_used = True
            code = self.default
        else:
            code = language_code(name)
            self.names.setdefault(code, language_name(name))
        if code not in self.codes:
            self.codes.append(code)
        return code


class _Importer(SelectsMixin):
    def __init__(
        self,
        rows: list[tuple[int, dict]],
        choice_lists: dict[str, list[tuple[int, dict]]],
        settings: dict[str, str],
        *,
        list_files: dict[str, list[dict]] | None = None,
    ):
        self.rows = rows
        self.choice_lists = choice_lists
        self.list_files = list_files or {}
        self.pending: dict[str, list[int]] = defaultdict(list)
        for index, (_number, row) in enumerate(rows):
            self.pending[_text(row.get("name"))].append(index)
        self.used = 0
        self.languages = Languages(settings.get("default_language", ""))
        self.errors: list[str] = []
        self.notices: list[str] = []
        self.skipped: set[int] = set()  # rows of metadata said to be skipped
        self.name_rows: dict[str, int] = {}
        # the files the form names → the first (sheet, row) naming them
        self.files: dict[str, tuple[str, int]] = {}

    # rows

    def row_of(self, element: dict) -> tuple[int | None, dict]:
        """The survey-sheet row an element of pyxform's JSON came from; (None, {}) for elements
        pyxform made itself (the "specify other" text, a repeat's count, the meta group)."""
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

    def skipped_metadata(self) -> None:
        """Say which metadata rows were skipped that pyxform moved out of sight (into its meta
        group: audit, …)."""
        for number, row in self.rows:
            kind = _text(row.get("type"))
            if number not in self.skipped and kind in METADATA_TYPES:
                self.skipped.add(number)
                self.note(
                    number,
                    _(
                        "“%(type)s” là thông tin điện thoại tự ghi (metadata), nền tảng không ghi nhận nên dòng này "
                        "được bỏ qua."
                    )
                    % {"type": kind},
                )
        self.notices.sort(key=lambda notice: [int(n) for n in re.findall(r"\d+", notice)[:1]] or [0])

    def fail(self, row: int | None, problem: str) -> None:
        self.errors.append(at_row(row, problem))

    def note(self, row: int | None, notice: str) -> None:
        self.notices.append(at_row(row, notice))

    def file_named(self, name: str, row: int | None, sheet: str = "survey") -> str:
        name = _text(name)
        if name:
            self.files.setdefault(name, (sheet, row or 0))
        return name

    # texts

    def texts(self, value: Any) -> dict[str, str]:
        """{code: text} from a pyxform label, hint or message (a string, or by language)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            value = {"default": value}
        found: dict[str, str] = {}
        for language, text in value.items():
            text = _text(text)
            if text:
                found.setdefault(self.languages.code(str(language)), text)
        return found

    def media(self, value: Any, row: int | None, sheet: str = "survey") -> dict[str, dict[str, str]]:
        """{"image": {code: file name}, "audio": …} from a row's media columns."""
        media = {}
        for kind, files in (value or {}).items() if isinstance(value, dict) else ():
            by_language = self.texts(files)
            for file_name in by_language.values():
                self.file_named(file_name, row, sheet)
            if by_language:
                media[str(kind)] = by_language
        return media

    def expression(self, source: Any, row: int | None, column: str, *, current: str | None = None) -> str:
        """The expression of a column, its paths made ${name}; refused (with its row) when the
        platform cannot read it."""
        text = normalise_expression(_text(source), current=current)
        if not text:
            return text
        try:
            expressions.references(text)
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
        return questions

    def claim_name(self, name: str, row: int | None) -> bool:
        if not d.NAME.match(name):
            self.fail(
                row,
                _(
                    "cột name: tên “%(name)s” không dùng được. Tên chỉ gồm chữ không dấu, số, dấu gạch dưới và gạch "
                    "ngang (không dùng dấu chấm), bắt đầu bằng chữ, tối đa 64 ký tự. Hãy đổi tên (và sửa các biểu "
                    "thức nhắc tới nó)."
                )
                % {"name": name},
            )
            return False
        if name in self.name_rows:
            self.fail(
                row,
                _(
                    "cột name: tên “%(name)s” đã dùng ở dòng %(other)s. Mỗi câu hỏi cần một tên riêng trong cả biểu "
                    "mẫu, kể cả khi ở hai nhóm khác nhau: hãy đặt tên khác."
                )
                % {"name": name, "other": self.name_rows[name]},
            )
            return False
        self.name_rows[name] = row
        return True

    def unknown_columns(self, row_number: int, row: dict) -> None:
        """Report the columns of the row we do not use, so nothing is dropped unsaid."""
        unused = [key for key in row if key not in _KNOWN_COLUMNS and not EDITOR_COLUMN.match(str(key))]
        unused += [f"bind::{key}" for key in row.get("bind") or {} if key not in _KNOWN_BIND]
        unused += [f"body::{key}" for key in row.get("control") or {} if key not in _KNOWN_CONTROL]
        for column in unused:
            self.note(row_number, _("cột %(column)s không dùng trên nền tảng này, đã bỏ qua.") % {"column": column})

    def common(self, element: dict, row_number: int, row: dict, question: dict, *, answered: bool) -> None:
        """The keys every question may have: the texts as the row has them, the rules as pyxform
        read them."""
        self.unknown_columns(row_number, row)
        for key in ("label", "hint", "guidance_hint"):
            texts = self.texts(row.get(key))
            if texts:
                question[key] = texts
        media = self.media(row.get("media"), row_number)
        if media:
            question["media"] = media
        bind = element.get("bind") or {}
        row_bind = row.get("bind") or {}
        if _text(element.get("trigger")):
            self.fail(
                row_number,
                _(
                    "cột trigger (tính lại khi một câu khác đổi) không được hỗ trợ. Hãy để trống cột này: phép "
                    "tính luôn được tính lại khi câu nó nhắc tới thay đổi."
                ),
            )
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
                message = self.texts(row_bind.get("jr:requiredMsg"))
                if message:
                    question["required_message"] = message
        read_only = _text(bind.get("readonly"))
        if read_only and aliases.yes_no.get(read_only, read_only == "true()") and answered:
            question["read_only"] = True
        relevant = self.expression(bind.get("relevant"), row_number, "relevant")
        if relevant:
            question["relevant"] = relevant
        constraint = self.expression(bind.get("constraint"), row_number, "constraint", current=question["name"])
        if constraint:
            question["constraint"] = constraint
            message = self.texts(row_bind.get("jr:constraintMsg"))
            if message:
                question["constraint_message"] = message
        calculation = self.expression(bind.get("calculate"), row_number, "calculation")
        if calculation:
            question["calculation"] = calculation
        default = _text(element.get("default"))
        if default and default_is_dynamic(default, _DATE_LIKE.get(question["type"])):
            self.fail(
                row_number,
                _(
                    "cột default: “%(value)s” là giá trị mặc định tính bằng biểu thức, chưa được hỗ trợ. Hãy ghi một "
                    "giá trị cố định, hoặc dùng cột calculation nếu giá trị luôn được tính."
                )
                % {"value": default},
            )
        elif default:
            question["default"] = default
        appearance = _appearance(row)
        if appearance:
            question["appearance"] = appearance
        if "search(" in appearance.lower():
            self.fail(
                row_number,
                _(
                    "cột appearance: search() (lựa chọn từ tệp ngoài) không được hỗ trợ. Hãy dùng "
                    "select_one_from_file kèm tệp CSV hoặc chép các lựa chọn vào trang choices."
                ),
            )

    def question(self, element: dict, row_number: int, row: dict) -> dict | None:
        kind = _text(element.get("type"))
        name = _text(element.get("name"))
        written = _text(row.get("type"))
        if kind in METADATA_TYPES:
            self.skipped.add(row_number)
            self.note(
                row_number,
                _(
                    "“%(type)s” là thông tin điện thoại tự ghi (metadata), nền tảng không ghi nhận nên dòng này "
                    "được bỏ qua."
                )
                % {"type": written},
            )
            return None
        if kind == "group":
            return self.group(element, row_number, row)
        if kind == REPEAT:
            return self.repeat(element, row_number, row)
        if kind in (SELECT_ONE_JSON, SELECT_MULTIPLE_JSON, RANK):
            return self.select(element, row_number, row)
        canonical = canonical_type(kind)
        if canonical not in PLAIN_TYPES:
            self.fail(row_number, _unsupported_reason(canonical, written.split(" ")[0] or kind))
            if kind == "loop":
                self.convert(element.get("children") or [])  # consume its rows
            return None
        if not self.claim_name(name, row_number):
            return None
        question: dict = {"name": name, "type": PLAIN_TYPES[canonical]}
        if canonical == "text" and "multiline" in _appearance(row).lower().split():
            question["type"] = d.LONG_TEXT
        answered = canonical != "note"
        self.common(element, row_number, row, question, answered=answered)
        if question["type"] == d.LONG_TEXT:
            without_token(question, "multiline")  # long_text is what multiline means
        if canonical == RANGE:
            self.range_parameters(element, row_number, question)
        elif canonical in MEDIA_TYPES:
            parameters = _parameters_dict(row.get("parameters"))
            if parameters:
                question["parameters"] = parameters
        elif _parameters_dict(row.get("parameters")):
            self.note(row_number, _("cột parameters không dùng cho loại câu hỏi này, đã bỏ qua."))
        if canonical == CALCULATE and not question.get("calculation"):
            self.fail(row_number, _("cột calculation: dòng calculate cần một công thức."))
        if canonical in (CALCULATE, HIDDEN):
            question.pop("required", None)
        return question

    def range_parameters(self, element: dict, row_number: int, question: dict) -> None:
        given = element.get("parameters") or {}
        numbers: dict[str, int | float] = {}
        for key, fallback in (("start", 1), ("end", 10), ("step", 1)):
            raw = _text(given.get(key)) if isinstance(given, dict) else ""
            try:
                value = float(raw) if raw else float(fallback)
            except ValueError:
                self.fail(
                    row_number,
                    _("cột parameters: %(key)s=%(value)s không phải là một số.") % {"key": key, "value": raw},
                )
                return
            numbers[key] = int(value) if value.is_integer() else value
        if numbers["step"] == 0:
            self.fail(row_number, _("cột parameters: step phải khác 0."))
            return
        question["parameters"] = numbers

    def group(self, element: dict, row_number: int, row: dict) -> dict | None:
        name = _text(element.get("name"))
        children = element.get("children") or []
        if not self.claim_name(name, row_number):
            self.convert(children)  # still report the children's problems
            return None
        if "table-list" in _appearance(row).lower().split():
            matrix = self.matrix(element, row_number, row, children)
            if matrix is not None:
                return matrix
        question: dict = {"name": name, "type": d.GROUP}
        self.common(element, row_number, row, question, answered=False)
        question["children"] = self.convert(children)
        return question

    def repeat(self, element: dict, row_number: int, row: dict) -> dict | None:
        name = _text(element.get("name"))
        children = element.get("children") or []
        if not self.claim_name(name, row_number):
            self.convert(children)
            return None
        question: dict = {"name": name, "type": REPEAT}
        self.common(element, row_number, row, question, answered=False)
        count = _text((row.get("control") or {}).get("jr:count"))
        if re.fullmatch(r"\d+", count):
            question["repeat_count"] = int(count)
        elif count:
            expression = self.expression(count, row_number, "repeat_count")
            if expression:
                question["repeat_count"] = expression
        question["children"] = self.convert(children)
        return question


def _appearance(element: dict) -> str:
    control = element.get("control") or {}
    return _text(control.get("appearance") if isinstance(control, dict) else "")


def at_row(row: int | None, problem: str) -> str:
    """The problem placed on its survey-sheet row ("Trang survey, dòng 5, cột relevant: …")."""
    if row is None:
        return problem[:1].upper() + problem[1:]
    if problem.startswith(_("cột") + " "):
        return _("Trang survey, dòng %(row)s, %(problem)s") % {"row": row, "problem": problem}
    return _("Trang survey, dòng %(row)s: %(problem)s") % {"row": row, "problem": problem}
