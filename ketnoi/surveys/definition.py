"""A form's definition: the JSON a FormVersion stores, how to check it, and how to check the
answers given to it. The browser (static/surveys/respond.js) applies the same rules; the server
is the judge.

    {"title": {"vi": "…", "en": "…"},
     "questions": [
       {"name": "clarity", "type": "rating", "label": {"vi": "…", "en": "…"}, "hint": {…},
        "required": true, "relevant": "${attended} = 'yes'",
        "constraint": ". >= 2", "constraint_message": {"vi": "…", "en": "…"},
        "scale": {"min": 1, "max": 5, "min_label": {…}, "max_label": {…}}},
       {"name": "topics", "type": "select_multiple", "choices": [{"name": "cso", "label": {…}}],
        "or_other": true, …},
       {"name": "quality", "type": "matrix", "scale": {…},
        "items": [{"name": "content", "label": {…}}, …]},
       {"name": "about_you", "type": "group", "label": {…}, "children": [ …questions… ]}]}

Answers are one flat object: {question or matrix item name: value}. Text, dates (YYYY-MM-DD)
and single choices are strings; integers, decimals and ratings are numbers; a multiple choice is
its choice names joined by spaces ("cso media", as ODK stores it, which lets the database count
each choice without unpacking arrays); "other, please specify" text goes under "<name>_other".
"""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import expressions, patterns

TEXT, LONG_TEXT, INTEGER, DECIMAL, DATE = "text", "long_text", "integer", "decimal", "date"
SELECT_ONE, SELECT_MULTIPLE, RATING, MATRIX, NOTE, GROUP = (
    "select_one",
    "select_multiple",
    "rating",
    "matrix",
    "note",
    "group",
)
TYPES = (TEXT, LONG_TEXT, INTEGER, DECIMAL, DATE, SELECT_ONE, SELECT_MULTIPLE, RATING, MATRIX, NOTE, GROUP)
ANSWERED_TYPES = (TEXT, LONG_TEXT, INTEGER, DECIMAL, DATE, SELECT_ONE, SELECT_MULTIPLE, RATING)
LANGUAGES = ("vi", "en")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
OTHER = "other"
MAX_TEXT = 5000
MAX_QUESTIONS = 500
SCALES = ((1, 5), (1, 10), (0, 10), (1, 7))


