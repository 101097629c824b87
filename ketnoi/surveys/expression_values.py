"""Values of the expression language (expressions.py): how a value reads as a number, as text and
as a truth, ISO dates as day counts, and the arithmetic that must give the same digits in the
browser (static/surveys/expressions.js has the same functions, line for line where it matters).

Dates follow JavaRosa: an ISO date read as a number is the count of days since 1970-01-01, a
datetime the same count with the time as a fraction (its offset applied; a datetime without an
offset is read as UTC, so that the phone and the server agree whatever their time zones).
"""

import math
import re
from datetime import date
from typing import Any

MAX_TEXT = 10_000  # characters of a string a function builds (concat, join, format-date)
MAX_POWER = 1e15  # pow() results beyond this are empty: no one counts that high in a form
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_NUMBER_TEXT = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME_TEXT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def bounded(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT]


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(to_string(v) for v in value)
    return str(value)


def to_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = to_string(value).strip()
    if _NUMBER_TEXT.fullmatch(text):
        return float(text)
    days = date_days(text)
    return math.nan if days is None else days


def truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    return to_string(value) != ""


# Dates ----------------------------------------------------------------------------------------


def _day_number(year: str, month: str, day: str) -> int | None:
    """Days from 1970-01-01 to a calendar date, None when there is no such date."""
    try:
        return date(int(year), int(month), int(day)).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None


