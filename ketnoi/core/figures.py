"""How a figure reads on every page, in the reader's language: one place for numbers and
percentages, so "91%" is written the same way on the dashboard, the survey results, attendance
and the workshop report.

The decimal mark is the language's (4,5 in Vietnamese, 4.5 in English). A percentage follows the
language's `PERCENT_FORMAT` (ketnoi/formats/<lang>/formats.py): both languages write "91%", with
no space, as the Unicode CLDR patterns for vi and en do (#,##0%); a language that spaces it
(French: "91 %") would say so there, not in a template.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import get_format, number_format

DEFAULT_PERCENT_FORMAT = "{}%"


def number_text(value: Any, places: int = 2) -> str:
    """`value` with at most `places` decimals, no trailing zeros and the local decimal mark:
    40, 4,5, 4,25 ("—" for no value)."""
    if value is None:
        return "—"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # never "-0"
    shown = max(0, -rounded.normalize().as_tuple().exponent)
    return number_format(rounded, decimal_pos=shown)


def percent_text(value: Any, places: int = 1) -> str:
    """A percentage as the reader's language writes it: 91%, 37,5% (vi) / 37.5% (en); "—" for
    no value. `value` is already in percent (91, not 0.91)."""
    if value is None:
        return "—"
    pattern = get_format("PERCENT_FORMAT")
    if pattern == "PERCENT_FORMAT":  # a language without a formats module of ours
        pattern = DEFAULT_PERCENT_FORMAT
    return pattern.format(number_text(value, places))
