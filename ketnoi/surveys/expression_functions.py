"""The functions of the expression language (expressions.py lists them with their arities and says
what each means); static/surveys/expressions.js implements the same ones.

Each receives the values of its arguments, already evaluated: a plain value, or — for the
functions in NODESET_FUNCTIONS only — possibly a list (a nodeset, e.g. a question inside a
repeat seen from outside it). All others receive the first item of a nodeset ("" when empty).
"""

import math
import random
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import patterns
from .expression_values import (
    MAX_TEXT,
    bounded,
    format_date,
    iso_date,
    power,
    round_half_away,
    to_number,
    to_string,
    truth,
)

NODESET_FUNCTIONS = {"concat", "join", "sum", "count", "count-non-empty", "min", "max", "indexed-repeat"}
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")
_TRUE_TEXT = re.compile(r"[Tt][Rr][Uu][Ee]|1")
_QUESTION_TEXT = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}")


def items(value: Any) -> list:
    """A value as a nodeset: a list stays itself, anything else is a nodeset of one."""
    return value if isinstance(value, list) else [value]


def scalar(value: Any) -> Any:
    """A nodeset read where one value is expected: its first item, "" when it is empty."""
    if isinstance(value, list):
        return value[0] if value else ""
    return value


def selected_names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [to_string(v) for v in value]
    return [part for part in to_string(value).split(" ") if part]


def _joined(separator: str, values: list) -> str:
    """The items of all the values joined, stopping once the text passes MAX_TEXT."""
    out, length = [], 0
    for value in values:
        for item in items(value):
            text = to_string(item)
            if out and separator:
                out.append(separator)
                length += len(separator)
            out.append(text)
            length += len(text)
            if length > MAX_TEXT:
                return bounded("".join(out))
    return bounded("".join(out))


def _numbers(values: list) -> list[float]:
    return [to_number(item) for value in values for item in items(value)]


def _extreme(values: list, pick: Callable) -> float:
    numbers = _numbers(values)
    if not numbers or any(math.isnan(n) for n in numbers):
        return math.nan
    return pick(numbers)


def _total(values: list) -> float:
    total = 0.0
    for number in _numbers(values):
        total += number
    return total


def _index(value: Any) -> int | None:
    number = to_number(value)
    if not math.isfinite(number):
        return None
    return math.trunc(number)


def _at(sequence: list, index: int | None) -> Any:
    return sequence[index] if index is not None and 0 <= index < len(sequence) else ""


def _row_value(rows: list, number: int | None) -> Any:
    """indexed-repeat(): the value in the row numbered `number` from 1, "" past either end."""
    return _at(rows, number - 1 if number is not None else None)


def _substr(text: str, start: Any, end: Any = None) -> str:
    """substr(s, start[, end]): 0-based, end excluded; a negative index counts from the end."""
    length = len(text)

    def position(value: Any, missing: int) -> int:
        number = to_number(value) if value is not None else float(missing)
        if math.isnan(number):
            number = 0.0
        if math.isinf(number):
            return length if number > 0 else 0
        index = math.trunc(number)
        if index < 0:
            index += length
        return min(max(index, 0), length)

    first, last = position(start, 0), position(end, length)
    return text[first:last] if first < last else ""


def _substring_before(text: str, part: str) -> str:
    found = text.find(part)
    return text[:found] if found >= 0 else ""


def _substring_after(text: str, part: str) -> str:
    found = text.find(part)
    return text[found + len(part) :] if found >= 0 else ""


def _rounded(values: list) -> float:
    places = to_number(values[1]) if len(values) > 1 else 0.0
    return round_half_away(to_number(values[0]), places)


def _whole(number: float, rounding: Callable) -> float:
    return float(rounding(number)) if math.isfinite(number) else number


def _square_root(number: float) -> float:
    return math.sqrt(number) if number >= 0 else math.nan


def question_name(text: str) -> str:
    """The question a jr:choice-name() names: '${q}', a path '/data/group/q', or 'q'."""
    text = text.strip()
    match = _QUESTION_TEXT.fullmatch(text)
    if match:
        return match.group(1)
    return text.rstrip("/").rsplit("/", 1)[-1]