def date_parts(text: str) -> tuple[int, int, int, int, int, int, int, int] | None:
    """(days since 1970-01-01, year, month, day, hour, minute, second, millisecond) of an ISO
    date or datetime as written (its offset is not applied), or None."""
    text = text.strip()
    match = _DATE_TEXT.fullmatch(text) or _DATETIME_TEXT.fullmatch(text)
    if match is None:
        return None
    groups = match.groups()
    days = _day_number(*groups[:3])
    if days is None:
        return None
    hour, minute, second = (int(groups[i] or 0) for i in (3, 4, 5)) if len(groups) > 3 else (0, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    millisecond = int(((groups[6] or "") + "000")[:3]) if len(groups) > 3 else 0
    year, month, day = (int(g) for g in groups[:3])
    return (days, year, month, day, hour, minute, second, millisecond)


def date_days(text: str) -> float | None:
    """An ISO date or datetime as days since 1970-01-01 (the time as a fraction, its offset
    applied), or None."""
    parts = date_parts(text)
    if parts is None:
        return None
    match = _DATETIME_TEXT.fullmatch(text.strip())
    if match is None:
        return float(parts[0])
    offset = 0
    zone = match.group(8)
    if zone and zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            return None
        offset = (hours * 3600 + minutes * 60) * (-1 if zone[0] == "-" else 1)
    seconds = parts[4] * 3600 + parts[5] * 60 + parts[6] - offset
    fraction = float("0." + match.group(7)) if match.group(7) else 0.0
    return parts[0] + (seconds + fraction) / 86400


def date_of_days(days: float) -> date | None:
    """The calendar date `days` (floored) after 1970-01-01, None outside years 1–9999."""
    if not math.isfinite(days):
        return None
    ordinal = math.floor(days) + _EPOCH_ORDINAL
    if ordinal < 1 or ordinal > date.max.toordinal():
        return None
    return date.fromordinal(ordinal)


def iso_date(value: Any) -> str:
    """date(x): an ISO date string stays itself, a datetime gives its date, a number of days the
    date that many days after 1970-01-01; anything else is empty."""
    if isinstance(value, str):
        parts = date_parts(value)
        if parts is not None:
            return f"{parts[1]:04d}-{parts[2]:02d}-{parts[3]:02d}"
    found = date_of_days(to_number(value))
    return found.isoformat() if found else ""


def _clock_parts(value: Any) -> tuple[int, int, int, int, int, int, int, int] | None:
    if isinstance(value, str):
        parts = date_parts(value)
        if parts is not None:
            return parts
    number = to_number(value)
    day = date_of_days(number)
    if day is None:
        return None
    days = math.floor(number)
    milliseconds = math.floor((number - days) * 86_400_000 + 0.5)
    if milliseconds >= 86_400_000:
        days, milliseconds = days + 1, milliseconds - 86_400_000
        day = date_of_days(days)
        if day is None:
            return None
    return (
        days,
        day.year,
        day.month,
        day.day,
        milliseconds // 3_600_000,
        milliseconds // 60_000 % 60,
        milliseconds // 1000 % 60,
        milliseconds % 1000,
    )


def format_date(value: Any, pattern: str) -> str:
    """format-date(d, pattern) with JavaRosa's codes (%Y %y %m %n %d %e %H %h %M %S %3 %a %b);
    an unknown code stays as written; a value that is no date gives ""."""
    parts = _clock_parts(value)
    if parts is None:
        return ""
    days, year, month, day, hour, minute, second, millisecond = parts
    codes = {
        "Y": f"{year:04d}",
        "y": f"{year % 100:02d}",
        "m": f"{month:02d}",
        "n": str(month),
        "d": f"{day:02d}",
        "e": str(day),
        "H": f"{hour:02d}",
        "h": str(hour),
        "M": f"{minute:02d}",
        "S": f"{second:02d}",
        "3": f"{millisecond:03d}",
        "a": WEEKDAYS[(days + 4) % 7],
        "b": MONTHS[month - 1],
        "%": "%",
    }
    out: list[str] = []
    length = 0
    index = 0
    while index < len(pattern) and length <= MAX_TEXT:
        char = pattern[index]
        if char == "%" and index + 1 < len(pattern):
            code = pattern[index + 1]
            piece = codes.get(code, "%" + code)
            index += 2
        else:
            piece = char
            index += 1
        out.append(piece)
        length += len(piece)
    return bounded("".join(out))


# Numbers --------------------------------------------------------------------------------------


def _shortest_digits(number: float) -> tuple[str, int]:
    """The shortest digits that read back as |number| (non-zero, finite) and the power of ten of
    the first: 1234.5 → ("12345", 3). The browser takes the same from toExponential()."""
    text = repr(abs(number))
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        digits = mantissa.replace(".", "")
        power = int(exponent)
    else:
        whole, _, fraction = text.partition(".")
        stripped_whole = whole.lstrip("0")
        if stripped_whole:
            digits, power = stripped_whole + fraction, len(stripped_whole) - 1
        else:
            significant = fraction.lstrip("0")
            digits, power = significant, -(len(fraction) - len(significant)) - 1
    digits = digits.rstrip("0") or "0"
    return digits, power


def _increment(digits: str) -> str:
    """A decimal digit string plus one, in text (the browser's numbers cannot hold 17 digits)."""
    out = list(digits)
    index = len(out) - 1
    while index >= 0:
        if out[index] != "9":
            out[index] = str(int(out[index]) + 1)
            return "".join(out)
        out[index] = "0"
        index -= 1
    return "1" + "".join(out)


def round_half_away(number: float, places: float) -> float:
    """round(x, places): the written decimal digits of x rounded half away from zero, as
    JavaRosa's BigDecimal does (round(1.005, 2) is 1.01, round(-2.5) is -3)."""
    if math.isnan(places) or math.isnan(number):
        return math.nan
    if not math.isfinite(number) or number == 0:
        return number
    places_whole = int(places) if math.isfinite(places) else (400 if places > 0 else -400)
    places_whole = max(-400, min(400, places_whole))
    digits, power = _shortest_digits(number)
    kept = power + places_whole + 1  # how many of the digits stay
    if kept >= len(digits):
        return number
    if kept < 0:
        return 0.0
    head = digits[:kept] or "0"
    if digits[kept] >= "5":
        head = _increment(head)
    result = float(f"{head}e{-places_whole}")
    return -result if number < 0 else result


def _whole_power(base: float, exponent: float) -> float:
    """base ** exponent for a whole exponent by repeated squaring: the same multiplications, in
    the same order, as the browser does, so both give the same last digit."""
    result, square, count = 1.0, base, abs(exponent)
    while count > 0:
        if count % 2 == 1:
            result *= square
        count = math.floor(count / 2)
        if count > 0:
            square *= square
    if exponent < 0:
        return math.nan if result == 0 else 1 / result
    return result


# ln 2 in two parts (as fdlibm splits it): a multiple of the first is exact, so reducing by
# whole powers of two loses nothing.
_LN2_HIGH = 6.93147180369123816490e-01
_LN2_LOW = 1.90821492927058770002e-10


def _natural_log(number: float) -> float:
    """ln(number) for a positive finite number, from + − × ÷ only: every engine rounds those
    alike, where the platforms' log() and pow() differ in the last digit."""
    mantissa, twos = number, 0.0
    while mantissa >= 2:
        mantissa, twos = mantissa / 2, twos + 1
    while mantissa < 1:
        mantissa, twos = mantissa * 2, twos - 1
    ratio = (mantissa - 1) / (mantissa + 1)  # ln(m) = 2 atanh(ratio), ratio in [0, 1/3)
    square, series = ratio * ratio, 0.0
    for index in range(29, -1, -1):  # Horner's rule, smallest terms first
        series = series * square + 1 / (2 * index + 1)
    return twos * _LN2_HIGH + (twos * _LN2_LOW + 2 * ratio * series)


def _exponential(power_of_e: float) -> float:
    """e ** power_of_e for -746 < power_of_e ≤ 40, from + − × ÷ only (see _natural_log)."""
    twos = math.floor(power_of_e / (_LN2_HIGH + _LN2_LOW) + 0.5)
    rest = (power_of_e - twos * _LN2_HIGH) - twos * _LN2_LOW
    total = 1.0
    for index in range(29, 0, -1):  # Horner's rule: 1 + r(1 + r/2(1 + r/3(…)))
        total = 1 + rest * total / index
    for _ in range(abs(twos)):
        total = total * 2 if twos > 0 else total / 2
    return total


def power(base: float, exponent: float) -> float:
    """pow(x, y), the same in every engine: a whole exponent by repeated squaring, a fractional
    one through our own ln and exp (good to about 14 digits), kept to 12 significant digits. Results beyond MAX_POWER,
    and undefined ones, are empty."""
    if not (math.isfinite(base) and math.isfinite(exponent)):
        return math.nan
    if exponent == math.floor(exponent):
        result = _whole_power(base, exponent)
    elif base < 0:
        return math.nan
    elif base == 0:
        result = 0.0 if exponent > 0 else math.nan
    else:
        power_of_e = exponent * _natural_log(base)
        if power_of_e > 40:
            return math.nan
        result = 0.0 if power_of_e < -745 else float(f"{_exponential(power_of_e):.12g}")
    if math.isnan(result) or abs(result) > MAX_POWER:
        return math.nan
    return result
