"""Turning pyxform's JSON into our definition for xlsform.py: `_Importer` walks the JSON's
elements, finds the survey-sheet row each came from (xlsform_read.py reads them), takes the
texts from the row and the rules as pyxform read them, and collects every problem with its row
instead of stopping at the first."""

import re
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from pyxform import aliases

from . import definition as d
from . import expressions
from .xlsform_export import OR_OTHER_TEXTS, SELECT_MULTIPLE_JSON, SELECT_ONE_JSON
from .xlsform_mapping import METADATA_TYPES, PLAIN_TYPES, _language_code, _unsupported_reason, normalise_expression
from .xlsform_read import _text


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


def at_row(row: int | None, problem: str) -> str:
    if row is None:
        return problem[:1].upper() + problem[1:]
    return _("Trang survey, dòng %(row)s: %(problem)s") % {"row": row, "problem": problem}
