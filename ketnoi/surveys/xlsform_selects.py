"""The selects of an XLSForm for xlsform_convert.py's `_Importer`: select_one, select_multiple and
rank with their choices read from the choices sheet (labels as written, image labels, the extra
columns a choice_filter uses) or from a CSV/XML list attached to the form; `or_other` and
`or specify other`; and the two shapes that become our own types: a likert select_one over an
integer scale (rating) and a table-list group of such selects (matrix)."""

import re
from typing import Any

from django.utils.translation import gettext as _
from pyxform import aliases

from . import definition as d
from .xlsform_export import OR_OTHER_TEXTS
from .xlsform_mapping import EDITOR_COLUMN, RANK, SELECT_ONE_JSON
from .xlsform_read import _text

_OR_OTHER = re.compile(r"\s(or_other|or\s+specify\s+other)\s*$", re.I)
LIST_FILE = re.compile(r"\.(csv|xml)$", re.I)
_CHOICE_COLUMNS = {"list name", "list_name", "name", "label", "media"}


def _or_other(raw_type: str) -> bool:
    return bool(_OR_OTHER.search(" " + raw_type.strip()))


class SelectsMixin:
    """Mixed into `_Importer` (which gives fail, note, texts, media, expression, common,
    claim_name, row_of, file_named and the choice lists)."""

    def choices_for(self, element: dict, row_number: int, row: dict) -> list[dict] | None:
        """The choices of a select: from the choices sheet, or from its attached list file."""
        itemset = _text(element.get("itemset") or element.get("list_name"))
        if LIST_FILE.search(itemset):
            return self.file_choices(itemset, row_number, row)
        choices = []
        for number, choice_row in self.choice_lists.get(itemset, []):
            name = _text(choice_row.get("name"))
            if not name:
                continue  # pyxform has refused a name-less choice already
            entry: dict[str, Any] = {"name": name}
            label = self.texts(choice_row.get("label"))
            if label:
                entry["label"] = label
            media = self.media(choice_row.get("media"), number, "choices")
            if media:
                entry["media"] = media
            data = {
                str(key): _text(value)
                for key, value in choice_row.items()
                if key not in _CHOICE_COLUMNS
                and _text(value)
                and not isinstance(value, dict)
                and not EDITOR_COLUMN.match(str(key))
            }
            if data:
                entry["data"] = data
            choices.append(entry)
        return choices

    def file_choices(self, file_name: str, row_number: int, row: dict) -> list[dict] | None:
        listed = self.list_files.get(file_name)
        if listed is not None:
            self.file_named(file_name, row_number)
        else:
            self.fail(
                row_number,
                _(
                    "cột type: danh sách lựa chọn lấy từ tệp “%(file)s” nhưng tệp này chưa được tải lên cùng biểu "
                    "mẫu. Hãy chọn cả tệp .xlsx và tệp “%(file)s” (hoặc một tệp .zip chứa cả hai) rồi nhập lại."
                )
                % {"file": file_name},
            )
            return None
        parameters = row.get("parameters")
        given = _parameters_dict(parameters)
        value_column, label_column = given.get("value", "name"), given.get("label", "label")
        choices = []
        for item in listed:
            name = _text(item.get(value_column))
            if not name:
                continue
            entry: dict[str, Any] = {"name": name}
            label = {}
            for column, text in item.items():
                if column == label_column:
                    label.setdefault(self.languages.code("default"), _text(text))
                elif column.startswith(label_column + "::"):
                    label.setdefault(self.languages.code(column.split("::", 1)[1]), _text(text))
            label = {code: text for code, text in label.items() if text}
            if label:
                entry["label"] = label
            data = {
                column: _text(text)
                for column, text in item.items()
                if column not in (value_column, label_column) and not column.startswith(label_column + "::")
            }
            data = {column: text for column, text in data.items() if text}
            if data:
                entry["data"] = data
            choices.append(entry)
        if not choices:
            self.fail(
                row_number,
                _(
                    "cột type: tệp “%(file)s” không có lựa chọn nào (cần cột %(value)s và %(label)s, mỗi dòng một "
                    "lựa chọn)."
                )
                % {"file": file_name, "value": value_column, "label": label_column},
            )
            return None
        return choices

    def select(self, element: dict, row_number: int, row: dict) -> dict | None:
        name = _text(element.get("name"))
        raw_type = _text(row.get("type"))
        kind = _text(element.get("type"))
        itemset = _text(element.get("itemset"))
        if itemset and not LIST_FILE.search(itemset) and "." in itemset:
            self.fail(
                row_number,
                _("cột type: danh sách từ tệp “%(file)s” không được hỗ trợ: chỉ tệp .csv hoặc .xml.")
                % {"file": itemset},
            )
            return None
        if not self.claim_name(name, row_number):
            return None
        choices = self.choices_for(element, row_number, row)
        if choices is None:
            return None
        or_other = _or_other(raw_type)
        if or_other:
            choices = [
                c
                for c in choices
                if not (c["name"] == d.OTHER and set((c.get("label") or {}).values()) <= OR_OTHER_TEXTS)
            ]  # the plain "other" that or_other stands for
        single = kind == SELECT_ONE_JSON
        scale = _integer_scale(choices)
        plain_likert = (
            single
            and not or_other
            and scale
            and "likert" in _appearance(row).lower().split()
            and not element.get("choice_filter")
            and not LIST_FILE.search(itemset)
            and not any(c.get("media") for c in choices)
        )
        if plain_likert:
            question: dict = {"name": name, "type": d.RATING, "scale": self.scale(choices, scale)}
        else:
            question = {"name": name, "type": RANK if kind == RANK else d.SELECT_ONE if single else d.SELECT_MULTIPLE}
            question["choices"] = choices
            if or_other:
                question["or_other"] = True
            if LIST_FILE.search(itemset):
                question["from_file"] = itemset
        self.common(element, row_number, row, question, answered=True)
        if plain_likert:
            without_token(question, "likert")  # likert is what rating means
        choice_filter = self.expression(element.get("choice_filter"), row_number, "choice_filter")
        if choice_filter:
            question["choice_filter"] = choice_filter
        parameters = _parameters_dict(row.get("parameters"))
        if LIST_FILE.search(itemset):
            # The file's own columns (value=code label=ten) go with the file: kept for the export.
            columns = {k: v for k, v in parameters.items() if k in ("value", "label")}
            if columns:
                question["parameters"] = columns
            parameters = {k: v for k, v in parameters.items() if k not in ("value", "label")}
        if parameters:
            self.note(
                row_number,
                _("cột parameters (%(value)s) không dùng cho câu lựa chọn, đã bỏ qua.")
                % {"value": " ".join(f"{k}={v}" for k, v in parameters.items())},
            )
        return question

    def scale(self, choices: list[dict], bounds: tuple[int, int]) -> dict:
        low, high = bounds
        scale: dict[str, Any] = {"min": low, "max": high}
        for key, choice in (("min_label", choices[0]), ("max_label", choices[-1])):
            label = choice.get("label") or {}
            if label and set(label.values()) != {choice["name"]}:
                scale[key] = label
        return scale

    def matrix(self, element: dict, row_number: int, row: dict, children: list[dict]) -> dict | None:
        """A table-list group of plain select_one rows over one integer scale becomes a matrix;
        anything less uniform stays a group (with its appearance)."""
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
        itemsets = [_text(c.get("itemset")) for c, _n, _r in rows]
        if any(_or_other(_text(r.get("type"))) for _c, _n, r in rows) or not same(itemsets):
            return None
        if LIST_FILE.search(itemsets[0]):
            return None
        choices = self.choices_for(rows[0][0], rows[0][1], rows[0][2]) or []
        scale = _integer_scale(choices)
        binds = [child.get("bind") or {} for child, _n, _r in rows]
        messages = [self.texts((child_row.get("bind") or {}).get("jr:constraintMsg")) for _c, _n, child_row in rows]
        if (
            scale is None
            or any(c.get("media") for c in choices)
            or any(_text(b.get(k)) for b in binds for k in ("relevant", "calculate", "readonly"))
            or any(_text(c.get(k)) for c, _n, _r in rows for k in ("default", "choice_filter"))
            or any(self.texts(r.get("hint")) or r.get("media") or _text(r.get("parameters")) for _c, _n, r in rows)
            or not same([aliases.yes_no.get(_text(b.get("required")), _text(b.get("required"))) for b in binds])
            or not same([_text(b.get("constraint")) for b in binds])
            or not same(messages)
        ):
            return None
        question: dict = {"name": _text(element.get("name")), "type": d.MATRIX}
        self.common(element, row_number, row, question, answered=False)
        without_token(question, "table-list")  # table-list is what matrix means
        first, first_row = rows[0][0], {k: v for k, v in rows[0][2].items() if k not in ("label", "hint", "control")}
        self.common(first, rows[0][1], first_row, question, answered=True)
        question["scale"] = self.scale(choices, scale)
        items = []
        for child, number, child_row in rows:
            self.row_of(child)
            if self.claim_name(_text(child.get("name")), number):
                item = {"name": _text(child.get("name"))}
                label = self.texts(child_row.get("label"))
                if label:
                    item["label"] = label
                items.append(item)
        question["items"] = items
        return question


def _or_others_own(choice: dict) -> bool:
    """The plain "other" choice that or_other stands for (our export writes it out)."""
    return choice["name"] == d.OTHER and set((choice.get("label") or {}).values()) <= OR_OTHER_TEXTS


def without_token(question: dict, token: str) -> None:
    """Take one word out of the question's appearance (the one its type already says)."""
    words = [w for w in question.get("appearance", "").split() if w.lower() != token]
    if words:
        question["appearance"] = " ".join(words)
    else:
        question.pop("appearance", None)


def _appearance(element: dict) -> str:
    control = element.get("control") or {}
    return _text(control.get("appearance") if isinstance(control, dict) else "")


def _parameters_dict(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items()}
    found = {}
    for part in re.split(r"[\s;,]+", _text(value)):
        key, sep, val = part.partition("=")
        if sep and key:
            found[key.strip()] = val.strip()
    return found


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
