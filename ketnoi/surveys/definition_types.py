"""The vocabulary of a form's definition (see definition.py for the format): question types,
limits, labels in any language, and walking the questions. Nothing here checks anything; the
checks live in definition.py (the definition) and definition_answers.py (the answers)."""

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import get_language, gettext_lazy

TEXT, LONG_TEXT, INTEGER, DECIMAL, DATE = "text", "long_text", "integer", "decimal", "date"
SELECT_ONE, SELECT_MULTIPLE, RATING, MATRIX, NOTE, GROUP = (
    "select_one",
    "select_multiple",
    "rating",
    "matrix",
    "note",
    "group",
)
TIME, DATETIME, RANGE, RANK, ACKNOWLEDGE, TRIGGER = "time", "datetime", "range", "rank", "acknowledge", "trigger"
HIDDEN, CALCULATE, GEOPOINT, IMAGE, AUDIO, FILE, REPEAT = (
    "hidden",
    "calculate",
    "geopoint",
    "image",
    "audio",
    "file",
    "repeat",
)
MEDIA_TYPES = (IMAGE, AUDIO, FILE)
SELECT_TYPES = (SELECT_ONE, SELECT_MULTIPLE, RANK)
# Questions whose value is never typed by the respondent: computed, or fixed by the author.
UNSHOWN_TYPES = (HIDDEN, CALCULATE)
# Every type that holds one value under its own name (a matrix holds one per item, a repeat a
# list of rows, a note or a group nothing).
ANSWERED_TYPES = (
    TEXT,
    LONG_TEXT,
    INTEGER,
    DECIMAL,
    DATE,
    SELECT_ONE,
    SELECT_MULTIPLE,
    RATING,
    TIME,
    DATETIME,
    RANGE,
    RANK,
    ACKNOWLEDGE,
    TRIGGER,
    HIDDEN,
    CALCULATE,
    GEOPOINT,
    IMAGE,
    AUDIO,
    FILE,
)
TYPES = (*ANSWERED_TYPES, MATRIX, NOTE, GROUP, REPEAT)
CONTAINERS = (GROUP, REPEAT)
# What each type is called on the results, exports and editor pages.
KIND_LABELS = {
    TEXT: gettext_lazy("Trả lời ngắn"),
    LONG_TEXT: gettext_lazy("Trả lời dài"),
    INTEGER: gettext_lazy("Số nguyên"),
    DECIMAL: gettext_lazy("Số"),
    DATE: gettext_lazy("Ngày"),
    SELECT_ONE: gettext_lazy("Chọn một"),
    SELECT_MULTIPLE: gettext_lazy("Chọn nhiều"),
    RATING: gettext_lazy("Thang điểm"),
    MATRIX: gettext_lazy("Bảng đánh giá"),
    TIME: gettext_lazy("Giờ"),
    DATETIME: gettext_lazy("Ngày giờ"),
    RANGE: gettext_lazy("Thanh trượt"),
    RANK: gettext_lazy("Xếp hạng"),
    ACKNOWLEDGE: gettext_lazy("Xác nhận"),
    TRIGGER: gettext_lazy("Nút bấm"),
    HIDDEN: gettext_lazy("Giá trị ẩn"),
    CALCULATE: gettext_lazy("Giá trị tính toán"),
    GEOPOINT: gettext_lazy("Vị trí"),
    IMAGE: gettext_lazy("Ảnh"),
    AUDIO: gettext_lazy("Ghi âm"),
    FILE: gettext_lazy("Tệp"),
    REPEAT: gettext_lazy("Nhóm lặp lại"),
}
LANGUAGES = ("vi", "en")
LANGUAGE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# XLSForm also allows "-" and "." in names; "." stays out: it separates the parts of an answer's path
# (member[1].m_age) in errors and on the phone. "__proto__" is refused: the browser keeps answers
# in plain objects, where that key sets the object's prototype instead of holding the answer.
NAME = re.compile(r"^(?!__proto__$)[A-Za-z_][A-Za-z0-9_-]{0,63}$")
CHOICE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")
MEDIA_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# A form's attached file as XLSForm authors name it ("ảnh nhà.png", "logo (1).png"), never a path
# or a hidden file (services/form_attachments.py stores them under the same rule).
ATTACHMENT_NAME = re.compile(r"^(?![.])[^/\\\x00-\x1f\x7f]{1,255}$")
OTHER = "other"
OK = "OK"
MAX_TEXT = 5000
MAX_QUESTIONS = 2000  # field XLSForms of several hundred rows are common
MAX_CHOICES = 20_000  # one list (a commune list read from a CSV is ~10,000)
MAX_ALL_CHOICES = 100_000
MAX_NESTING = 16  # groups and repeats inside one another
MAX_REPEAT_ROWS = 500
MAX_ANSWER_VALUES = 20_000  # leaf values and rows of one response, all repeats included
MAX_CLIENT_VALUE = 255  # a client-computed now()/uuid()/random()/once() value kept as sent
SCALES = ((1, 5), (1, 10), (0, 10), (1, 7))
RANGE_DEFAULTS = {"start": 1, "end": 10, "step": 1}
MAX_RANGE = 1e9
MAX_RANGE_STEPS = 1_000_000
LABEL_KEYS = ("label", "hint", "guidance_hint", "constraint_message", "required_message")


