"""XLSForm (the KoboToolbox/ODK spreadsheet format) in and out of our definition format.

Import reads the workbook with pyxform, the reference implementation, so a form is read exactly
as KoboToolbox and ODK read it (type aliases, translated columns, its own checks, whose messages
xlsform_messages.py says again in the author's language). pyxform's JSON is then turned into our
definition (forms-spec §1); what we cannot represent is refused with a message naming the sheet,
the row and the column. pyxform's JSON carries no row numbers, so the survey sheet's rows are
read beside it (through the same header normalisation pyxform uses) and matched to the JSON's
elements by name, in order. Texts (labels, hints, messages) come from those rows, because pyxform
straightens typographic quotes (“…” → "…"), which Vietnamese writing uses; the rules (type,
required, relevant, constraint, calculation) are taken as pyxform read them.

Mapping (both ways):
    text / integer / decimal / date / time / datetime / note / range / acknowledge / trigger /
    hidden / calculate / geopoint / image / audio / file   the same type (pyxform's aliases —
      string, int, photo, q date… — read as the type they stand for; range and media keep
      their parameters)
    text, appearance multiline                 long_text
    select_one / select_multiple / rank L      the same, choices from the choices sheet with
      [or_other | or specify other]              their image labels and extra columns (`data`),
                                                 or_other, choice_filter
    select_one_from_file f.csv / .xml          select_one (choices read from the attached
                                                 file, `from_file` kept)
    select_one over consecutive integers       rating (the lowest and highest choice labels are
      (1–5, 1–7, 1–10, 0–10), appearance likert  min_label / max_label)
    begin_group, appearance table-list, whose  matrix (one item per select_one)
      children are select_one over one such list
    begin_group … end_group                    group (appearance kept: field-list, table-list…)
    begin_repeat … end_repeat                  repeat (repeat_count: a number or an expression)
Every question keeps label, hint, guidance_hint, required (+ required_message), relevant,
constraint (+ constraint_message), read_only, default, calculation, appearance and media.
Languages: any number of `label::Name (code)` columns; the code in brackets is the language's
code, "Vietnamese"/"Tiếng Việt" and "English" are vi and en, any other name is folded to
[a-z0-9_-] ("Français" → francais) and its display name kept in `language_names`. A plain
`label` column is the settings' default_language (Vietnamese when none is set). Settings
version, instance_name, default_language and form_id go to `settings`.
Skipped, and said so in the import's notices: the metadata rows the phone fills by itself
(start, end, today, deviceid, phonenumber, username, simserial, subscriberid, email, audit,
start-geopoint, background-geopoint, background-audio and pyxform's aliases of them), columns
the platform does not use (KoboToolbox's editor columns "$kuid", "kobo--…" and HXL tags
silently: they say nothing about the form). Refused: begin loop, geotrace/geoshape, video,
barcode, select_one_external, search() appearances, the trigger column, "required when…".

The import is split along its steps: xlsform_bundle.py takes the uploaded files apart (a .zip,
or the workbook with its media) and reads CSV/XML lists, xlsform_read.py reads the workbook (and
the rows beside pyxform's JSON), xlsform_mapping.py says what XLSForm's types, language names and
XPath paths are in our format, xlsform_convert.py and xlsform_selects.py turn pyxform's JSON into
our definition; this module runs them and names what the rest of the platform imports. Writing
one is xlsform_export.py.
"""

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json

from . import definition as d
from .xlsform_bundle import read_list, unpack_uploads
from .xlsform_convert import _Importer, at_row
from .xlsform_export import (
    CHOICES_COLUMNS,
    DEFAULT_LANGUAGE,
    LANGUAGE_COLUMNS,
    OR_OTHER_LABELS,
    OR_OTHER_TEXTS,
    SETTINGS_COLUMNS,
    SURVEY_COLUMNS,
    TITLE_EN_SETTING,
    TITLE_SETTING_PREFIX,
    xlsform_from_definition,
)
from .xlsform_mapping import (
    METADATA_TYPES,
    PLAIN_TYPES,
    SELECT_MULTIPLE_JSON,
    SELECT_ONE_JSON,
    language_code,
    normalise_expression,
)
from .xlsform_read import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    ZIP_MAGIC,
    _choice_rows,
    _file_type,
    _load_workbook,
    _pyxform_problem,
    _read_bytes,
    _refuse,
    _settings,
    _survey_rows,
    _text,
)
from .xlsform_selects import LIST_FILE

