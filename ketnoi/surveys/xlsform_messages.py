"""pyxform's messages in the author's language. pyxform (the reference reader KoboToolbox and ODK
use) checks a workbook before we map it and stops at the first problem with an English message
and, usually, "[row : N]". The common ones are said again here in full, naming the sheet, the
row and the column; the rest keep pyxform's own words after a translated opening, so nothing it
says is lost."""

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

_ROW = re.compile(r"^\[row\s*:\s*(\d+)\]\s*")


def _at(sheet: str, row: str | None, column: str | None) -> str:
    if row and column:
        return _("Trang %(sheet)s, dòng %(row)s, cột %(column)s") % {"sheet": sheet, "row": row, "column": column}
    if row:
        return _("Trang %(sheet)s, dòng %(row)s") % {"sheet": sheet, "row": row}
    return _("Trang %(sheet)s") % {"sheet": sheet}


def _missing_calculation(match: re.Match, row: str | None) -> str:
    return (
        _at("survey", row, "calculation")
        + ": "
        + _(
            "dòng calculate cần một công thức trong cột calculation (ví dụ ${so_nguoi} * 2). Hãy điền công thức hoặc "
            "xoá dòng."
        )
    )


def _list_not_in_choices(match: re.Match, row: str | None) -> str:
    return (
        _at("survey", row, "type")
        + ": "
        + _(
            "danh sách lựa chọn “%(list)s” không có trên trang choices. Hãy thêm các lựa chọn của nó vào trang choices "
            "(cột list_name = %(list)s) hoặc sửa tên danh sách."
        )
        % {"list": match.group(1).strip()}
    )


def _duplicate_choice(match: re.Match, row: str | None) -> str:
    return (
        _at("choices", row, "name")
        + ": "
        + _("mã lựa chọn này đã có trong cùng danh sách. Mỗi lựa chọn của một danh sách cần một mã (name) riêng.")
    )


def _duplicate_question(match: re.Match, row: str | None) -> str:
    return (
        _at("survey", row, "name")
        + ": "
        + _("tên “%(name)s” đã dùng cho một câu hỏi khác. Mỗi câu hỏi, nhóm và nhóm lặp lại cần một tên riêng.")
        % {"name": match.group(1)}
    )


def _unmatched(match: re.Match, row: str | None) -> str:
    written, name = match.group(1), match.group(2)
    kind = written.split("_", 1)[-1]
    if written.startswith("begin"):
        problem = _("“%(written)s %(name)s” không có dòng end_%(kind)s tương ứng. Hãy thêm dòng end_%(kind)s.") % {
            "written": written,
            "name": name,
            "kind": kind,
        }
    else:
        problem = _(
            "“%(written)s” không có dòng begin_%(kind)s tương ứng ở phía trên. Hãy xoá dòng này hoặc thêm "
            "begin_%(kind)s."
        ) % {
            "written": written,
            "kind": kind,
        }
    return _at("survey", row, "type") + ": " + problem


def _no_name(match: re.Match, row: str | None) -> str:
    return (
        _at("survey", row, "name")
        + ": "
        + _("câu hỏi hoặc nhóm chưa có tên. Hãy đặt tên (chữ không dấu, số, dấu gạch dưới).")
    )


def _bad_reference(match: re.Match, row: str | None) -> str:
    return (
        _at(match.group(1), row, match.group(2))
        + ": "
        + _("${%(name)s} không phải tên của câu hỏi nào trên trang survey. Hãy sửa tên trong ${…} cho đúng.")
        % {"name": match.group(3)}
    )


def _choice_filter_or_other(match: re.Match, row: str | None) -> str:
    return (
        _at("survey", row, "choice_filter")
        + ": "
        + _(
            "choice_filter không dùng được cùng với or_other. Hãy bỏ or_other và thêm lựa chọn “other” vào danh sách, "
            "kèm một câu text hỏi khi chọn nó."
        )
    )


def _invalid_name(match: re.Match, row: str | None) -> str:
    return (
        _at("survey", row, "name")
        + ": "
        + _(
            "tên “%(name)s” không hợp lệ. Tên bắt đầu bằng chữ hoặc dấu gạch dưới, chỉ gồm chữ không dấu, số, dấu "
            "gạch dưới, dấu gạch ngang và dấu chấm."
        )
        % {"name": match.group(1)}
    )


def _same_column_twice(match: re.Match, row: str | None) -> str:
    return (
        _at(match.group(1), "1", None)
        + ": "
        + _("các cột %(columns)s là cùng một cột viết theo hai cách. Hãy giữ một cột, xoá hoặc đổi tên cột kia.")
        % {"columns": match.group(2).strip().rstrip(".")}
    )


_KNOWN: list[tuple[re.Pattern, Callable[[re.Match, str | None], str]]] = [
    (re.compile(r"Missing calculation", re.I), _missing_calculation),
    (
        re.compile(
            r"Invalid headers provided for sheet: '(\w+)'\. Headers that are different names for the same column "
            r"were found: ([^.]*)",
            re.I,
        ),
        _same_column_twice,
    ),
    (re.compile(r"List name not in choices sheet: (.+?)\.?$", re.I), _list_not_in_choices),
    (
        re.compile(r"On the 'choices' sheet, the 'name' value is invalid\. Choice names must be unique", re.I),
        _duplicate_choice,
    ),
    (
        re.compile(
            r"On the 'survey' sheet, the 'name' value '([^']*)' is invalid\. "
            r"Questions, groups, and repeats must be unique",
            re.I,
        ),
        _duplicate_question,
    ),
    (
        re.compile(r"Unmatched '((?:begin|end)_(?:group|repeat))'\. No matching .* for the name '([^']*)'", re.I),
        _unmatched,
    ),
    (re.compile(r"Question or group with no name", re.I), _no_name),
    (
        re.compile(
            r"On the '(\w+)' sheet, the '([^']+)' value is invalid\. Reference variables must contain a name "
            r"from the 'survey' sheet\. Could not find the name '([^']*)'",
            re.I,
        ),
        _bad_reference,
    ),
    (re.compile(r"Choice filter not supported with or_other", re.I), _choice_filter_or_other),
    (re.compile(r"The name '([^']*)' contains an invalid character", re.I), _invalid_name),
]


def pyxform_message(text: str) -> str:
    """pyxform's message `text` in the author's language (see the module's docstring)."""
    message = re.sub(r"\s+", " ", text).strip()
    row_match = _ROW.match(message)
    row = row_match.group(1) if row_match else None
    rest = message[row_match.end() :] if row_match else message
    for pattern, say in _KNOWN:
        found = pattern.search(rest)
        if found:
            return say(found, row)
    if row:
        return _(
            "Trang survey, dòng %(row)s: pyxform (công cụ của ODK/KoboToolbox) báo lỗi: %(message)s Hãy sửa tệp rồi "
            "tải lên lại."
        ) % {"row": row, "message": rest}
    return _("pyxform (công cụ của ODK/KoboToolbox) báo lỗi trong tệp: %(message)s Hãy sửa tệp rồi tải lên lại.") % {
        "message": rest
    }
