"""Whole numbers typed by people or sent in a query string, read strictly.

`str.isdigit()` is true for "³", "٣" or "①", which `int()` then refuses (or reads as another
number): a check with it lets such input through to a 500. Every place that reads a number from
input goes through `whole_number`, which takes ASCII digits only and a range the database holds.
"""

import re

# The largest value a 64-bit signed integer column (Django's BigAutoField) holds.
DATABASE_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(value: object, *, low: int = 0, high: int = DATABASE_MAX) -> int | None:
    """The whole number `value` spells in ASCII digits (no sign, no spaces) if it lies in
    [low, high]; None for anything else: empty, another script's digits, too large."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if low <= number <= high else None
