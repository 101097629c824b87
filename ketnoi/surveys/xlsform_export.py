"""Writing our definition as an XLSForm (.xlsx with survey, choices and settings sheets) that
KoboToolbox and ODK load (pyxform converts it and ODK Validate accepts it), and that our own
import (xlsform.py) reads back as the same definition. A form with attached files (choice
images, CSV lists, question media) is a .zip holding the .xlsx and the files.

Mapping, definition → XLSForm (xlsform.py reads the same table backwards):
    text / integer / decimal / date / note     the same type
    time / datetime                            time / dateTime
    range (parameters start, end, step)        range, parameters `start=1 end=10 step=1`
    acknowledge / trigger / hidden / calculate the same type
    geopoint / image / audio / file            the same type (parameters e.g. `max-pixels=1024`)
    long_text                                  text, appearance `multiline` (+ its own words)
    select_one / select_multiple / rank        the same type over a list on the choices sheet
      (list named after the question; equal lists are shared)
      or_other                                 `… or_other`, with a translated "other" choice
      or_other with choice_filter              (pyxform refuses both) an "other" choice kept
                                               by the filter, and a text `<name>_other`
                                               relevant when "other" is chosen
      from_file "communes.csv"                 select_one_from_file communes.csv (the file
                                               goes in the .zip; the list is not written);
                                               with or_other, the list written out instead
      choice_filter                            choice_filter, verbatim; each choice's `data`
                                               is an extra column of the choices sheet
    rating                                     select_one over the integers min…max, appearance
                                               likert; min_label/max_label label the ends
    matrix                                     begin_group, appearance table-list, one
                                               select_one per item over the scale; required,
                                               constraint and messages on every item
    group                                      begin_group … end_group (a table-list whose
                                               questions pyxform would refuse becomes field-list)
    repeat (repeat_count)                      begin_repeat … end_repeat (repeat_count), nested
Every question: required (yes), relevant, constraint, calculation, default, read_only (yes),
choice_filter, appearance (verbatim), parameters (`k=v k=v`), repeat_count. Translated texts
(label, hint, guidance_hint, required_message, constraint_message) and media (image,
big-image, audio, video; also on choices) take one column per language, `label::<Name>
(<code>)`: "Vietnamese (vi)", "English (en)", `language_names[code] (code)` for the others,
`code (code)` when the form names none. A column kind used by any row is written for
every language (pyxform warns of a missing translation otherwise). A shown question with no
label at all is labelled with its name (pyxform refuses it otherwise).
Settings: form_title (the form's title; each other language's title as `form_title_<code>`),
form_id (settings.form_id, else the form's code made safe), version (settings.version, else the
version asked for, else 1), default_language (the column name of settings.default_language,
else Vietnamese when the form has it, else its first language), instance_name, and
clean_text_values = no (so pyxform keeps the texts' spaces as we store them). `attachments`
are the files of the .zip, not a column.
"""

import io
import re
import zipfile
from pathlib import PurePosixPath
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from . import definition as d
from .xlsform_export_rows import (
    MEDIA_KINDS,
    OR_OTHER_LABELS,
    OR_OTHER_TEXTS,
    TRANSLATED_SURVEY,
    RowWriter,
    language_codes,
    language_column,
    settle_table_lists,
)

LANGUAGE_COLUMNS = {"vi": "Vietnamese (vi)", "en": "English (en)"}
DEFAULT_LANGUAGE = LANGUAGE_COLUMNS["vi"]
TITLE_EN_SETTING = "form_title_en"  # XLSForm has no translated title; pyxform keeps unknown settings
TITLE_SETTING_PREFIX = "form_title_"

# The columns of a form in Vietnamese and English, which every form of the platform was until
# forms could take other languages: a form in other languages has the same kinds of column
# for each of its languages, and the optional columns after them when a question uses them.
_BASE_TRANSLATED = ("label", "hint", "constraint_message")
_BASE_PLAIN = ("required", "relevant", "constraint", "appearance")
_SURVEY_ORDER = (
    "type",
    "name",
    "label",
    "hint",
    "guidance_hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "calculation",
    "default",
    "read_only",
    "choice_filter",
    "parameters",
    "repeat_count",
    *MEDIA_KINDS,
)
SURVEY_COLUMNS = [
    f"{kind}::{LANGUAGE_COLUMNS[code]}" if kind in _BASE_TRANSLATED else kind
    for kind in _SURVEY_ORDER
    if kind in ("type", "name", *_BASE_TRANSLATED, *_BASE_PLAIN)
    for code in (LANGUAGE_COLUMNS if kind in _BASE_TRANSLATED else [None])
]
CHOICES_COLUMNS = ["list_name", "name", *(f"label::{column}" for column in LANGUAGE_COLUMNS.values())]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language", "clean_text_values", TITLE_EN_SETTING]
ZIP_TYPE = "application/zip"

# pyxform's JSON types ------------------------------------------------------------------------

SELECT_ONE_JSON, SELECT_MULTIPLE_JSON = "select one", "select all that apply"

