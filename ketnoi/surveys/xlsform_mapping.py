"""What XLSForm's words mean in our definition format, word by word: its question types (ours,
skipped, or refused with the reason and the way round it), its language names and its XPath
paths. xlsform_convert.py applies them as it walks pyxform's JSON (the underscored names are
for it); the mapping as a whole is described in xlsform.py."""

import re
import unicodedata

from django.utils.translation import gettext as _
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from . import definition as d

# pyxform's JSON names the two select types so (whatever alias the sheet used).
SELECT_ONE_JSON, SELECT_MULTIPLE_JSON = "select one", "select all that apply"

# The types of the definition format v2 (forms-spec §1) that have no constant in definition.py
# yet: XLSForm's own names.
TIME, DATETIME, RANGE, RANK = "time", "datetime", "range", "rank"
ACKNOWLEDGE, TRIGGER, HIDDEN, CALCULATE = "acknowledge", "trigger", "hidden", "calculate"
GEOPOINT, IMAGE, AUDIO, FILE, REPEAT = "geopoint", "image", "audio", "file", "repeat"

# Our type for each of XLSForm's types that a person answers or reads, by pyxform's canonical
# name; pyxform's aliases ("string", "int", "q image", "add date prompt", …) are found through its
# own type dictionary (see canonical_type).
PLAIN_TYPES = {
    "text": d.TEXT,
    "integer": d.INTEGER,
    "decimal": d.DECIMAL,
    "date": d.DATE,
    "note": d.NOTE,
    "time": TIME,
    "datetime": DATETIME,
    "range": RANGE,
    "acknowledge": ACKNOWLEDGE,
    "trigger": TRIGGER,
    "hidden": HIDDEN,
    "calculate": CALCULATE,
    "geopoint": GEOPOINT,
    "image": IMAGE,
    "audio": AUDIO,
    "file": FILE,
}
# Types with parameters worth keeping as they are (range's are read into numbers).
MEDIA_TYPES = {IMAGE, AUDIO, FILE}

# Metadata the phone records by itself (KoboToolbox adds start and end to every form). Nobody
# answers them and the platform records none of them, so these rows — and only these — are
# skipped; the import says which rows it skipped (xlsform_convert.py), never silently.
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
    "background-geopoint",
    "background-audio",
    # pyxform's own aliases of the above ("start time", "get device id", "uri:username", …)
    *(kind for kind, entry in QUESTION_TYPE_DICT.items() if "jr:preload" in (entry.get("bind") or {})),
}

# Types whose pyxform entry looks like another's but that are not aliases of it.
_NOT_ALIASES = {"select one external", "xml-external", "csv-external", "phone number"}
# Columns of KoboToolbox's own editor ("$kuid", "$autoname", "$autovalue", "kobo--…") and HXL
# tags: they say nothing about the form a respondent sees, on either sheet.
EDITOR_COLUMN = re.compile(r"^(\$|_|kobo--|hxl$|tags$)", re.I)
_GEO_SHAPES = {"geotrace", "geoshape", "osm"}
_REFUSED_MEDIA = {"video", "barcode"}


def canonical_type(kind: str) -> str:
    """pyxform's canonical name for a type as its JSON has it: "string" → "text", "int" →
    "integer", "photo" → "image", "q date" → "date", "dateTime" → "datetime"…; unknown types
    come back as they are."""
    if kind in PLAIN_TYPES or kind in METADATA_TYPES:
        return kind
    entry = QUESTION_TYPE_DICT.get(kind)
    if entry is None or kind in _NOT_ALIASES:
        return kind
    for canonical in (*PLAIN_TYPES, "dateTime", "geotrace", "geoshape", "video", "barcode", "osm"):
        if canonical not in ("hidden",) and QUESTION_TYPE_DICT.get(canonical) == entry:
            return "datetime" if canonical == "dateTime" else canonical
    return kind