def label(value: Any, language: str | None = None, default_language: str | None = None) -> str:
    """The text of a {language code: text} label: the asked language (the current one when not
    given), then the form's default language, then Vietnamese, then the first non-empty text."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    asked = language or get_language() or "vi"
    for code in (asked, asked.split("-")[0][:2], default_language, "vi"):
        text = value.get(code) if code else None
        if isinstance(text, str) and text:
            return text
    return next((v for v in value.values() if isinstance(v, str) and v), "")


def default_language(definition: dict) -> str:
    """The language every label must have: Vietnamese when the form has any, otherwise the
    form's settings.default_language, the first of its languages, or its title's first."""
    if _has_vietnamese(definition):
        return "vi"
    settings = definition.get("settings")
    if isinstance(settings, dict) and isinstance(settings.get("default_language"), str):
        return settings["default_language"]
    languages = definition.get("languages")
    if isinstance(languages, list) and languages and isinstance(languages[0], str):
        return languages[0]
    title = definition.get("title")
    if isinstance(title, dict):
        return next((code for code, text in title.items() if isinstance(text, str) and text.strip()), "vi")
    return "vi"


def _has_vietnamese(definition: dict) -> bool:
    # The languages a form lists are its own word (an imported form always has a Vietnamese
    # title, which the platform's pages show, even when its questions are only in English).
    languages = definition.get("languages")
    if isinstance(languages, list) and languages:
        return "vi" in languages
    for question in walk(definition.get("questions") or []):
        text = question.get("label") if isinstance(question, dict) else None
        if isinstance(text, str) or (isinstance(text, dict) and text.get("vi")):
            return True
    title = definition.get("title")
    return isinstance(title, str) or (isinstance(title, dict) and bool(title.get("vi")))


def walk(questions: list[dict], *, into_repeats: bool = True) -> Iterator[dict]:
    """Every question in order, groups and repeats included (before their children). With
    into_repeats=False, a repeat's children are left out (they are answered in its rows)."""
    for question, _path in walk_with_path(questions, into_repeats=into_repeats):
        yield question


def walk_with_path(
    questions: list[dict], path: tuple[str, ...] = (), *, into_repeats: bool = True
) -> Iterator[tuple[dict, tuple[str, ...]]]:
    """(question, names of the repeats it sits in, outermost first) for every question in
    order; a repeat's own path is that of the level it sits at, its children's path ends with
    its name."""
    stack: list[tuple[Iterator[Any], tuple[str, ...]]] = [(iter(questions), path)]
    while stack:
        question = next(stack[-1][0], None)
        if question is None:
            stack.pop()
            continue
        level = stack[-1][1]
        yield question, level
        if not isinstance(question, dict) or len(stack) > MAX_NESTING + 1:
            continue
        children = question.get("children")
        if not isinstance(children, list):
            continue
        if question.get("type") == GROUP:
            stack.append((iter(children), level))
        elif question.get("type") == REPEAT and into_repeats:
            stack.append((iter(children), (*level, question.get("name", ""))))


def repeats(definition: dict) -> list[tuple[dict, dict | None]]:
    """Every repeat of the form with the repeat it sits in (None at the top level)."""
    found: list[tuple[dict, dict | None]] = []
    by_name: dict[str, dict] = {}
    for question, path in walk_with_path(definition.get("questions") or []):
        if isinstance(question, dict) and question.get("type") == REPEAT:
            by_name[question.get("name", "")] = question
            found.append((question, by_name.get(path[-1]) if path else None))
    return found


def answer_names(question: dict) -> list[str]:
    """The answer keys a question fills at its level: a matrix one per item, a select with
    "other" also <name>_other, a repeat its own name only (its children are inside rows)."""
    kind = question["type"]
    if kind == MATRIX:
        return [item["name"] for item in question.get("items") or []]
    if kind == REPEAT:
        return [question["name"]]
    if kind in ANSWERED_TYPES:
        names = [question["name"]]
        if question.get("or_other") and kind in SELECT_TYPES:
            names.append(f"{question['name']}_{OTHER}")
        return names
    return []


def choice_names(question: dict) -> list[str]:
    names = [c["name"] for c in question.get("choices") or []]
    if question.get("or_other") and OTHER not in names:
        names.append(OTHER)
    return names


def media_names(definition: dict, answers: dict) -> list[str]:
    """Every media file name in (checked) answers, in form order, rows included."""
    names: list[str] = []

    def visit(questions: list[dict], row: dict) -> None:
        for question, _path in walk_with_path(questions, into_repeats=False):
            value = row.get(question.get("name"))
            if question.get("type") in MEDIA_TYPES and isinstance(value, str) and value:
                names.append(value)
            elif question.get("type") == REPEAT and isinstance(value, list):
                for child_row in value:
                    if isinstance(child_row, dict):
                        visit(question.get("children") or [], child_row)

    visit(definition.get("questions") or [], answers if isinstance(answers, dict) else {})
    return names