__all__ = [
    "CHOICES_COLUMNS",
    "DEFAULT_LANGUAGE",
    "LANGUAGE_COLUMNS",
    "OR_OTHER_LABELS",
    "OR_OTHER_TEXTS",
    "SELECT_MULTIPLE_JSON",
    "SELECT_ONE_JSON",
    "SETTINGS_COLUMNS",
    "SURVEY_COLUMNS",
    "TITLE_EN_SETTING",
    "ZIP_TYPE",
    "attachment_names",
    "xlsform_from_definition",
    "xlsform_package",
]


# Writing the sheets ----------------------------------------------------------------------------


def _cell_text(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


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


def _translated(kind: str) -> bool:
    return kind in TRANSLATED_SURVEY or kind in MEDIA_KINDS


def _columns(rows: list[dict], order: list[str], always: set[str], languages: dict[str, str]) -> list[tuple]:
    """(header, column kind, language code) for the columns the rows use, in `order`; a
    translated kind gets one column per language, and when any row uses it."""
    used = {kind for row in rows for kind, value in row.items() if value not in (None, "", {})}
    columns = []
    for kind in order:
        if kind not in used and kind not in always:
            continue
        if _translated(kind):
            columns += [(f"{kind}::{name}", kind, code) for code, name in languages.items()]
        else:
            columns.append((kind, kind, None))
    return columns


def _cells(row: dict, columns: list[tuple]) -> list[Any]:
    cells = []
    for _header, kind, code in columns:
        value = row.get(kind)
        cells.append(value.get(code) if isinstance(value, dict) else value)
    return cells


def _safe_form_id(form_id: str) -> str:
    form_id = re.sub(r"[^A-Za-z0-9_.\-]", "_", (form_id or "").strip()) or "form"
    return form_id if re.match(r"[A-Za-z_]", form_id) else f"form_{form_id}"


def xlsform_from_definition(definition: dict, *, title: str, form_id: str, version: str | int | None = None) -> bytes:
    """An XLSForm workbook (.xlsx bytes) for a definition, which KoboToolbox, ODK and this
    platform's own import all read back as the same form."""
    settings = definition.get("settings") if isinstance(definition.get("settings"), dict) else {}
    codes = language_codes(definition)
    names = definition.get("language_names") if isinstance(definition.get("language_names"), dict) else {}
    languages = {code: language_column(code, names) for code in codes}
    wanted = settings.get("default_language")
    default = wanted if wanted in languages else "vi" if "vi" in languages else codes[0]

    writer = RowWriter(codes, default)
    writer.questions(definition.get("questions") or [])
    settle_table_lists(writer.survey)
    always = set(_BASE_TRANSLATED) | set(_BASE_PLAIN) | {"type", "name"}
    survey_columns = _columns(writer.survey, list(_SURVEY_ORDER), always, languages)
    data_columns = list(dict.fromkeys(k for row in writer.choices for k in row if k.startswith("data:")))
    choice_order = ["list_name", "name", "label", *MEDIA_KINDS, *data_columns]
    choice_columns = _columns(writer.choices, choice_order, {"list_name", "name", "label"}, languages)
    choice_header = [header.removeprefix("data:") for header, _kind, _code in choice_columns]

    title_texts = definition.get("title") if isinstance(definition.get("title"), dict) else {}
    form_title = (title or "").strip() or d.label(title_texts, default) or "Biểu mẫu"
    settings_row = {
        "form_title": form_title,
        "form_id": _safe_form_id(settings.get("form_id") or form_id),
        "version": str(settings.get("version") or (version if version is not None else 1)),
        "default_language": languages[default],
        "clean_text_values": "no",
        TITLE_EN_SETTING: title_texts.get("en") or None,
    }
    if settings.get("instance_name"):
        settings_row["instance_name"] = settings["instance_name"]
    for code, text in title_texts.items():
        if code not in ("vi", "en") and text and re.fullmatch(r"[A-Za-z0-9_-]+", code):
            settings_row[f"{TITLE_SETTING_PREFIX}{code}"] = text

    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    _write_sheet(survey, [h for h, _k, _c in survey_columns], [_cells(row, survey_columns) for row in writer.survey])
    _write_sheet(workbook.create_sheet("choices"), choice_header, [_cells(r, choice_columns) for r in writer.choices])
    _write_sheet(workbook.create_sheet("settings"), list(settings_row), [list(settings_row.values())])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The .zip of a form with attached files ----------------------------------------------------------


def attachment_names(definition: dict) -> list[str]:
    """The files a definition says are attached, each once, as plain file names."""
    names = definition.get("attachments") if isinstance(definition.get("attachments"), list) else []
    return list(dict.fromkeys(name for name in names if isinstance(name, str) and _plain_file_name(name)))


def _plain_file_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and "\\" not in name and len(path.parts) == 1 and name not in (".", "..")


def xlsform_package(xlsx: bytes, files: dict[str, bytes], *, xlsx_name: str) -> bytes:
    """A .zip holding the XLSForm and its attached files side by side, as KoboToolbox and ODK
    Central take a form with media (and as our import reads one back). File names that are not
    plain names (a folder, "..") are left out rather than written where they do not belong."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(xlsx_name, xlsx)
        for name, content in files.items():
            if _plain_file_name(name) and name != xlsx_name:
                archive.writestr(name, content)
    return out.getvalue()