def label(value: Any, language: str | None = None) -> str:
    """The text of a {"vi": …, "en": …} label in the current language, falling back to Vietnamese."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    language = (language or get_language() or "vi")[:2]
    return value.get(language) or value.get("vi") or next((v for v in value.values() if v), "")


def walk(questions: list[dict]) -> Iterator[dict]:
    """Every question in order, groups included (before their children)."""
    for question in questions:
        yield question
        if question.get("type") == GROUP:
            yield from walk(question.get("children") or [])


def answer_names(question: dict) -> list[str]:
    """The answer keys a question fills."""
    kind = question["type"]
    if kind == MATRIX:
        return [item["name"] for item in question.get("items") or []]
    if kind in ANSWERED_TYPES:
        names = [question["name"]]
        if question.get("or_other"):
            names.append(f"{question['name']}_{OTHER}")
        return names
    return []


def choice_names(question: dict) -> list[str]:
    names = [c["name"] for c in question.get("choices") or []]
    if question.get("or_other") and OTHER not in names:
        names.append(OTHER)
    return names


# Checking a definition ---------------------------------------------------------------------


def _vietnamese(value: Any) -> str:
    """The Vietnamese text itself, with no fallback: every form must read in Vietnamese."""
    if isinstance(value, str):
        return value.strip()
    return str(value.get("vi") or "").strip() if isinstance(value, dict) else ""


def _check_expression(source: str, where: str, known: set[str], errors: list[str]) -> None:
    if not source:
        return
    try:
        refs = expressions.references(source)
    except expressions.ExpressionError as error:
        errors.append(
            _("%(where)s: biểu thức “%(source)s” không đọc được (%(error)s).")
            % {"where": where, "source": source, "error": error}
        )
        return
    unknown = sorted(refs - known)
    if unknown:
        errors.append(
            _("%(where)s: biểu thức nhắc tới câu hỏi chưa có ở phía trước: %(names)s.")
            % {"where": where, "names": ", ".join(unknown)}
        )
    errors.extend(f"{where}: {problem}" for problem in regex_problems(source))


def regex_problems(source: str) -> list[str]:
    """What is wrong with each regex() pattern written in a readable expression: one the phone
    and the server would read differently, or that the server cannot read (patterns.py)."""
    problems = []
    for pattern in expressions.regex_patterns(source):
        problem = patterns.pattern_problem(pattern)
        if problem:
            problems.append(_("mẫu regex “%(pattern)s” %(problem)s.") % {"pattern": pattern, "problem": problem})
    return problems


def _check_scale(question: dict, where: str, errors: list[str]) -> None:
    scale = question.get("scale") or {}
    low, high = scale.get("min"), scale.get("max")
    if not isinstance(low, int) or not isinstance(high, int) or (low, high) not in SCALES:
        errors.append(_("%(where)s: thang điểm phải là 1–5, 1–7, 1–10 hoặc 0–10.") % {"where": where})


def check_definition(definition: Any) -> dict:
    """Return the definition if a respondent could answer it; otherwise raise a ValidationError
    that lists every problem, naming the question."""
    errors: list[str] = []
    if not isinstance(definition, dict) or not isinstance(definition.get("questions"), list):
        raise ValidationError(_("Định nghĩa biểu mẫu phải có danh sách câu hỏi."))
    if not _vietnamese(definition.get("title")):
        errors.append(_("Hãy đặt tiêu đề tiếng Việt cho biểu mẫu."))
    seen: set[str] = set()
    answered: set[str] = set()
    count = 0
    for question in walk(definition["questions"]):
        count += 1
        name = question.get("name", "") if isinstance(question, dict) else ""
        where = _("Câu “%(name)s”") % {"name": name or "?"}
        kind = question.get("type") if isinstance(question, dict) else None
        if not NAME.match(name or ""):
            errors.append(
                _("%(where)s: tên câu hỏi chỉ gồm chữ không dấu, số và dấu gạch dưới, bắt đầu bằng chữ.")
                % {"where": where}
            )
            continue
        if kind not in TYPES:
            errors.append(_("%(where)s: loại câu hỏi “%(type)s” không được hỗ trợ.") % {"where": where, "type": kind})
            continue
        keys = answer_names(question)
        own = [name, *(keys[1:] if kind in ANSWERED_TYPES else keys)]
        for key in own:
            if key in seen:
                errors.append(_("%(where)s: tên “%(key)s” bị trùng.") % {"where": where, "key": key})
            seen.add(key)
        if kind != GROUP and not _vietnamese(question.get("label")):
            errors.append(_("%(where)s: hãy nhập nội dung câu hỏi bằng tiếng Việt.") % {"where": where})
        _check_expression(question.get("relevant", ""), where, answered, errors)
        _check_expression(question.get("constraint", ""), where, answered, errors)
        if kind in (SELECT_ONE, SELECT_MULTIPLE):
            choices = question.get("choices") or []
            names = [c.get("name", "") for c in choices if isinstance(c, dict)]
            if len(names) < 1 or len(names) != len(choices):
                errors.append(_("%(where)s: hãy thêm ít nhất một lựa chọn.") % {"where": where})
            elif len(set(names)) != len(names) or any(not re.fullmatch(r"[A-Za-z0-9_.\-]+", n) for n in names):
                errors.append(_("%(where)s: mã lựa chọn phải khác nhau và không có dấu cách.") % {"where": where})
        if kind in (RATING, MATRIX):
            _check_scale(question, where, errors)
        if kind == MATRIX and not question.get("items"):
            errors.append(_("%(where)s: bảng đánh giá cần ít nhất một tiêu chí.") % {"where": where})
        answered.update(answer_names(question))
    if count == 0:
        errors.append(_("Biểu mẫu cần ít nhất một câu hỏi."))
    if count > MAX_QUESTIONS:
        errors.append(_("Biểu mẫu có quá %(n)s câu hỏi.") % {"n": MAX_QUESTIONS})
    if errors:
        raise ValidationError(errors)
    return definition


# Checking answers --------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or value == []


def _clean_value(question: dict, key: str, value: Any) -> Any:
    """The stored form of one answer, or raise ValueError with what is wrong."""
    kind = question["type"]
    if key.endswith(f"_{OTHER}") and key != question.get("name"):
        kind = TEXT
    if kind in (TEXT, LONG_TEXT):
        if not isinstance(value, str):
            raise ValueError(_("cần một đoạn chữ"))
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise ValueError(_("dài quá %(n)s ký tự") % {"n": MAX_TEXT})
        return value
    if kind == INTEGER:
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"-?\d{1,15}", value.strip()))
        ):
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                return int(value)
            raise ValueError(_("cần một số nguyên"))
        if abs(int(value)) >= 10**15:  # as long as a typed one; larger ones overflow a float
            raise ValueError(_("cần một số nguyên"))
        return int(value)
    if kind == DECIMAL:
        if isinstance(value, bool):
            raise ValueError(_("cần một số"))
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("cần một số")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise ValueError(_("cần một số"))
        as_float = float(number)
        return int(as_float) if as_float.is_integer() else as_float
    if kind == DATE:
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("cần một ngày dạng YYYY-MM-DD")) from None
    if kind == SELECT_ONE:
        if not isinstance(value, str) or value not in choice_names(question):
            raise ValueError(_("“%(value)s” không phải là một lựa chọn") % {"value": value})
        return value
    if kind == SELECT_MULTIPLE:
        parts = value if isinstance(value, list) else str(value).split()
        parts = [str(p) for p in parts]
        allowed = choice_names(question)
        wrong = [p for p in parts if p not in allowed]
        if wrong:
            raise ValueError(_("“%(value)s” không phải là một lựa chọn") % {"value": " ".join(wrong)})
        ordered = [name for name in allowed if name in parts]  # choice order, no repeats
        return " ".join(ordered)
    if kind in (RATING, MATRIX):
        scale = question.get("scale") or {}
        try:
            number = int(value) if not isinstance(value, bool) and float(value) == int(float(value)) else None
        except (TypeError, ValueError, OverflowError):  # OverflowError: "inf", 1e999
            number = None
        if number is None or not scale.get("min", 1) <= number <= scale.get("max", 5):
            raise ValueError(
                _("cần một điểm từ %(min)s đến %(max)s") % {"min": scale.get("min"), "max": scale.get("max")}
            )
        return number
    raise ValueError(_("câu này không nhận câu trả lời"))


def check_answers(definition: dict, answers: Any, *, today: date | None = None) -> dict:
    """The answers as they are stored: relevant questions only, values normalised. Raise a
    ValidationError {answer key: message} naming the question when something is wrong."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Câu trả lời phải là một đối tượng {tên câu hỏi: giá trị}.")})
    owners: dict[str, dict] = {}
    for question in walk(definition["questions"]):
        for key in answer_names(question):
            owners[key] = question
    unknown = sorted(set(answers) - set(owners))
    if unknown:
        raise ValidationError({key: _("Biểu mẫu không có câu hỏi “%(name)s”.") % {"name": key} for key in unknown})

    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def visit(questions: list[dict], parent_relevant: bool) -> None:
        for question in questions:
            kind = question["type"]
            relevant = parent_relevant and expressions.holds(question.get("relevant", ""), cleaned, today=today)
            if kind == GROUP:
                visit(question.get("children") or [], relevant)
                continue
            if not relevant:
                continue  # answers to questions not shown are dropped, as the browser hides them
            title = label(question.get("label")) or question["name"]
            keys = answer_names(question)
            if kind == MATRIX:
                pairs = [(key, question) for key in keys]
            else:
                pairs = [(question["name"], question)] if keys else []
            for key, owner in pairs:
                value = answers.get(key)
                if _is_blank(value):
                    if question.get("required"):
                        errors[key] = _("“%(title)s”: câu này bắt buộc.") % {"title": title}
                    continue
                try:
                    cleaned[key] = _clean_value(owner, key, value)
                except ValueError as problem:
                    errors[key] = _("“%(title)s”: %(problem)s.") % {"title": title, "problem": problem}
                    continue
                if question.get("constraint") and not expressions.holds(
                    question["constraint"], cleaned, current=cleaned[key], today=today
                ):
                    message = label(question.get("constraint_message")) or _("giá trị không hợp lệ")
                    errors[key] = _("“%(title)s”: %(message)s") % {"title": title, "message": message}
                    cleaned.pop(key)
            other_key = f"{question['name']}_{OTHER}"
            if question.get("or_other") and kind in (SELECT_ONE, SELECT_MULTIPLE):
                chose_other = OTHER in str(cleaned.get(question["name"], "")).split()
                other = answers.get(other_key)
                if chose_other and _is_blank(other):
                    errors[other_key] = _("“%(title)s”: hãy ghi rõ lựa chọn khác.") % {"title": title}
                elif chose_other:
                    try:
                        cleaned[other_key] = _clean_value(question, other_key, other)
                    except ValueError as problem:
                        errors[other_key] = _("“%(title)s”: %(problem)s.") % {"title": title, "problem": problem}

    visit(definition["questions"], True)
    if errors:
        raise ValidationError(errors)
    return cleaned
