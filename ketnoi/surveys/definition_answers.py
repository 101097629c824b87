"""Checking the answers given to a form (forms-spec §2): which questions apply, each value in its
stored form (definition_values.py), required / constraint / choice_filter / repeat_count rules,
calculations recomputed. static/surveys/answers.js decides the same in the browser, step for
step; keep them in step (tests/answer_cases.json runs on both).

Values are worked out lazily and remembered per (answer key, repeat row), so a rule may use a
question anywhere in the form, before or after it, as XLSForm allows:
- value(key, row): "" when the question does not apply; its calculation's result; for a
  read-only or hidden question its default; otherwise the respondent's value in stored form.
- relevant(name, row): its container applies and its own `relevant` holds.
A rule that (through other rules) needs its own value finds "" there, and a chain of rules
deeper than MAX_CHAIN stops with "" too, so no submission makes the server loop.
Inside a repeat row `${x}` is x in the same row, then in the enclosing rows, then at the top;
from outside a repeat, a question inside it is the list of its values in every row (a nodeset).
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import definition_expr, expressions
from .definition_types import (
    CALCULATE,
    GROUP,
    HIDDEN,
    MATRIX,
    MAX_ANSWER_VALUES,
    MAX_CLIENT_VALUE,
    MAX_REPEAT_ROWS,
    MEDIA_TYPES,
    NOTE,
    OTHER,
    RANK,
    REPEAT,
    SELECT_TYPES,
    answer_names,
    choice_names,
    default_language,
    label,
)
from .definition_values import clean_value, computed_value, is_blank, storable

MAX_CHAIN = 40  # rules needing rules needing rules…: far beyond any real form
MAX_ERRORS = 200  # of one kind reported at once: enough to fix a crafted submission
# The work one submission may cost: each rule evaluated counts EVALUATION_COST, each value of a
# nodeset read (sum(${x}) over a repeat's rows) counts 1. A form whose rules sum a 500-row repeat
# from every row of another took minutes per submission; this budget stops such a check after
# about a second (the largest legitimate submission, 20,000 answers each with a relevance and a
# constraint, costs 450,000).
EVALUATION_COST = 10
NODESET_VALUES_PER_UNIT = 4
MAX_WORK = 600_000
Row = tuple[int, ...]  # the row's index in each enclosing repeat, outermost first


class TooMuchWork(Exception):
    """The submission's rules cost more than MAX_WORK to check."""


class _Form:
    """Where each name sits: its question, its container and the repeats around it."""

    def __init__(self, questions: list[dict]):
        self.question: dict[str, dict] = {}  # answer key -> question owning it
        self.parent: dict[str, dict | None] = {}  # question name -> group/repeat around it
        self.path: dict[str, tuple[str, ...]] = {}  # answer key -> repeats its values sit in
        self.level_keys: dict[tuple[str, ...], set[str]] = {(): set()}
        self._add(questions, None, ())

    def _add(self, questions: list[dict], parent: dict | None, path: tuple[str, ...]) -> None:
        for question in questions:
            name = question["name"]
            self.parent[name] = parent
            for key in {name, *answer_names(question)}:
                self.question[key] = question
                self.path[key] = (*path, name) if question["type"] == REPEAT else path
            self.level_keys[path].update(answer_names(question))
            if question["type"] == GROUP:
                self._add(question.get("children") or [], question, path)
            elif question["type"] == REPEAT:
                self.level_keys[(*path, name)] = set()
                self._add(question.get("children") or [], question, (*path, name))


