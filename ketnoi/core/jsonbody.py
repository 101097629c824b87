"""JSON request bodies read with a bound on their nesting, written once for every endpoint.

`json.loads` of a body nested 100,000 deep raises RecursionError (not a ValueError, so the
usual `except ValueError` lets it through to a 500), and a body a few hundred levels deep parses
but can exhaust the stack later, when it is validated, stored in a JSONField or dumped again.
No form, survey answer or API body of the platform nests deeper than a handful of levels.
"""

import json
from typing import Any

from django.utils.translation import gettext as _
from ninja.parser import Parser

MAX_DEPTH = 32


class JSONBodyError(ValueError):
    """The body is not JSON, or nests deeper than MAX_DEPTH (`too_deep`); the message says which."""

    def __init__(self, message: str, *, too_deep: bool = False):
        super().__init__(message)
        self.too_deep = too_deep


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether `value` nests lists/objects deeper than `limit`, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _too_deep() -> JSONBodyError:
    message = _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(n)s tầng). Hãy gửi một cấu trúc phẳng hơn.")
    return JSONBodyError(message % {"n": MAX_DEPTH}, too_deep=True)


def load_json(raw: bytes | str) -> Any:
    """The parsed body, or JSONBodyError: not JSON, not UTF-8, or nested deeper than MAX_DEPTH."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _too_deep() from None
    except (ValueError, UnicodeDecodeError) as error:
        raise JSONBodyError(_("Dữ liệu gửi lên không phải JSON hợp lệ.")) from error
    if _depth_exceeds(value, MAX_DEPTH):
        raise _too_deep()
    return value


class BoundedJSONParser(Parser):
    """django-ninja's body parser with the same bound (ninja answers its error with a 400)."""

    def parse_body(self, request):
        return load_json(request.body)