# What the rest of the platform imports from here. The limits are read in xlsform_read.py: a
# test that changes one patches it there.
__all__ = [
    "CHOICES_COLUMNS",
    "DEFAULT_LANGUAGE",
    "LANGUAGE_COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "METADATA_TYPES",
    "OLE_MAGIC",
    "OR_OTHER_LABELS",
    "OR_OTHER_TEXTS",
    "PLAIN_TYPES",
    "SELECT_MULTIPLE_JSON",
    "SELECT_ONE_JSON",
    "SETTINGS_COLUMNS",
    "SURVEY_COLUMNS",
    "TITLE_EN_SETTING",
    "ZIP_MAGIC",
    "XLSFormImport",
    "at_row",
    "definition_from_xlsform",
    "import_uploads",
    "normalise_expression",
    "read_xlsform",
    "xlsform_from_definition",
]

logger = logging.getLogger(__name__)


@dataclass
class XLSFormImport:
    definition: dict
    title: str
    notices: list[str] = field(default_factory=list)  # what was skipped, said to the author
    files: dict[str, bytes] = field(default_factory=dict)  # the form's attachments, by name


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


def import_uploads(uploads: list[tuple[str, Any]]) -> XLSFormImport:
    """The form in what the author uploaded: [(file name, file)] — the workbook alone, the
    workbook and its media/list files, or one .zip of them all."""
    workbook_name, workbook, files = unpack_uploads(uploads)
    return read_xlsform(workbook, filename=workbook_name, files=files)


def definition_from_xlsform(fileobj: Any, *, filename: str) -> tuple[dict, str]:
    """(definition, title) from an uploaded XLSForm (.xlsx, or legacy .xls) with no files beside
    it. Raise a ValidationError, never anything else, when the file is not one we can use."""
    imported = read_xlsform(fileobj, filename=filename)
    return imported.definition, imported.title


def read_xlsform(fileobj: Any, *, filename: str, files: dict[str, bytes] | None = None) -> XLSFormImport:
    """The form in an XLSForm workbook and the files uploaded beside it. Raise a
    ValidationError, never anything else, when it is not one we can use; the messages name the
    sheet, the row and the column and say what to change."""
    data = _read_bytes(fileobj, filename)
    file_type = _file_type(data, filename)
    workbook = _load_workbook(data, file_type, filename)
    try:
        return _import(workbook, filename, files or {})
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


# Every way of writing a select over a choices-sheet list (pyxform's aliases: "select_one",
# "select one from", "select1", "rank"…), longest first; lists from files and external lists
# live elsewhere.
_LIST_ALIASES = sorted(
    (a for a in (*aliases.select, "rank") if "file" not in a and "external" not in a), key=len, reverse=True
)
_LIST_TYPE = re.compile(r"^(" + "|".join(re.escape(a) for a in _LIST_ALIASES) + r")\s+(\S+)", re.I)


def _missing_lists(rows: list[tuple[int, dict]], choice_lists: dict, workbook) -> list[str]:
    """The lists the survey names that the choices sheet lacks, said before pyxform says
    "there should be a choices sheet" for all of them."""
    problems = []
    for number, row in rows:
        found = _LIST_TYPE.match(_text(row.get("type")))
        if found and found.group(2) in choice_lists and re.search(r"\sor[_ ]", _text(row.get("type"))):
            problems += _unlabelled_beside_or_other(number, found.group(2), choice_lists[found.group(2)])
        if not found or LIST_FILE.search(found.group(2)) or found.group(2) in choice_lists:
            continue
        if not workbook.choices_header:
            where = _("tệp không có trang choices")
        elif not choice_lists:
            where = _("trang choices chỉ có dòng tiêu đề")
        else:
            where = _("trang choices không có dòng nào với list_name = %(list)s") % {"list": found.group(2)}
        problems.append(
            at_row(
                number,
                _(
                    "cột type: danh sách lựa chọn “%(list)s” không có (%(where)s). Hãy thêm các lựa chọn của nó vào "
                    "trang choices (cột list_name, name, label)."
                )
                % {"list": found.group(2), "where": where},
            )
        )
    return problems