class Run:
    def __init__(self, definition: dict, raw: dict, *, today, now, files, language: str, default: str):
        self.definition, self.raw = definition, raw
        self.form = _Form(definition["questions"])
        self.today, self.now, self.files = today, now, files
        self.language, self.default = language, default
        self.values: dict[tuple[str, Row], Any] = {}
        self.cleaned: dict[tuple[str, Row], tuple[Any, str | None]] = {}
        self.relevance: dict[tuple[str, Row], bool] = {}
        self.allowed: dict[tuple[str, Row], list[str]] = {}
        self.busy: set[tuple[str, Row]] = set()
        self.depth = 0
        self.work = 0
        self.nodesets: dict[tuple[str, Row], list] = {}  # ${name} read from outside its repeat
        self.filtered: dict[tuple, list[str]] = {}  # choice_filter results by the values it reads
        self.choice_index: dict[str, dict[str, int]] = {}
        self.shared_results: dict[tuple, Any] = {}

    def charge(self, cost: int) -> None:
        self.work += cost
        if self.work > MAX_WORK:
            raise TooMuchWork

    # The raw answers' shape: checked before any rule runs -----------------------------------

    def check_shape(self) -> dict[str, str]:
        """Unknown keys, repeats that are not lists of rows, too many rows or values: refused
        before anything else, so a crafted submission costs at most MAX_ANSWER_VALUES steps."""
        errors: dict[str, str] = {}
        count = 0
        stack: list[tuple[tuple[str, ...], dict, str]] = [((), self.raw, "")]
        while stack:
            path, row, prefix = stack.pop()
            known = self.form.level_keys[path]
            for key, value in row.items():
                count += 1
                if count > MAX_ANSWER_VALUES:
                    return {"answers": _("Phiếu có quá %(n)s câu trả lời.") % {"n": MAX_ANSWER_VALUES}}
                where = f"{prefix}{key}"
                if key not in known:
                    errors[where] = _("Biểu mẫu không có câu hỏi “%(name)s”.") % {"name": str(key)[:100]}
                elif self.form.question[key]["type"] == REPEAT:
                    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                        errors[where] = _("“%(name)s” phải là một danh sách các dòng.") % {"name": key}
                    elif len(value) > MAX_REPEAT_ROWS:
                        errors[where] = _("“%(name)s” có quá %(n)s dòng.") % {"name": key, "n": MAX_REPEAT_ROWS}
                    else:
                        count += len(value)
                        stack.extend(((*path, key), r, f"{where}[{i}].") for i, r in enumerate(value))
                if len(errors) >= MAX_ERRORS:
                    return errors
        return errors

    def raw_row(self, path: tuple[str, ...], row: Row) -> dict:
        current = self.raw
        for name, index in zip(path, row, strict=True):
            current = current[name][index]
        return current

    def row_count(self, repeat: str, row: Row) -> int:
        if not self.relevant(repeat, row):
            return 0
        rows = self.raw_row(self.form.path[repeat][:-1], row).get(repeat)
        return len(rows) if isinstance(rows, list) else 0

    # Rules ------------------------------------------------------------------------------------

    def context(self, key: str, row: Row, current: Any = "") -> dict:
        self.charge(EVALUATION_COST)
        path = self.form.path[key]
        if self.form.question[key]["type"] == REPEAT:
            path = path[:-1]
        return {
            "resolve": lambda name: self.resolve(name, path, row),
            "current": current,
            "today": self.today,
            "now": self.now,
            "position": row[-1] + 1 if row else None,
            "choice_name": self.choice_name,
        }

    def choice_name(self, value: Any, name: str) -> str:
        """jr:choice-name(value, '${name}'): the label of that choice of question `name`, in the
        language of the request (the phone shows its chosen language; the label is what people read)."""
        question = self.form.question.get(name)
        for choice in (question or {}).get("choices") or []:
            if isinstance(choice, dict) and choice.get("name") == expressions.to_string(value):
                return label(choice.get("label"), self.language, self.default) or choice["name"]
        return ""

    def resolve(self, name: str, path: tuple[str, ...], row: Row) -> Any:
        """${name} seen from a question at path/row: a value, or a list of values (nodeset)."""
        if name not in self.form.path:
            return ""
        target = self.form.path[name]
        common = 0
        while common < min(len(target), len(path)) and target[common] == path[common]:
            common += 1
        if common == len(target):
            self.charge(1)
            return self.value(name, row[:common])
        memo = (name, row[:common])
        if memo not in self.nodesets:
            rows = [row[:common]]
            for repeat in target[common:]:
                rows = [(*r, i) for r in rows for i in range(self.row_count(repeat, r))]
            # Remembered only once complete: a value that is still being worked out reads "".
            values = [self.value(name, r) for r in rows]
            if all((name, r) in self.values for r in rows):
                self.nodesets[memo] = values
            self.charge(len(values) + 1)
            return values
        values = self.nodesets[memo]
        # Read again, a nodeset costs what the function does with it: a sum walks it (about a
        # fortieth of a rule per value), indexed-repeat() or count() hardly touch it.
        self.charge(len(values) // NODESET_VALUES_PER_UNIT + 1)
        return values

    def shared(self, source: Any, key: str, row: Row, *, holds: bool) -> Any:
        """A relevance or calculation evaluated once for every row in which what it reads is the
        same: `sum(${b})` in each row of repeat A, b in repeat B, is one sum, not one per row."""
        if not isinstance(source, str) or not source.strip():
            return True if holds else ""
        run = definition_expr.holds if holds else definition_expr.evaluate
        if not row or "position" in source or definition_expr.uses_nondeterministic(source):
            return run(source, **self.context(key, row))
        path = self.form.path[key][:-1] if self.form.question[key]["type"] == REPEAT else self.form.path[key]
        reads = []
        for name in sorted(definition_expr.references(source)):
            target = self.form.path.get(name, ())
            common = 0
            while common < min(len(target), len(path)) and target[common] == path[common]:
                common += 1
            reads.append(row[:common])
        memo = (source, holds, tuple(reads))
        if memo not in self.shared_results:
            self.shared_results[memo] = run(source, **self.context(key, row))
        else:
            self.charge(1)
        return self.shared_results[memo]

    def relevant(self, name: str, row: Row) -> bool:
        memo = (name, row)
        if memo not in self.relevance:
            question, parent = self.form.question[name], self.form.parent[name]
            if parent is None:
                applies = True
            elif parent["type"] == REPEAT:
                applies = self.relevant(parent["name"], row[:-1])
            else:
                applies = self.relevant(parent["name"], row)
            self.relevance[memo] = applies and self.shared(question.get("relevant"), name, row, holds=True)
        return self.relevance[memo]

    def choices(self, question: dict, row: Row, wanted: frozenset[str] | None = None) -> list[str]:
        """The choices a select may take in this row, after its choice_filter, in choice order.
        wanted: only these names matter (the ones an answer gives), so a filter over a 20,000-row
        list runs on the few chosen, not on every choice, in every row."""
        memo = (question["name"], row, wanted)
        if memo not in self.allowed:
            source = question.get("choice_filter")
            if isinstance(source, str) and source.strip():
                names = self.filter_choices(question, source, row, wanted)
            elif wanted is not None:
                names = [c["name"] for c in self.candidates(question, wanted)]
                names += [OTHER] if question.get("or_other") and OTHER in wanted and OTHER not in names else []
            else:
                names = choice_names(question)
            self.allowed[memo] = names
        return self.allowed[memo]

    def wanted(self, question: dict, value: Any) -> frozenset[str] | None:
        """The choice names a select's value gives (None: every choice matters, as for rank)."""
        if question["type"] == RANK:
            return None
        if isinstance(value, str):
            return frozenset(value.split())
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            return frozenset(part.strip() for part in value)
        return frozenset()

    def candidates(self, question: dict, wanted: frozenset[str] | None) -> list[dict]:
        """The choices named in `wanted` (all when None), in choice order, found by name."""
        choices = question.get("choices") or []
        if wanted is None:
            return choices
        index = self.choice_index.get(question["name"])
        if index is None:
            index = self.choice_index[question["name"]] = {c["name"]: i for i, c in enumerate(choices)}
        return [choices[i] for i in sorted(index[name] for name in wanted | {OTHER} if name in index)]

    def filter_choices(self, question: dict, source: str, row: Row, wanted: frozenset[str] | None) -> list[str]:
        """The choices kept by choice_filter. The same filter reading the same values keeps the
        same choices: rows choosing from a 20,000-commune list by ${province} filter it once per
        province, not once per row."""
        context = self.context(question["name"], row)
        inputs = None
        if "position" not in source and not definition_expr.uses_nondeterministic(source):
            read = sorted(definition_expr.references(source))
            inputs = (question["name"], wanted, repr([context["resolve"](name) for name in read]))
            if inputs in self.filtered:
                return self.filtered[inputs]
        kept = []
        for choice in self.candidates(question, wanted):
            self.charge(EVALUATION_COST)
            columns = {**(choice.get("data") or {}), "name": choice["name"]}
            columns["label"] = label(choice.get("label"), self.default, self.default)
            if definition_expr.holds(source, **context, choice=columns):
                kept.append(choice["name"])
        other = question.get("or_other") and OTHER not in kept and (wanted is None or OTHER in wanted)
        names = kept + ([OTHER] if other else [])
        if inputs is not None:
            self.filtered[inputs] = names
        return names

    def clean(self, key: str, row: Row) -> tuple[Any, str | None]:
        """(stored value or None, what is wrong or None) of the respondent's own value."""
        memo = (key, row)
        if memo not in self.cleaned:
            question = self.form.question[key]
            value = self.raw_row(self.form.path[key], row).get(key)
            if is_blank(value):
                self.cleaned[memo] = (None, None)
            else:
                selects = question["type"] in SELECT_TYPES
                allowed = self.choices(question, row, self.wanted(question, value)) if selects else []
                try:
                    self.cleaned[memo] = (clean_value(question, key, value, allowed), None)
                except ValueError as problem:
                    self.cleaned[memo] = (None, str(problem))
        return self.cleaned[memo]

    @staticmethod
    def fixed(question: dict) -> bool:
        """Whether the server decides the value, not the respondent: a calculation, or a
        read-only or hidden question (its default, if any)."""
        source = question.get("calculation")
        calculated = isinstance(source, str) and bool(source.strip())
        return calculated or bool(question.get("read_only")) or question["type"] in (HIDDEN, CALCULATE)

    def computed(self, key: str, row: Row) -> Any:
        """The value of a fixed question (None: none)."""
        question = self.form.question[key]
        source = question.get("calculation")
        if isinstance(source, str) and source.strip():
            client = self.raw_row(self.form.path[key], row).get(key)
            if (
                definition_expr.uses_nondeterministic(source)
                and isinstance(client, str)
                and 0 < len(client.strip()) <= MAX_CLIENT_VALUE
                and storable(client)
            ):
                result = client.strip()
            else:
                result = computed_value(self.shared(source, key, row, holds=False))
        else:
            result = question.get("default")
            if result is not None and not isinstance(result, str):
                result = expressions.to_string(result)
        if result is None or result == "" or question["type"] in (HIDDEN, CALCULATE):
            return result if result != "" else None
        result = expressions.to_string(result)
        selects = question["type"] in SELECT_TYPES
        allowed = self.choices(question, row, self.wanted(question, result)) if selects else []
        try:
            return clean_value(question, key, result, allowed)
        except ValueError:
            return None

    def value(self, key: str, row: Row) -> Any:
        """What ${key} is in that row: "" when it does not apply or has no value."""
        memo = (key, row)
        if memo in self.values:
            return self.values[memo]
        if memo in self.busy or self.depth >= MAX_CHAIN:
            return ""
        self.busy.add(memo)
        self.depth += 1
        try:
            question = self.form.question[key]
            result: Any = None
            if question["type"] in (REPEAT, GROUP, NOTE) or not self.relevant(question["name"], row):
                result = None
            elif key != question["name"] and question["type"] != MATRIX:
                result = self.clean(key, row)[0]  # the "other" text
            elif self.fixed(question):
                result = self.computed(key, row)
            else:
                result = self.clean(key, row)[0]
        finally:
            self.depth -= 1
            self.busy.discard(memo)
        self.values[memo] = "" if result is None else result
        return self.values[memo]

    # The stored answers -----------------------------------------------------------------------

    def emit(self) -> tuple[dict, dict[str, str]]:
        self.errors: dict[str, str] = {}
        self.media_seen: set[str] = set()
        cleaned: dict = {}
        self.emit_level(self.definition["questions"], (), cleaned, "")
        return cleaned, self.errors

    def title(self, question: dict) -> str:
        return label(question.get("label"), self.language, self.default) or question["name"]

    def fail(self, where: str, question: dict, problem: str) -> None:
        self.errors[where] = _("“%(title)s”: %(problem)s") % {"title": self.title(question), "problem": problem}

    def emit_level(self, questions: list[dict], row: Row, out: dict, prefix: str) -> None:
        for question in questions:
            name, kind = question["name"], question["type"]
            relevant = self.relevant(name, row)  # first, as answers.js does: rules run in one order
            if kind == GROUP:
                self.emit_level(question.get("children") or [], row, out, prefix)
                continue
            if kind == NOTE or not relevant:
                continue  # answers to questions not shown are dropped, as the browser hides them
            if kind == REPEAT:
                self.emit_repeat(question, row, out, prefix)
                continue
            for key in answer_names(question) if kind == MATRIX else [name]:
                self.emit_value(question, key, row, out, f"{prefix}{key}")
            if question.get("or_other") and kind in SELECT_TYPES:
                self.emit_other(question, row, out, prefix)

    def emit_repeat(self, question: dict, row: Row, out: dict, prefix: str) -> None:
        name = question["name"]
        count = self.row_count(name, row)
        wanted = question.get("repeat_count")
        if wanted is not None and wanted != "":
            if isinstance(wanted, str):
                number = expressions.to_number(definition_expr.evaluate(wanted, **self.context(name, row)))
                expected = int(number) if number == number and 0 <= number <= MAX_REPEAT_ROWS else 0
            else:
                expected = int(wanted)
            if count != expected:
                self.fail(f"{prefix}{name}", question, _("cần đúng %(n)s dòng.") % {"n": expected})
        rows = []
        for index in range(count):
            row_out: dict = {}
            self.emit_level(question.get("children") or [], (*row, index), row_out, f"{prefix}{name}[{index}].")
            rows.append(row_out)
        if rows:
            out[name] = rows

    def emit_value(self, question: dict, key: str, row: Row, out: dict, where: str) -> None:
        if self.fixed(question):
            computed = self.value(key, row)
            if computed != "":
                out[key] = computed
            return
        value, problem = self.clean(key, row)
        if problem:
            self.fail(where, question, problem + ".")
            return
        if value is None:
            if question.get("required"):
                message = label(question.get("required_message"), self.language, self.default)
                self.fail(where, question, message or _("câu này bắt buộc."))
            return
        if question["type"] in MEDIA_TYPES:
            if value in self.media_seen:
                self.fail(where, question, _("tên tệp “%(name)s” đã dùng cho câu khác.") % {"name": value})
                return
            self.media_seen.add(value)
            if self.files is not None and value not in self.files:
                self.fail(where, question, _("thiếu tệp “%(name)s” đi kèm phiếu.") % {"name": value})
                return
        constraint = question.get("constraint")
        if constraint and not definition_expr.holds(constraint, **self.context(key, row, current=value)):
            message = label(question.get("constraint_message"), self.language, self.default)
            self.fail(where, question, message or _("giá trị không hợp lệ"))
            return
        out[key] = value

    def emit_other(self, question: dict, row: Row, out: dict, prefix: str) -> None:
        other_key = f"{question['name']}_{OTHER}"
        chose_other = OTHER in str(out.get(question["name"], "")).split()
        if not chose_other:
            return
        value, problem = self.clean(other_key, row)
        if problem:
            self.fail(f"{prefix}{other_key}", question, problem + ".")
        elif value is None and question["type"] != RANK:
            self.fail(f"{prefix}{other_key}", question, _("hãy ghi rõ lựa chọn khác."))
        elif value is not None:
            out[other_key] = value


def check_answers(
    definition: dict,
    answers: Any,
    *,
    today: date | None = None,
    now: datetime | None = None,
    files: Any = None,
) -> dict:
    """The answers as they are stored: applicable questions only, values normalised,
    calculations recomputed. Raise a ValidationError {answer path: message} naming the question
    when something is wrong. files: the names of the uploaded media files (None: not checked)."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Câu trả lời phải là một đối tượng {tên câu hỏi: giá trị}.")})
    run = Run(
        definition,
        answers,
        today=today or date.today(),
        now=now,
        files=None if files is None else set(files),
        language=get_language() or "vi",
        default=default_language(definition),
    )
    problems = run.check_shape()
    if problems:
        raise ValidationError(problems)
    try:
        cleaned, errors = run.emit()
    except TooMuchWork:
        message = _(
            "Phiếu này cần quá nhiều phép tính để kiểm tra (các quy tắc của biểu mẫu đọc lại nhiều dòng "
            "lặp trong từng dòng). Hãy báo người thiết kế biểu mẫu để đơn giản các phép tính."
        )
        raise ValidationError({"answers": message}) from None
    if errors:
        raise ValidationError(errors)
    return cleaned


def instance_name(definition: dict, answers: dict, *, today: date | None = None, now: datetime | None = None) -> str:
    """The name a response goes by (XLSForm's settings instance_name, e.g. concat(${village},
    '-', ${household})), computed from its checked answers as KoboToolbox does; "" without one.
    Computed on the server from what is stored, so a client cannot name a response otherwise."""
    source = (definition.get("settings") or {}).get("instance_name") if isinstance(definition, dict) else None
    if not isinstance(source, str) or not source.strip() or not isinstance(answers, dict):
        return ""
    run = Run(
        definition,
        answers,
        today=today or date.today(),
        now=now,
        files=None,
        language=get_language() or "vi",
        default=default_language(definition),
    )
    value = definition_expr.evaluate(
        source,
        resolve=lambda name: run.resolve(name, (), ()),
        today=run.today,
        now=now,
        choice_name=run.choice_name,
    )
    return " ".join(expressions.to_string(value).split())[:255]