def _choice_name(values: list, env: Any) -> str:
    if env.choice_name is None:
        return ""
    return bounded(to_string(env.choice_name(to_string(values[0]), question_name(to_string(values[1])))))


def _now(env: Any) -> str:
    moment = env.now if env.now is not None else datetime.now().astimezone()
    return moment.isoformat(timespec="seconds")


def _int(number: float) -> float:
    return number if not math.isfinite(number) else float(math.trunc(number))


# name → (values, environment) → value. `if` is not here: it evaluates only the branch it takes.
CALLS: dict[str, Callable[[list, Any], Any]] = {
    "selected": lambda v, env: to_string(v[1]) in selected_names(v[0]),
    "count-selected": lambda v, env: float(len(selected_names(v[0]))),
    "selected-at": lambda v, env: _at(selected_names(v[0]), _index(v[1])),
    "string-length": lambda v, env: float(len(to_string(v[0]))),
    # RE2, linear in the answer: a backtracking engine lets one answer hold the server.
    "regex": lambda v, env: patterns.full_match(to_string(v[1]), to_string(v[0])),
    "contains": lambda v, env: to_string(v[1]) in to_string(v[0]),
    "starts-with": lambda v, env: to_string(v[0]).startswith(to_string(v[1])),
    "ends-with": lambda v, env: to_string(v[0]).endswith(to_string(v[1])),
    "not": lambda v, env: not truth(v[0]),
    "true": lambda v, env: True,
    "false": lambda v, env: False,
    "boolean": lambda v, env: truth(v[0]),
    "boolean-from-string": lambda v, env: _TRUE_TEXT.fullmatch(to_string(v[0])) is not None,
    "number": lambda v, env: to_number(v[0]),
    "int": lambda v, env: _int(to_number(v[0])),
    "string": lambda v, env: to_string(v[0]),
    "coalesce": lambda v, env: v[0] if to_string(v[0]) != "" else v[1],
    "once": lambda v, env: v[0],
    "concat": lambda v, env: _joined("", v),
    "join": lambda v, env: _joined(to_string(scalar(v[0])), v[1:]),
    "substr": lambda v, env: _substr(to_string(v[0]), v[1], v[2] if len(v) > 2 else None),
    "substring-before": lambda v, env: _substring_before(to_string(v[0]), to_string(v[1])),
    "substring-after": lambda v, env: _substring_after(to_string(v[0]), to_string(v[1])),
    "normalize-space": lambda v, env: " ".join(p for p in _XPATH_SPACE.split(to_string(v[0])) if p),
    "round": lambda v, env: _rounded(v),
    "floor": lambda v, env: _whole(to_number(v[0]), math.floor),
    "ceiling": lambda v, env: _whole(to_number(v[0]), math.ceil),
    "abs": lambda v, env: abs(to_number(v[0])),
    "pow": lambda v, env: power(to_number(v[0]), to_number(v[1])),
    "sqrt": lambda v, env: _square_root(to_number(v[0])),
    "min": lambda v, env: _extreme(v, min),
    "max": lambda v, env: _extreme(v, max),
    "sum": lambda v, env: _total(v),
    "count": lambda v, env: float(len(items(v[0]))),
    "count-non-empty": lambda v, env: float(sum(1 for item in items(v[0]) if to_string(item) != "")),
    "indexed-repeat": lambda v, env: _row_value(items(v[0]), _index(scalar(v[2]))),
    "position": lambda v, env: float(env.position) if env.position is not None else math.nan,
    "jr:choice-name": _choice_name,
    "today": lambda v, env: env.today.isoformat(),
    "now": lambda v, env: _now(env),
    "date": lambda v, env: iso_date(v[0]),
    "decimal-date-time": lambda v, env: to_number(v[0]),
    "format-date": lambda v, env: format_date(v[0], to_string(v[1])),
    "format-date-time": lambda v, env: format_date(v[0], to_string(v[1])),
    "uuid": lambda v, env: str(uuid.uuid4()),
    "random": lambda v, env: random.random(),  # noqa: S311 - a form's random(), not a secret
}