def _unlabelled_beside_or_other(number: int, list_name: str, choice_rows: list[tuple[int, dict]]) -> list[str]:
    """pyxform cannot add or_other's "Other" to a list holding a choice with no label (an image
    alone): said here with both rows, before pyxform stops with no message of its own."""
    unlabelled = [row_number for row_number, row in choice_rows if not row.get("label")]
    if not unlabelled:
        return []
    return [
        at_row(
            number,
            _(
                "cột type: or_other dùng danh sách “%(list)s”, trong đó lựa chọn ở trang choices, dòng %(rows)s "
                "chưa có nhãn (chỉ có ảnh). Hãy thêm nhãn cho lựa chọn đó, hoặc bỏ or_other và thêm lựa chọn "
                "“other” vào danh sách."
            )
            % {"list": list_name, "rows": ", ".join(str(n) for n in unlabelled)},
        )
    ]


def _read_lists(files: dict[str, bytes]) -> dict[str, list[dict]]:
    return {name: read_list(name, data) for name, data in files.items() if LIST_FILE.search(name)}


def _in_column_order(codes: list[str], workbook) -> list[str]:
    """The languages in the order of the survey sheet's columns (label::…, hint::…), as the
    author (or our export) laid them out; a language seen only elsewhere keeps its place after."""
    header = next(iter(workbook.survey_header or []), {}) or {}
    order: list[str] = []
    for column in header:
        _kind, separator, language = str(column).partition("::")
        code = language_code(language.strip()) if separator and language.strip() else ""
        if code in codes and code not in order:
            order.append(code)
    return order + [code for code in codes if code not in order]


def _import(workbook, filename: str, files: dict[str, bytes]) -> XLSFormImport:
    settings = _settings(workbook)
    strip = aliases.yes_no.get(settings.get("clean_text_values", "yes"), True)
    rows = _survey_rows(workbook, strip=strip)
    choice_lists = _choice_rows(workbook, strip=strip)
    missing = _missing_lists(rows, choice_lists, workbook)
    if missing:
        raise ValidationError(missing, code="xlsform")
    try:
        form = workbook_to_json(workbook_dict=workbook, warnings=[])
    except PyXFormError as error:
        raise _pyxform_problem(error) from None

    importer = _Importer(rows, choice_lists, settings, list_files=_read_lists(files))
    questions = importer.convert(form.get("children") or [])
    importer.skipped_metadata()
    form_settings = _form_settings(importer, settings, form)
    for name, (sheet, row) in importer.files.items():
        if name not in files:
            importer.errors.append(
                _(
                    "Trang %(sheet)s, dòng %(row)s: tệp “%(file)s” được nhắc tới nhưng chưa được tải lên cùng biểu "
                    "mẫu. Hãy chọn cả tệp .xlsx và tệp “%(file)s” (hoặc một tệp .zip chứa tất cả) rồi nhập lại."
                )
                % {"sheet": sheet, "row": row, "file": name}
            )
    if not questions and not importer.errors:
        importer.errors.append(
            _("Biểu mẫu cần ít nhất một câu hỏi: trang survey chỉ có các dòng được bỏ qua (metadata).")
        )
    if importer.errors:
        raise ValidationError(importer.errors, code="xlsform")

    title = _text(settings.get("form_title") or settings.get("title")) or Path(filename or "").stem or "XLSForm"
    title = re.sub(r"\s+", " ", title)[:255]
    languages = importer.languages
    codes = _in_column_order(list(languages.codes), workbook)
    default = form_settings.get("default_language") or languages.default
    if codes and default in codes:
        codes.remove(default)
        codes.insert(0, default)
    if codes and codes not in (["vi"], ["vi", "en"]):  # those two are the platform's own order
        definition: dict = {"languages": codes}
    else:
        definition = {}
    names = {
        code: name
        for code, name in languages.names.items()
        if code in codes and code not in ("vi", "en") and name and name != code
    }
    if names:
        definition["language_names"] = names
    if codes and "vi" not in codes:
        form_settings.setdefault("default_language", codes[0])
    # The title in the form's own language (Vietnamese unless it has none), then each other
    # language's from its `form_title_<code>` setting (what the export writes).
    title_language = form_settings.get("default_language", "vi") if codes and "vi" not in codes else "vi"
    titles = {title_language: title}
    for key, value in settings.items():
        code = str(key)[len(TITLE_SETTING_PREFIX) :] if str(key).startswith(TITLE_SETTING_PREFIX) else ""
        text = re.sub(r"\s+", " ", _text(value))[:255]
        if code and text and code not in titles and (code in codes or code in ("vi", "en")):
            titles[code] = text
    definition = {"title": titles, **definition}
    if form_settings.get("default_language") == "vi":
        del form_settings["default_language"]  # what a form without the setting means anyway
    if form_settings:
        definition["settings"] = form_settings
    used_files = sorted(name for name in files if name in importer.files)
    if used_files:
        definition["attachments"] = used_files
    definition["questions"] = questions
    notices = list(importer.notices)
    notices += [
        _("Tệp “%(file)s” không được biểu mẫu nhắc tới nên không được lưu.") % {"file": name}
        for name in sorted(set(files) - set(used_files))
    ]
    _check_with_rows(definition, importer.name_rows)
    return XLSFormImport(definition, title, notices, {name: files[name] for name in used_files})


