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
    """The body is not JSON, nests deeper than MAX_DEPTH or holds a NUL; the message says which."""


def _check(value: Any, limit: int) -> None:
    """Refuse `value` if it nests lists/objects deeper than `limit` or holds a NUL character in a
    string (PostgreSQL stores none: it would be a 500 at the INSERT); walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise JSONBodyError(_("Dữ liệu gửi lên có ký tự NUL (\\u0000). Hãy bỏ ký tự đó rồi gửi lại."))
            continue
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise _too_deep()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list | str))


def _too_deep() -> JSONBodyError:
    message = _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(n)s tầng). Hãy gửi một cấu trúc phẳng hơn.")
    return JSONBodyError(message % {"n": MAX_DEPTH})


def load_json(raw: bytes | str) -> Any:
    """The parsed body, or JSONBodyError: not JSON, not UTF-8, nested deeper than MAX_DEPTH, or
    with a NUL character in a string."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _too_deep() from None
    except (ValueError, UnicodeDecodeError) as error:
        raise JSONBodyError(_("Dữ liệu gửi lên không phải JSON hợp lệ.")) from error
    _check(value, MAX_DEPTH)
    return value


class BoundedJSONParser(Parser):
    """django-ninja's body parser with the same bound (ninja answers its error with a 400)."""

    def parse_body(self, request):
        return load_json(request.body)
