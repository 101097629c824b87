"""A form's definition: the JSON a FormVersion stores and how to check it. The format is the
contract of issue 15 (forms-spec §1–§2, XLSForm's own type names); in short:

    {"title": {"vi": "…", "en": "…"}, "languages": ["vi", "en"], "settings": {…},
     "attachments": ["communes.csv"],
     "questions": [
       {"name": "clarity", "type": "rating", "label": {"vi": "…", "en": "…"}, "hint": {…},
        "required": true, "relevant": "${attended} = 'yes'",
        "constraint": ". >= 2", "constraint_message": {"vi": "…", "en": "…"},
        "scale": {"min": 1, "max": 5, "min_label": {…}, "max_label": {…}}},
       {"name": "topics", "type": "select_multiple", "choices": [{"name": "cso", "label": {…},
        "data": {"region": "north"}}], "or_other": true, "choice_filter": "region = ${r}", …},
       {"name": "quality", "type": "matrix", "scale": {…},
        "items": [{"name": "content", "label": {…}}, …]},
       {"name": "about_you", "type": "group", "label": {…}, "children": [ …questions… ]},
       {"name": "member", "type": "repeat", "repeat_count": "${n}", "children": [ … ]},
       {"name": "total", "type": "calculate", "calculation": "${a} + ${b}"}]}

Types: text, long_text, integer, decimal, date, time, datetime, select_one, select_multiple,
rank, rating, matrix, range, acknowledge, trigger, geopoint, image, audio, file, hidden,
calculate, note, group, repeat. Names are unique across the whole form, repeats included.

Answers are one object {answer key: value}; groups are transparent, a repeat's key holds a list
of row objects with the same rules inside. Text, dates and single choices are strings; integers,
decimals and ratings numbers; a multiple choice its choice names joined by spaces ("cso media",
as ODK stores it); "other, please specify" text goes under "<name>_other".

The module is split by concern; every name below stays importable from here:
- definition_types: the vocabulary (types, limits), label(), walk(), walk_with_path(),
  repeats(), answer_names(), choice_names(), media_names();
- definition_values: one answer in its stored form, a calculation's result as stored;
- definition_answers: check_answers() (static/surveys/answers.js decides the same in the
  browser; the server is the judge);
- definition_expr: the expression API of forms-spec §5 as the definition uses it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import definition_expr, expressions, patterns
from .definition_answers import check_answers as check_answers
from .definition_answers import instance_name as instance_name
from .definition_types import *  # noqa: F403 (the vocabulary is part of this module's interface)
from .definition_types import (
    ATTACHMENT_NAME,
    CALCULATE,
    CHOICE_NAME,
    CONTAINERS,
    GROUP,
    HIDDEN,
    LABEL_KEYS,
    LANGUAGE_CODE,
    MATRIX,
    MAX_ALL_CHOICES,
    MAX_CHOICES,
    MAX_NESTING,
    MAX_QUESTIONS,
    MAX_RANGE,
    MAX_RANGE_STEPS,
    MAX_REPEAT_ROWS,
    MAX_TEXT,
    NAME,
    RANGE,
    RANGE_DEFAULTS,
    RATING,
    REPEAT,
    SCALES,
    SELECT_TYPES,
    TYPES,
    answer_names,
    default_language,
)

MAX_LABEL = 10_000
NO_LABEL_TYPES = (GROUP, REPEAT, HIDDEN, CALCULATE)


def regex_problems(source: str) -> list[str]:
    """What is wrong with each regex() pattern written in a readable expression: one the phone
    and the server would read differently, or that the server cannot read (patterns.py)."""
    problems = []
    for pattern in expressions.regex_patterns(source):
        problem = patterns.pattern_problem(pattern)
        if problem:
            problems.append(_("mẫu regex “%(pattern)s” %(problem)s.") % {"pattern": pattern, "problem": problem})
    return problems


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= MAX_RANGE


class _Check:
    """One pass over a definition collecting every problem; expressions are checked at the end,
    once every name of the form is known (XLSForm allows references to later questions)."""

    def __init__(self, definition: dict):
        self.definition = definition
        self.language = default_language(definition)
        self.errors: list[str] = []
        self.names: set[str] = set()
        self.calculations: dict[str, str] = {}
        self.rules: list[tuple[str, str]] = []  # (where, expression)
        self.filters: list[tuple[str, str, set[str]]] = []  # (where, choice_filter, columns)
        self.count = 0
        self.choices = 0

    def fail(self, where: str, message: str, **values: Any) -> None:
        self.errors.append(_("%(where)s: %(problem)s") % {"where": where, "problem": message % values})

    def text_in_language(self, value: Any) -> str:
        if isinstance(value, str):
            return value.strip()
        text = value.get(self.language) if isinstance(value, dict) else None
        return text.strip() if isinstance(text, str) else ""

    def language_problem(self) -> str:
        if self.language == "vi":
            return _("hãy nhập nội dung câu hỏi bằng tiếng Việt.")
        return _("hãy nhập nội dung câu hỏi bằng ngôn ngữ “%(language)s” (ngôn ngữ chính của biểu mẫu).") % {
            "language": self.language
        }

    def label_like(self, value: Any, where: str, key: str) -> None:
        if value is None or isinstance(value, str) and len(value) <= MAX_LABEL:
            return
        if isinstance(value, dict) and all(
            isinstance(code, str) and LANGUAGE_CODE.match(code) and isinstance(text, str) and len(text) <= MAX_LABEL
            for code, text in value.items()
        ):
            return
        self.fail(where, _("“%(key)s” phải là {mã ngôn ngữ: chữ}, mỗi chữ tối đa %(n)s ký tự."), key=key, n=MAX_LABEL)

    def reserve(self, name: str, where: str) -> None:
        if name in self.names:
            self.fail(where, _("tên “%(key)s” bị trùng."), key=name)
        self.names.add(name)

    def expression(self, question: dict, key: str, where: str) -> None:
        source = question.get(key)
        if source is None or source == "":
            return
        if not isinstance(source, str):
            self.fail(where, _("“%(key)s” phải là một biểu thức (chữ)."), key=key)
            return
        self.rules.append((where, source))

    # The form --------------------------------------------------------------------------------

    def run(self) -> None:
        definition = self.definition
        title = definition.get("title")
        self.label_like(title, _("Tiêu đề"), "title")
        if not self.text_in_language(title):
            if self.language == "vi":
                self.errors.append(_("Hãy đặt tiêu đề tiếng Việt cho biểu mẫu."))
            else:
                self.errors.append(
                    _("Hãy đặt tiêu đề cho biểu mẫu bằng ngôn ngữ “%(language)s”.") % {"language": self.language}
                )
        self.top_level()
        self.questions(definition["questions"], 1)
        if self.count == 0:
            self.errors.append(_("Biểu mẫu cần ít nhất một câu hỏi."))
        if self.count > MAX_QUESTIONS:
            self.errors.append(_("Biểu mẫu có quá %(n)s câu hỏi.") % {"n": MAX_QUESTIONS})
            return
        known = self.names
        for where, source in self.rules:
            self.check_rule(where, source, known)
        for where, source, columns in self.filters:
            self.check_filter(where, source, columns, known)
        self.check_cycles()

    def top_level(self) -> None:
        definition, where = self.definition, _("Biểu mẫu")
        languages = definition.get("languages")
        if languages is not None and not (
            isinstance(languages, list)
            and len(languages) <= 50
            and all(isinstance(c, str) and LANGUAGE_CODE.match(c) for c in languages)
        ):
            self.fail(where, _("“languages” phải là danh sách mã ngôn ngữ."))
        self.label_like(definition.get("language_names"), where, "language_names")
        settings = definition.get("settings")
        if settings is not None and not isinstance(settings, dict):
            self.fail(where, _("“settings” phải là một đối tượng."))
            settings = {}
        for key in ("version", "form_id", "default_language"):
            value = (settings or {}).get(key)
            if value is not None and not (isinstance(value, str) and len(value) <= 255):
                self.fail(where, _("“%(key)s” phải là chữ."), key=f"settings.{key}")
        code = (settings or {}).get("default_language")
        if isinstance(code, str) and not LANGUAGE_CODE.match(code):
            self.fail(where, _("“%(key)s” phải là mã ngôn ngữ."), key="settings.default_language")
        self.expression(settings or {}, "instance_name", where)
        attachments = definition.get("attachments")
        if attachments is not None and not (
            isinstance(attachments, list)
            and len(attachments) <= 1000
            and all(isinstance(n, str) and ATTACHMENT_NAME.match(n) for n in attachments)
            and len(set(attachments)) == len(attachments)
        ):
            self.fail(
                where,
                _("“attachments” phải là danh sách tên tệp khác nhau (không có thư mục, không bắt đầu bằng dấu chấm)."),
            )

    def questions(self, questions: Any, depth: int) -> None:
        if not isinstance(questions, list):
            self.errors.append(_("Danh sách câu hỏi phải là một mảng."))
            return
        for question in questions:
            if self.count > MAX_QUESTIONS:
                return
            self.count += 1
            self.question(question, depth)

    def question(self, question: Any, depth: int) -> None:
        if not isinstance(question, dict):
            self.errors.append(_("Mỗi câu hỏi phải là một đối tượng {name, type, …}."))
            return
        name = question.get("name")
        where = _("Câu “%(name)s”") % {"name": name if isinstance(name, str) and name else "?"}
        if not isinstance(name, str) or not NAME.match(name):
            self.fail(where, _("tên câu hỏi chỉ gồm chữ không dấu, số, dấu gạch dưới và gạch ngang, bắt đầu bằng chữ."))
            return
        kind = question.get("type")
        if not isinstance(kind, str) or kind not in TYPES:
            self.fail(where, _("loại câu hỏi “%(type)s” không được hỗ trợ."), type=str(kind)[:50])
            return
        if kind == MATRIX and not self.matrix_items(question, where):
            return
        self.reserve(name, where)
        for key in answer_names(question)[1:] if kind != MATRIX else answer_names(question):
            self.reserve(key, where)
        for key in LABEL_KEYS:
            self.label_like(question.get(key), where, key)
        self.media(question.get("media"), where)
        has_media = isinstance(question.get("media"), dict) and bool(question["media"])
        if kind not in NO_LABEL_TYPES and not self.text_in_language(question.get("label")) and not has_media:
            self.errors.append(_("%(where)s: %(problem)s") % {"where": where, "problem": self.language_problem()})
        for key in ("required", "read_only", "or_other"):
            if key in question and not isinstance(question[key], bool):
                self.fail(where, _("“%(key)s” phải là true hoặc false."), key=key)
        for key in ("appearance", "from_file"):
            if key in question and not (isinstance(question[key], str) and len(question[key]) <= 255):
                self.fail(where, _("“%(key)s” phải là chữ."), key=key)
        default = question.get("default")
        if default is not None and not (
            (isinstance(default, str) and len(default) <= MAX_TEXT)
            or (isinstance(default, (int, float)) and not isinstance(default, bool) and abs(default) < 1e15)
        ):
            self.fail(where, _("“%(key)s” phải là chữ."), key="default")
        for key in ("relevant", "constraint", "calculation"):
            self.expression(question, key, where)
        if kind == CALCULATE and not (isinstance(question.get("calculation"), str) and question["calculation"].strip()):
            self.fail(where, _("câu tính toán cần một phép tính (calculation)."))
        if isinstance(question.get("calculation"), str) and question["calculation"].strip():
            self.calculations[name] = question["calculation"]
        if kind in SELECT_TYPES:
            self.choice_list(question, where)
        if kind in (RATING, MATRIX):
            scale = question.get("scale") or {}
            low, high = (scale.get("min"), scale.get("max")) if isinstance(scale, dict) else (None, None)
            if (
                not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
                or (low, high) not in SCALES
            ):
                self.fail(where, _("thang điểm phải là 1–5, 1–7, 1–10 hoặc 0–10."))
        if kind == RANGE:
            self.range_parameters(question.get("parameters"), where)
        if kind == REPEAT:
            self.repeat_count(question, where)
        if kind in CONTAINERS:
            children = question.get("children")
            if not isinstance(children, list) or (kind == REPEAT and not children):
                self.fail(where, _("nhóm hoặc phần lặp lại cần một danh sách câu hỏi con."))
            elif depth >= MAX_NESTING:
                self.fail(where, _("các nhóm lồng nhau quá %(n)s tầng."), n=MAX_NESTING)
            else:
                self.questions(children, depth + 1)

    def matrix_items(self, question: dict, where: str) -> bool:
        items = question.get("items")
        if not isinstance(items, list) or not items:
            self.fail(where, _("bảng đánh giá cần ít nhất một tiêu chí."))
            return False
        if len(items) > MAX_CHOICES or not all(
            isinstance(i, dict) and isinstance(i.get("name"), str) and NAME.match(i["name"]) for i in items
        ):
            self.fail(where, _("mỗi tiêu chí cần một tên chỉ gồm chữ không dấu, số và dấu gạch dưới."))
            return False
        for item in items:
            self.label_like(item.get("label"), where, "label")
        return True

    def media(self, media: Any, where: str) -> None:
        if media is None:
            return
        if not isinstance(media, dict) or len(media) > 10:
            self.fail(where, _("“media” phải là {loại: {mã ngôn ngữ: tên tệp}}."))
            return
        for value in media.values():
            self.label_like(value, where, "media")
            names = value.values() if isinstance(value, dict) else [value]
            if any(isinstance(n, str) and n and not ATTACHMENT_NAME.match(n) for n in names):
                self.fail(where, _("“media” chỉ ghi tên tệp đính kèm, không có thư mục (như “anh.png”)."))
                return

    def choice_list(self, question: dict, where: str) -> None:
        choices = question.get("choices")
        if not isinstance(choices, list) or not choices or not all(isinstance(c, dict) for c in choices):
            self.fail(where, _("hãy thêm ít nhất một lựa chọn."))
            return
        self.choices += len(choices)
        if len(choices) > MAX_CHOICES or self.choices > MAX_ALL_CHOICES:
            self.fail(where, _("danh sách có quá nhiều lựa chọn (tối đa %(n)s)."), n=MAX_CHOICES)
            return
        names = [c.get("name") for c in choices]
        if any(not isinstance(n, str) or not CHOICE_NAME.match(n) for n in names) or len(set(names)) != len(names):
            self.fail(where, _("mã lựa chọn phải khác nhau và không có dấu cách."))
        columns = {"name", "label"}
        before = len(self.errors)
        for choice in choices:
            self.label_like(choice.get("label"), where, "label")
            self.media(choice.get("media"), where)
            data = choice.get("data")
            if data is not None:
                if not isinstance(data, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_LABEL for k, v in data.items()
                ):
                    self.fail(where, _("“data” của lựa chọn phải là {cột: chữ}."))
                else:
                    columns.update(data)
            if len(self.errors) > before:
                break  # one problem per list says enough (a crafted list may hold thousands)
        source = question.get("choice_filter")
        if source not in (None, ""):
            if isinstance(source, str):
                self.filters.append((where, source, columns))
            else:
                self.fail(where, _("“%(key)s” phải là một biểu thức (chữ)."), key="choice_filter")

    def range_parameters(self, parameters: Any, where: str) -> None:
        if parameters is None:
            parameters = {}
        if not isinstance(parameters, dict):
            self.fail(where, _("tham số của thang trượt phải là {start, end, step}."))
            return
        start, end, step = (parameters.get(key, RANGE_DEFAULTS[key]) for key in ("start", "end", "step"))
        if not all(_number(v) and v == v for v in (start, end, step)):
            self.fail(where, _("start, end và step của thang trượt phải là số trong khoảng ±10⁹."))
        elif step <= 0 or abs(end - start) / step > MAX_RANGE_STEPS:
            self.fail(where, _("step của thang trượt phải lớn hơn 0 và không quá %(n)s nấc."), n=MAX_RANGE_STEPS)

    def repeat_count(self, question: dict, where: str) -> None:
        count = question.get("repeat_count")
        if isinstance(count, bool) or (isinstance(count, (int, float)) and not 0 <= count <= MAX_REPEAT_ROWS):
            self.fail(where, _("số lần lặp phải từ 0 đến %(n)s hoặc là một biểu thức."), n=MAX_REPEAT_ROWS)
        elif isinstance(count, str) or count is None:
            self.expression(question, "repeat_count", where)
        elif not isinstance(count, (int, float)) or count != int(count):
            self.fail(where, _("số lần lặp phải từ 0 đến %(n)s hoặc là một biểu thức."), n=MAX_REPEAT_ROWS)

    # Expressions -------------------------------------------------------------------------------

    def readable(self, where: str, source: str) -> set[str] | None:
        try:
            refs = definition_expr.references(source)
        except expressions.ExpressionError as error:
            self.errors.append(
                _("%(where)s: biểu thức “%(source)s” không đọc được (%(error)s).")
                % {"where": where, "source": source[:200], "error": error}
            )
            return None
        return refs

    def check_rule(self, where: str, source: str, known: set[str]) -> None:
        refs = self.readable(where, source)
        if refs is None:
            return
        unknown = sorted(refs - known)
        if unknown:
            self.fail(
                where, _("biểu thức nhắc tới câu hỏi không có trong biểu mẫu: %(names)s."), names=", ".join(unknown)
            )
        bare = sorted(definition_expr.choice_columns(source))
        if bare:  # bare names are choice columns, only meaningful in a choice_filter
            self.fail(
                where, _("hãy viết ${tên} để nhắc tới câu hỏi, không viết tên trần: %(names)s."), names=", ".join(bare)
            )
            return
        self.errors.extend(f"{where}: {problem}" for problem in regex_problems(source))

    def check_filter(self, where: str, source: str, columns: set[str], known: set[str]) -> None:
        refs = self.readable(where, source)
        if refs is None:
            return
        unknown = sorted(refs - known)
        if unknown:
            self.fail(
                where, _("biểu thức nhắc tới câu hỏi không có trong biểu mẫu: %(names)s."), names=", ".join(unknown)
            )
        missing = sorted(definition_expr.choice_columns(source) - columns)
        if missing:
            self.fail(
                where, _("bộ lọc lựa chọn dùng cột không có trong danh sách: %(names)s."), names=", ".join(missing)
            )

    def check_cycles(self) -> None:
        """A calculation may not use itself, directly or through other calculations."""
        graph: dict[str, list[str]] = {}
        for name, source in self.calculations.items():
            try:
                graph[name] = sorted(definition_expr.references(source) & set(self.calculations))
            except expressions.ExpressionError:
                graph[name] = []
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for start in graph:
            if state.get(start):
                continue
            path, stack = [start], [iter(graph[start])]
            state[start] = 1
            while stack:
                following = next(stack[-1], None)
                if following is None:
                    state[path.pop()] = 2
                    stack.pop()
                elif state.get(following) == 1:
                    cycle = [*path[path.index(following) :], following]
                    where = _("Câu “%(name)s”") % {"name": following}
                    self.fail(where, _("phép tính dùng chính nó (vòng: %(cycle)s)."), cycle=" → ".join(cycle))
                elif not state.get(following):
                    state[following] = 1
                    path.append(following)
                    stack.append(iter(graph[following]))


def check_definition(definition: Any) -> dict:
    """Return the definition if a respondent could answer it; otherwise raise a ValidationError
    that lists every problem, naming the question."""
    if not isinstance(definition, dict) or not isinstance(definition.get("questions"), list):
        raise ValidationError(_("Định nghĩa biểu mẫu phải có danh sách câu hỏi."))
    check = _Check(definition)
    check.run()
    if check.errors:
        raise ValidationError(check.errors)
    return definition
