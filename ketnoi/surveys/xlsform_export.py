"""Writing our definition as an XLSForm (.xlsx with survey, choices and settings sheets) that
KoboToolbox and ODK load; reading one back is xlsform.py. The mapping is described there."""

import io
import json
import re
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from . import definition as d

LANGUAGE_COLUMNS = {"vi": "Vietnamese (vi)", "en": "English (en)"}
DEFAULT_LANGUAGE = LANGUAGE_COLUMNS["vi"]
TITLE_EN_SETTING = "form_title_en"  # XLSForm has no translated title; pyxform keeps unknown settings
# The "other" choice or_other stands for: pyxform labels the one it adds "Other" in every language,
# so the export writes it out translated; a choice labelled only so is or_other's own.
OR_OTHER_LABELS = {"vi": "Khác", "en": "Other"}
OR_OTHER_TEXTS = {"Other", "Khác"}

SURVEY_COLUMNS = [
    "type",
    "name",
    *(f"label::{column}" for column in LANGUAGE_COLUMNS.values()),
    *(f"hint::{column}" for column in LANGUAGE_COLUMNS.values()),
    "required",
    "relevant",
    "constraint",
    *(f"constraint_message::{column}" for column in LANGUAGE_COLUMNS.values()),
    "appearance",
]
CHOICES_COLUMNS = ["list_name", "name", *(f"label::{column}" for column in LANGUAGE_COLUMNS.values())]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language", "clean_text_values", TITLE_EN_SETTING]

# pyxform's JSON types ------------------------------------------------------------------------

SELECT_ONE_JSON, SELECT_MULTIPLE_JSON = "select one", "select all that apply"


# Writing an XLSForm ----------------------------------------------------------------------------


def _cell_text(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class _Exporter:
    def __init__(self):
        self.survey: list[dict[str, Any]] = []
        self.choices: list[list[Any]] = []
        self.lists: dict[str, str] = {}  # the choices as JSON → their list name, to share equal lists
        self.list_names: set[str] = set()

    def list_for(self, wanted: str, choices: list[dict]) -> str:
        key = json.dumps(choices, sort_keys=True, ensure_ascii=False)
        if key in self.lists:
            return self.lists[key]
        name, n = wanted, 2
        while name in self.list_names:
            name, n = f"{wanted}_{n}", n + 1
        self.list_names.add(name)
        self.lists[key] = name
        for choice in choices:
            label = choice.get("label") or {}
            self.choices.append(
                [
                    name,
                    choice["name"],
                    *(label.get(code) if isinstance(label, dict) else label for code in LANGUAGE_COLUMNS),
                ]
            )
        return name

    def scale_list(self, question: dict) -> str:
        scale = question.get("scale") or {}
        low, high = int(scale.get("min", 1)), int(scale.get("max", 5))
        choices = []
        for number in range(low, high + 1):
            label = {code: str(number) for code in LANGUAGE_COLUMNS}
            key = "min_label" if number == low else "max_label" if number == high else None
            given = scale.get(key) if key else None
            if isinstance(given, dict) and any(given.values()):
                label = {code: text for code, text in given.items() if text}
            choices.append({"name": str(number), "label": label})
        return self.list_for(f"scale_{low}_{high}_{question['name']}", choices)

    def row(self, question: dict, kind: str, **extra: Any) -> None:
        row: dict[str, Any] = {"type": kind, "name": question["name"]}
        for field, column in (("label", "label"), ("hint", "hint"), ("constraint_message", "constraint_message")):
            value = question.get(field) or {}
            if isinstance(value, str):
                value = {"vi": value}
            for code, language in LANGUAGE_COLUMNS.items():
                row[f"{column}::{language}"] = value.get(code)
        if question.get("required"):
            row["required"] = "yes"
        for field in ("relevant", "constraint"):
            row[field] = question.get(field)
        row.update(extra)
        self.survey.append(row)

    def questions(self, questions: list[dict]) -> None:
        for question in questions:
            kind = question["type"]
            if kind in (d.TEXT, d.INTEGER, d.DECIMAL, d.DATE, d.NOTE):
                self.row(question, kind)
            elif kind == d.LONG_TEXT:
                self.row(question, "text", appearance="multiline")
            elif kind in (d.SELECT_ONE, d.SELECT_MULTIPLE):
                choices = [{"name": c["name"], "label": c.get("label") or {}} for c in question.get("choices") or []]
                if question.get("or_other") and d.OTHER not in {c["name"] for c in choices}:
                    choices.append({"name": d.OTHER, "label": OR_OTHER_LABELS})  # else pyxform's is English only
                list_name = self.list_for(question["name"], choices)
                other = " or_other" if question.get("or_other") else ""
                self.row(question, f"{kind} {list_name}{other}")
            elif kind == d.RATING:
                self.row(question, f"select_one {self.scale_list(question)}", appearance="likert")
            elif kind == d.MATRIX:
                list_name = self.scale_list(question)
                group = {k: v for k, v in question.items() if k in ("name", "label", "hint", "relevant")}
                self.row(group, "begin_group", appearance="table-list")
                for item in question.get("items") or []:
                    self.row(
                        {
                            "name": item["name"],
                            "label": item.get("label"),
                            **{
                                k: question[k]
                                for k in ("required", "constraint", "constraint_message")
                                if k in question
                            },
                        },
                        f"select_one {list_name}",
                    )
                self.survey.append({"type": "end_group", "name": question["name"]})
            elif kind == d.GROUP:
                self.row({k: v for k, v in question.items() if k != "required"}, "begin_group")
                self.questions(question.get("children") or [])
                self.survey.append({"type": "end_group", "name": question["name"]})


def _write_sheet(sheet, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([_cell_text(v) for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a label that starts with "=" is text, not an Excel formula
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = 14 if name in ("type", "name", "required", "list_name") else 32
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width


def xlsform_from_definition(definition: dict, *, title: str, form_id: str, version: str | int | None = None) -> bytes:
    """An XLSForm workbook (.xlsx bytes) for a definition, which KoboToolbox, ODK and this
    platform's own import all read back as the same form."""
    exporter = _Exporter()
    exporter.questions(definition.get("questions") or [])
    form_title = (title or "").strip() or d.label(definition.get("title"), "vi") or "Biểu mẫu"
    title_dict = definition.get("title") if isinstance(definition.get("title"), dict) else {}
    form_id = re.sub(r"[^A-Za-z0-9_.\-]", "_", (form_id or "").strip()) or "form"
    if not re.match(r"[A-Za-z_]", form_id):
        form_id = f"form_{form_id}"

    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    _write_sheet(survey, SURVEY_COLUMNS, [[row.get(column) for column in SURVEY_COLUMNS] for row in exporter.survey])
    _write_sheet(workbook.create_sheet("choices"), CHOICES_COLUMNS, exporter.choices)
    settings = [form_title, form_id, str(version if version is not None else 1), DEFAULT_LANGUAGE, "no"]
    settings.append(title_dict.get("en") or None)
    _write_sheet(workbook.create_sheet("settings"), SETTINGS_COLUMNS, [settings])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
