"""The patterns of regex(answer, pattern) in form rules: matched on the server by RE2, and checked
when a form is saved so that only what every engine reads alike is accepted.

Why RE2: a pattern such as `^(a+)+$` makes a backtracking engine (Python's `re`) take seconds
per extra character of the answer, and anyone holding a collection's link can send one. RE2
matches in time linear in the answer, whatever the pattern.

Why the design-time check: the same rule also runs on the phone — the web form evaluates it with
the browser's JavaScript RegExp (static/surveys/expressions.js) and ODK Collect with Java's
regex. Backreferences, lookaround, atomic groups, possessive repeats, inline flags and named
groups either do not exist in RE2 or mean something else in one of those engines, so a form
using them would accept an answer on the phone that the server refuses (or the reverse).
`pattern_problem` names the construct and says what to write instead; a pattern it refuses
never matches on the server either.

The dialect is otherwise the one the browser emulates: ASCII classes (\\d, \\w, \\s as Python's
re.ASCII reads them: \\s includes the vertical tab, which RE2's does not), "." matches all but a
newline, and the pattern must match the whole answer.
"""

import re
from functools import lru_cache

import re2
from django.utils.translation import gettext as _

MAX_PATTERN_CHARS = 1000  # as long as a whole expression may be
MAX_TEXT_CHARS = 100_000  # an answer longer than any real one never matches
# RE2's memory budget for one compiled pattern (its default is 8 MiB): a pattern that needs more
# is refused rather than allowed to grow.
MAX_PATTERN_MEMORY = 8 << 20

_ASCII_SPACE = "\\t\\n\\x0b\\x0c\\r\\x20"  # Python's \s under re.ASCII
# Escapes that read the same in RE2, JavaScript and Java (a backslash before punctuation is
# always the character itself).
_SHARED_ESCAPES = set("dDwWsSbBtnrfv")
_HEX_ESCAPE = re.compile(r"\\x[0-9A-Fa-f]{2}")  # \xHH; RE2's \x{…} is not JavaScript's


def _options():
    options = re2.Options()
    options.max_mem = MAX_PATTERN_MEMORY
    options.log_errors = False
    return options


@lru_cache(maxsize=512)
def _unshared_construct(pattern: str) -> tuple[str, str] | None:
    """(kind, the letter concerned) of the first construct in `pattern` that one of the engines
    reads differently, or None (cached: a form has few patterns)."""
    in_set = False
    index = 0
    previous = ""  # the last character outside a set, for possessive repeats
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            following = pattern[index + 1 : index + 2]
            if following.isdigit() or following == "k":
                return ("backreference", following)
            if following.isalpha() and following not in _SHARED_ESCAPES and not _HEX_ESCAPE.match(pattern, index):
                return ("escape", following)
            index += 2
            previous = "x"
            continue
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            # A "]" (or "^]") right after the opening bracket is a character of the set.
            index += 1 if pattern[index + 1 : index + 2] == "^" else 0
            index += 1 if pattern[index + 1 : index + 2] == "]" else 0
        elif char == "(" and pattern[index + 1 : index + 2] == "?":
            opening = pattern[index : index + 4]
            if opening.startswith(("(?=", "(?!", "(?<=", "(?<!")):
                return ("lookaround", "")
            if opening.startswith("(?>"):
                return ("atomic", "")
            if not opening.startswith("(?:"):
                return ("group syntax", "")
        elif char == "+" and previous in ("*", "+", "?", "}"):
            return ("possessive", "")
        previous = "" if in_set else char
        index += 1
    return None


def _construct_message(kind: str, letter: str) -> str:
    if kind == "backreference":
        return _(
            "dùng tham chiếu ngược (\\1, \\k<…>), điều máy chủ không kiểm được — hãy viết lại phần cần lặp, "
            "ví dụ ([0-9]{3})-[0-9]{3} thay cho ([0-9]{3})-\\1"
        )
    if kind == "escape":
        return _(
            "dùng ký hiệu \\%(letter)s mà điện thoại và máy chủ hiểu khác nhau — hãy viết chính ký tự đó, "
            "hoặc một lớp ký tự như [0-9], [A-Za-z], \\d, \\w, \\s"
        ) % {"letter": letter}
    if kind == "lookaround":
        return _(
            "dùng phép nhìn trước hay nhìn sau ((?=…), (?!…), (?<=…), (?<!…)) — hãy tách thành nhiều điều "
            "kiện, ví dụ regex(., '[0-9]{6}') and not(regex(., '0+'))"
        )
    if kind == "atomic":
        return _("dùng nhóm nguyên tử (?>…) — hãy dùng nhóm thường (…) hoặc (?:…)")
    if kind == "possessive":
        return _("dùng lượng từ chiếm hữu (*+, ++, ?+, {n}+) — hãy bỏ dấu + thứ hai")
    return _(
        "dùng cú pháp “(?…” (nhóm có tên hay cờ như (?i)) mà điện thoại và máy chủ hiểu khác nhau — hãy chỉ "
        "dùng nhóm (…) hoặc (?:…), và thay (?i) bằng lớp ký tự như [Aa]"
    )


@lru_cache(maxsize=512)
def _compiled(pattern: str):
    """RE2's reading of a pattern, or None when RE2 cannot compile it (cached: a form has few)."""
    translated = _re2_dialect(pattern)
    try:
        return re2.compile(translated, options=_options())
    except re2.error:
        return None


def _re2_dialect(pattern: str) -> str:
    """The pattern with \\s and \\S spelled out as Python's ASCII whitespace (RE2's \\s leaves out
    the vertical tab), in a non-capturing group anchored at both ends."""
    out = []
    in_set = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            following = pattern[index + 1]
            if following == "s":
                out.append(_ASCII_SPACE if in_set else f"[{_ASCII_SPACE}]")
            elif following == "S" and not in_set:
                out.append(f"[^{_ASCII_SPACE}]")
            else:
                out.append(char + following)
            index += 2
            continue
        if in_set:
            if char == "]":
                in_set = False
        elif char == "[":
            in_set = True
            out.append(char)
            if pattern[index + 1 : index + 2] == "^":
                out.append("^")
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                out.append("\\]")
                index += 1
            index += 1
            continue
        out.append(char)
        index += 1
    return "(?:" + "".join(out) + ")"


def pattern_problem(pattern: str) -> str | None:
    """Why a regex() pattern cannot be used in a form (a Vietnamese phrase that says what to write
    instead), or None when the phone and the server read it alike."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return _("dài hơn %(n)s ký tự — hãy rút gọn mẫu") % {"n": MAX_PATTERN_CHARS}
    construct = _unshared_construct(pattern)
    if construct:
        return _construct_message(*construct)
    if _compiled(pattern) is None:
        return _(
            "không đọc được — hãy kiểm tra các dấu ngoặc ( ) [ ] { } và số lần lặp (tối đa {1000}); "
            "muốn tìm chính một ký tự đặc biệt thì đặt \\ trước nó, ví dụ \\. hay \\("
        )
    return None


def full_match(pattern: str, text: str) -> bool:
    """Whether `text` as a whole matches `pattern`, in time linear in the text. A pattern the
    form check refuses, or an answer past MAX_TEXT_CHARS, never matches."""
    if len(text) > MAX_TEXT_CHARS or len(pattern) > MAX_PATTERN_CHARS or _unshared_construct(pattern):
        return False
    compiled = _compiled(pattern)
    return compiled is not None and compiled.fullmatch(text) is not None
