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

The import is split along its steps: xlsform_read.py reads the file (and the rows beside
pyxform's JSON), xlsform_mapping.py says what XLSForm's types, language names and XPath paths
are in our format, xlsform_convert.py turns pyxform's JSON into our definition; this module
runs them and names what the rest of the platform imports. Writing one is xlsform_export.py.
"""

import logging
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json

from . import definition as d
from .xlsform_convert import _Importer, at_row
from .xlsform_export import (
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
from .xlsform_mapping import METADATA_TYPES, PLAIN_TYPES, normalise_expression
from .xlsform_read import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    ZIP_MAGIC,
    _choice_labels,
    _file_type,
    _load_workbook,
    _pyxform_problem,
    _read_bytes,
    _refuse,
    _settings,
    _survey_rows,
    _text,
)

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
    "at_row",
    "definition_from_xlsform",
    "normalise_expression",
    "xlsform_from_definition",
]

logger = logging.getLogger(__name__)


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