_FORM_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_IGNORED_SETTINGS = {
    "form_title",
    "title",
    "form_id",
    "id_string",
    "version",
    "instance_name",
    "default_language",
    "clean_text_values",
    "allow_choice_duplicates",
    "name",  # the XForm's root element: XML plumbing, no part of the form a person sees
    "namespaces",
    TITLE_EN_SETTING,
}


def _form_settings(importer: _Importer, settings: dict[str, str], form: dict) -> dict[str, str]:
    """forms-spec's `settings` from the settings sheet; a value the platform cannot use is
    refused, naming the column."""
    found: dict[str, str] = {}
    form_id = _text(settings.get("form_id") or settings.get("id_string"))
    if form_id:
        if _FORM_ID.match(form_id):
            found["form_id"] = form_id
        else:
            importer.errors.append(
                _(
                    "Trang settings, cột form_id: “%(value)s” không dùng được. form_id chỉ gồm chữ không dấu, số, "
                    "dấu gạch dưới, gạch ngang và dấu chấm, bắt đầu bằng chữ."
                )
                % {"value": form_id}
            )
    version = _text(settings.get("version"))
    if version:
        found["version"] = version[:255]
    instance_name = _text(settings.get("instance_name"))
    if instance_name:
        expression = importer.expression(instance_name, None, "instance_name")
        if expression:
            found["instance_name"] = expression
    default = _text(settings.get("default_language"))
    if default:
        code = language_code(default)
        if importer.languages.codes and code not in importer.languages.codes and not importer.languages.plain_used:
            importer.errors.append(
                _(
                    "Trang settings, cột default_language: “%(value)s” không phải ngôn ngữ của cột nào trong biểu "
                    "mẫu (%(languages)s). Hãy ghi đúng tên ngôn ngữ như trong tiêu đề cột, ví dụ “%(example)s”."
                )
                % {
                    "value": default,
                    "languages": ", ".join(importer.languages.names.get(c, c) for c in importer.languages.codes),
                    "example": next(iter(importer.languages.names.values()), "Tiếng Việt (vi)"),
                }
            )
        else:
            found["default_language"] = code
    for key in settings:
        if key not in _IGNORED_SETTINGS and not str(key).startswith(TITLE_SETTING_PREFIX) and settings[key]:
            importer.notices.append(
                _("Trang settings, cột %(column)s: không dùng trên nền tảng này, đã bỏ qua.") % {"column": key}
            )
    return found
