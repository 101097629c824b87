"""What XLSForm's words mean in our definition format, word by word: its question types (ours,
skipped, or refused with the reason and the way round it), its language names and its XPath
paths. xlsform_convert.py applies them as it walks pyxform's JSON (the underscored names are
for it); the mapping as a whole is described in xlsform.py."""

import re

from django.utils.translation import gettext as _

from . import definition as d

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


def _language_code(name: str, default: str | None) -> str | None:
    if name == "default":
        return default
    low = name.strip().lower()
    if "(vi)" in low or "vietnamese" in low or "tiếng việt" in low or low in ("vi", "vn"):
        return "vi"
    if "(en)" in low or "english" in low or low == "en":
        return "en"
    return None


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
