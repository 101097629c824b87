"""One answer in its stored form (forms-spec §1 answer values), and a calculation's result as it
is stored. static/surveys/answers.js (cleanValue, computedValue) does the same in the browser.
"""

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from . import expressions
from .definition_types import (
    ACKNOWLEDGE,
    CALCULATE,
    DATE,
    DATETIME,
    DECIMAL,
    GEOPOINT,
    HIDDEN,
    INTEGER,
    LONG_TEXT,
    MATRIX,
    MAX_TEXT,
    MEDIA_NAME,
    MEDIA_TYPES,
    OK,
    OTHER,
    RANGE,
    RANGE_DEFAULTS,
    RANK,
    RATING,
    SELECT_MULTIPLE,
    SELECT_ONE,
    TEXT,
    TIME,
    TRIGGER,
)

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")
_DATETIME = re.compile(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?([+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
_GEO_NUMBER = re.compile(r"^-?[0-9]{1,10}(\.[0-9]{1,15})?$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or value == []


def _valid_date(text: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) or text.startswith("0000"):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _decimal(value: Any) -> float:
    """A finite number below 10^15 from a number or its text (a decimal comma allowed)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(_("cần một số"))
    text = value.strip().replace(",", ".") if isinstance(value, str) else repr(value)
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", text) or len(text) > 100:
        raise ValueError(_("cần một số"))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("cần một số")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise ValueError(_("cần một số"))
    return float(number)


def _whole(number: float) -> int | float:
    return int(number) if number.is_integer() else number


def storable(text: str) -> bool:
    """Whether PostgreSQL can store the text in a JSON column: no NUL and no lone UTF-16
    surrogate ("\\ud800" is valid JSON, and a 500 at the INSERT)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(question: dict, value: Any, allowed: list[str]) -> str:
    if not isinstance(value, str):
        raise ValueError(_("cần một đoạn chữ"))
    if not storable(value):
        raise ValueError(_("có ký tự không hợp lệ (NUL hoặc nửa ký tự UTF-16)"))
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise ValueError(_("dài quá %(n)s ký tự") % {"n": MAX_TEXT})
    return value


def _integer(question: dict, value: Any, allowed: list[str]) -> int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, bool) or not (
        (isinstance(value, int) and abs(value) < 10**15)
        or (isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,15}", value.strip()))
    ):
        raise ValueError(_("cần một số nguyên"))
    return int(value)


def _number(question: dict, value: Any, allowed: list[str]) -> int | float:
    return _whole(_decimal(value))


def _range(question: dict, value: Any, allowed: list[str]) -> int | float:
    number = _decimal(value)
    parameters = question.get("parameters") or {}
    start, end, step = (parameters.get(k, RANGE_DEFAULTS[k]) for k in ("start", "end", "step"))
    steps = (number - start) / step
    if not min(start, end) <= number <= max(start, end) or abs(steps - round(steps)) > 1e-9:
        raise ValueError(
            _("cần một giá trị từ %(start)s đến %(end)s, bước %(step)s") % parameters_text(start, end, step)
        )
    return _whole(number)


def _date(question: dict, value: Any, allowed: list[str]) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not _valid_date(text):
        raise ValueError(_("cần một ngày dạng YYYY-MM-DD"))
    return text


def _time(question: dict, value: Any, allowed: list[str]) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not _TIME.match(text):
        raise ValueError(_("cần một giờ dạng HH:MM"))
    return text


def _datetime(question: dict, value: Any, allowed: list[str]) -> str:
    text = value.strip() if isinstance(value, str) else ""
    match = _DATETIME.match(text)
    if not match or not _valid_date(match.group(1)):
        raise ValueError(_("cần ngày giờ dạng YYYY-MM-DDTHH:MM"))
    return text


def _choices(question: dict, value: Any, allowed: list[str]) -> str:
    """One choice, several in choice order, or all of them ranked, as names joined by spaces."""
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        parts = [part.strip() for part in value]
    elif isinstance(value, str):
        parts = value.split()
    else:
        raise ValueError(_("cần các mã lựa chọn"))
    parts = [part for part in parts if part]
    allowed_set = set(allowed)  # a list of 20,000 choices and as many parts: no quadratic look-ups
    wrong = [part for part in parts if part not in allowed_set]
    if wrong:
        raise ValueError(_("“%(value)s” không phải là một lựa chọn") % {"value": " ".join(wrong)[:200]})
    kind = question["type"]
    if kind == SELECT_ONE:
        if len(parts) != 1 or not isinstance(value, str):
            raise ValueError(_("cần đúng một lựa chọn"))
        return parts[0]
    if kind == RANK:
        if len(parts) != len(allowed) or set(parts) != allowed_set:
            raise ValueError(_("cần xếp hạng tất cả các lựa chọn, mỗi lựa chọn một lần"))
        return " ".join(parts)
    chosen = set(parts)
    return " ".join(name for name in allowed if name in chosen)  # choice order, no repeats


def _point(question: dict, value: Any, allowed: list[str]) -> int:
    scale = question.get("scale") or {}
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,6}", value.strip()):
        number = int(value.strip())
    if number is None or not scale.get("min", 1) <= number <= scale.get("max", 5):
        raise ValueError(_("cần một điểm từ %(min)s đến %(max)s") % {"min": scale.get("min"), "max": scale.get("max")})
    return number


def _ok(question: dict, value: Any, allowed: list[str]) -> str:
    if value != OK:
        raise ValueError(_("chỉ nhận “OK”"))
    return OK


def _geopoint(question: dict, value: Any, allowed: list[str]) -> str:
    parts = value.split() if isinstance(value, str) else []
    numbers = [float(p) for p in parts] if all(_GEO_NUMBER.match(p) for p in parts) else []
    if (
        not 2 <= len(numbers) <= 4
        or abs(numbers[0]) > 90
        or abs(numbers[1]) > 180
        or (len(numbers) == 4 and numbers[3] < 0)
    ):
        raise ValueError(_("cần một vị trí “vĩ độ kinh độ độ cao độ chính xác”"))
    return " ".join(parts)


def _media(question: dict, value: Any, allowed: list[str]) -> str:
    if not isinstance(value, str) or not MEDIA_NAME.match(value) or not value.strip("."):
        raise ValueError(_("cần tên tệp gồm chữ không dấu, số, . _ - (tối đa 100 ký tự)"))
    return value


_CLEANERS = {
    **dict.fromkeys((TEXT, LONG_TEXT, HIDDEN, CALCULATE), _text),
    INTEGER: _integer,
    DECIMAL: _number,
    RANGE: _range,
    DATE: _date,
    TIME: _time,
    DATETIME: _datetime,
    **dict.fromkeys((SELECT_ONE, SELECT_MULTIPLE, RANK), _choices),
    **dict.fromkeys((RATING, MATRIX), _point),
    **dict.fromkeys((ACKNOWLEDGE, TRIGGER), _ok),
    GEOPOINT: _geopoint,
    **dict.fromkeys(MEDIA_TYPES, _media),
}


def clean_value(question: dict, key: str, value: Any, allowed: list[str]) -> Any:
    """The stored form of one answer (allowed: the choices it may take, after choice_filter), or
    raise ValueError saying what is wrong."""
    if key != question.get("name") and key == f"{question.get('name')}_{OTHER}":
        return _text(question, value, allowed)
    cleaner = _CLEANERS.get(question["type"])
    if cleaner is None:
        raise ValueError(_("câu này không nhận câu trả lời"))
    return cleaner(question, value, allowed)


def parameters_text(start: Any, end: Any, step: Any) -> dict:
    return {
        "start": expressions.to_string(start),
        "end": expressions.to_string(end),
        "step": expressions.to_string(step),
    }


def computed_value(result: Any) -> Any:
    """How a calculation's result is stored: numbers as numbers (whole ones as integers), true
    and false as text (as ODK stores them), nothing for an empty or unusable result."""
    if isinstance(result, list):
        result = result[0] if result else ""
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, (int, float)):
        if not math.isfinite(result):
            return None
        return int(result) if float(result).is_integer() and abs(result) < 1e15 else float(result)
    text = expressions.to_string(result)
    return text if text and len(text) <= MAX_TEXT else None