def _unsupported_reason(kind: str, written: str) -> str:
    """What to tell the author about a question type we cannot represent (`kind` canonical,
    `written` as the sheet has it)."""
    if kind in _GEO_SHAPES:
        return _(
            "cột type: đường đi hoặc vùng trên bản đồ (%(type)s) không được hỗ trợ. Hãy dùng geopoint (một điểm) "
            "hoặc xoá dòng này."
        ) % {"type": written}
    if kind in _REFUSED_MEDIA:
        return _(
            "cột type: câu hỏi quay video hoặc quét mã vạch (%(type)s) không được hỗ trợ. Hãy dùng image, audio, "
            "file hoặc text."
        ) % {"type": written}
    if kind == "loop":
        return _(
            "cột type: vòng lặp (begin loop) không được hỗ trợ. Hãy dùng begin_repeat (nhóm lặp lại) hoặc các "
            "câu hỏi riêng cho từng lựa chọn."
        )
    if kind in ("xml-external", "csv-external"):
        return _(
            "cột type: %(type)s (tệp dữ liệu ngoài cho pulldata() hoặc instance()) không được hỗ trợ. Hãy dùng "
            "select_one_from_file kèm tệp CSV, hoặc chép dữ liệu vào biểu mẫu."
        ) % {"type": written}
    if kind == "select one external":
        return _(
            "cột type: select_one_external (lựa chọn từ tệp ngoài, lọc theo câu trước) không được hỗ trợ. Hãy dùng "
            "select_one_from_file kèm tệp CSV, hoặc chép các lựa chọn vào trang choices và dùng choice_filter."
        )
    return _(
        "cột type: loại câu hỏi “%(type)s” không có trong XLSForm hoặc không được hỗ trợ. Các loại dùng được: text, "
        "integer, decimal, date, time, datetime, select_one, select_multiple, rank, range, note, acknowledge, trigger, "
        "calculate, hidden, geopoint, image, audio, file, begin_group, begin_repeat."
    ) % {"type": written}


# Languages ------------------------------------------------------------------------------------

_CODE_IN_BRACKETS = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$")
_KNOWN_NAMES = {"vietnamese": "vi", "tiếng việt": "vi", "tieng viet": "vi", "vi": "vi", "vn": "vi"}
_KNOWN_NAMES |= {"english": "en", "tiếng anh": "en", "en": "en"}


def language_code(name: str) -> str:
    """Our code for an XLSForm language name: the code in brackets (“Khmer (km)” → km), the
    code of a name we know (“English” → en), else the name folded to [a-z0-9_-]
    (“Français” → francais)."""
    written = (name or "").strip()
    bracketed = _CODE_IN_BRACKETS.search(written)
    if bracketed:
        return bracketed.group(1).lower().replace("_", "-")
    low = written.lower()
    if low in _KNOWN_NAMES:
        return _KNOWN_NAMES[low]
    folded = unicodedata.normalize("NFKD", low.replace("đ", "d"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9_-]+", "_", folded).strip("_") or "default"


def language_name(name: str) -> str:
    """The display name of an XLSForm language: “Khmer (km)” → Khmer."""
    return _CODE_IN_BRACKETS.sub("", (name or "").strip()).strip() or name


# Expressions -----------------------------------------------------------------------------------

_STRING_PARTS = re.compile(r"('[^']*'|\"[^\"]*\")")
_RELATIVE_PATH = re.compile(r"(?:current\(\)/)?(?:\.\./)+(?:[A-Za-z_][\w.\-]*/)*([A-Za-z_][\w\-]*)")
_ABSOLUTE_PATH = re.compile(r"(?<![\w)\]}.$])/[A-Za-z_][\w.\-]*(?:/[A-Za-z_][\w.\-]*)*/([A-Za-z_][\w\-]*)")


def normalise_expression(source: str, *, current: str | None = None) -> str:
    """Our `${name}` references for the XPath paths an XLSForm may use (`../name`,
    `/data/group/name`), leaving quoted strings and `position(..)` alone. In a constraint, the
    question's own name (`current`) becomes ".", the value being checked."""
    parts = _STRING_PARTS.split(source or "")
    for index in range(0, len(parts), 2):  # even parts are outside quotes
        part = _RELATIVE_PATH.sub(lambda m: "${" + m.group(1) + "}", parts[index])
        part = _ABSOLUTE_PATH.sub(lambda m: "${" + m.group(1) + "}", part)
        if current:
            part = re.sub(r"\$\{\s*" + re.escape(current) + r"\s*\}", ".", part)
        parts[index] = part
    return "".join(parts).strip()
