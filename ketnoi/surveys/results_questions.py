"""The questions a form's results show, and how their answers are read from the JSON.

Every question of the definition format v2 (forms-spec §1) is shown: the types of v1, time,
datetime, range, rank, acknowledge/trigger, calculations (calculate, hidden, or any short text
computed by a `calculation`), geopoint, image/audio/file, and the questions inside repeats.
A question inside a repeat is counted over the repeat's rows under the key "<repeat>/<name>"
("member/visit/v_date" for a nested repeat), never read by SQL (results_rows); the repeat
itself is shown as "how many rows per submission" (the key "<repeat>#rows").

Which questions: the current version's, in order, then the questions that only earlier versions
had. Answers are aggregated by answer name across versions, so a response keeps counting under
the version it answered. If a name changed its kind between versions (a text became a number),
only the versions where it has the shown kind are counted, which also keeps a text from ever
reaching a numeric cast on PostgreSQL.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Case, Expression, FloatField, Func, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform, compile_json_path
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext as _

from . import definition as d
from .models import Form, FormVersion

# The types of forms-spec §1 (definition_types), named here as the results read them.
TIME, DATETIME, RANGE, RANK = d.TIME, d.DATETIME, d.RANGE, d.RANK
ACKNOWLEDGE, TRIGGER, HIDDEN, CALCULATE = d.ACKNOWLEDGE, d.TRIGGER, d.HIDDEN, d.CALCULATE
GEOPOINT, IMAGE, AUDIO, FILE, REPEAT = d.GEOPOINT, d.IMAGE, d.AUDIO, d.FILE, d.REPEAT
MEDIA_TYPES = (IMAGE, AUDIO, FILE)
ROWS = "#rows"  # suffix of a repeat's key: how many rows a submission (or outer row) has
ANY = "#any"  # suffix of a choice in a repeat: in how many submissions some row has the choice

# Answers of one name in different versions are aggregated together when they are of one kind.
KIND_CLASS = {
    d.TEXT: "text",
    d.LONG_TEXT: "text",
    d.INTEGER: "number",
    d.DECIMAL: "number",
    d.RATING: "number",
    d.MATRIX: "number",
    d.DATE: "date",
    d.SELECT_ONE: "one",
    d.SELECT_MULTIPLE: "many",
    TIME: "time",
    DATETIME: "datetime",
    RANGE: "number",
    RANK: "rank",
    ACKNOWLEDGE: "ok",
    TRIGGER: "ok",
    HIDDEN: "calc",
    CALCULATE: "calc",
    GEOPOINT: "geo",
    IMAGE: "media",
    AUDIO: "media",
    FILE: "media",
    REPEAT: "repeat",
}
PLAIN_KEY = re.compile(r"[A-Za-z0-9_]+")
KIND_LABELS = d.KIND_LABELS  # what each type is called, the same on every page
NUMBER_KINDS = (d.INTEGER, d.DECIMAL, RANGE)


@dataclass
class Choice:
    name: str
    label: str


@dataclass
class Question:
    name: str
    kind: str
    label: str
    hint: str = ""
    choices: list[Choice] = field(default_factory=list)
    or_other: bool = False
    scale: tuple[int, int] | None = None
    min_label: str = ""
    max_label: str = ""
    items: list[Choice] = field(default_factory=list)
    current: bool = True  # asked in the current version
    # answer key -> ids of the versions whose answers count, or None for all of them
    versions: dict[str, tuple[int, ...] | None] = field(default_factory=dict)
    # answer key of a rating or matrix -> every counted version asked it on a scale within
    # `scale`, so (answers being checked when stored) each answer is one of `points`
    on_points: dict[str, bool] = field(default_factory=dict)
    repeat: str = ""  # the path of the repeat it is in ("member", "member/visit"), "" at top level
    repeat_label: str = ""  # that repeat's label
    integral: bool = True  # a range on a whole-number grid

    @property
    def prefix(self) -> str:
        return f"{self.repeat}/" if self.repeat else ""

    @property
    def path(self) -> str:
        """A repeat's own path (the repeat path of its children)."""
        return f"{self.prefix}{self.name}"

    @property
    def key(self) -> str:
        """The main answer key: the name, "<repeat>/<name>" in a repeat, "<path>#rows" for a repeat."""
        return f"{self.path}{ROWS}" if self.kind == REPEAT else self.path

    @property
    def other_key(self) -> str:
        return f"{self.prefix}{self.name}_{d.OTHER}"

    @property
    def any_key(self) -> str:
        return f"{self.key}{ANY}"

    @property
    def is_choice(self) -> bool:
        return self.kind in (d.SELECT_ONE, d.SELECT_MULTIPLE)

    @property
    def is_scale(self) -> bool:
        return self.kind in (d.RATING, d.MATRIX)

    @property
    def is_number(self) -> bool:
        """Counted like a number: mean, median, extremes, distribution."""
        return self.kind in NUMBER_KINDS or self.kind == REPEAT

    @property
    def is_integer(self) -> bool:
        return self.kind in (d.INTEGER, REPEAT) or (self.kind == RANGE and self.integral)

    @property
    def is_text(self) -> bool:
        return self.kind in (d.TEXT, d.LONG_TEXT)

    @property
    def is_calculated(self) -> bool:
        return self.kind in (CALCULATE, HIDDEN)

    @property
    def is_media(self) -> bool:
        return self.kind in MEDIA_TYPES

    @property
    def in_repeat(self) -> bool:
        return bool(self.repeat)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def answer_keys(self) -> list[str]:
        return [f"{self.prefix}{item.name}" for item in self.items] if self.kind == d.MATRIX else [self.key]

    @property
    def points(self) -> list[int]:
        return list(range(self.scale[0], self.scale[1] + 1)) if self.scale else []

    def choice_label(self, name: str) -> str:
        for choice in self.choices:
            if choice.name == name:
                return choice.label
        return name

    def point_label(self, point: int) -> str:
        """A scale point as a person reads it: "5 – Rất tốt" at the labelled ends."""
        if self.scale and point == self.scale[0] and self.min_label:
            return f"{point} – {self.min_label}"
        if self.scale and point == self.scale[1] and self.max_label:
            return f"{point} – {self.max_label}"
        return str(point)


def text_in(value, default_language: str = "") -> str:
    """A label in the reader's language, else the form's default language, else Vietnamese,
    else the first one given (forms-spec §1)."""
    return d.label(value, default_language=default_language or None)


def default_language(definition: dict) -> str:
    return d.default_language(definition)


def kind_of(raw: dict) -> str:
    """The kind the results show a question as: a short text computed by a `calculation` is a
    calculation (its value may be a number)."""
    kind = raw.get("type")
    if kind == d.TEXT and raw.get("calculation"):
        return CALCULATE
    return kind


def walk_with_repeat(questions: list, repeat: str = "") -> Iterator[tuple[dict, str]]:
    """(question, the path of the repeat it is in: "member", "member/visit", "" at the top) for
    every question in order, groups and repeats before their children (d.walk_with_path)."""
    start = tuple(repeat.split("/")) if repeat else ()
    for raw, path in d.walk_with_path(questions, start):
        if isinstance(raw, dict):
            yield raw, "/".join(path)


def _choices(question: dict, language: str = "") -> list[Choice]:
    choices = [
        Choice(c["name"], text_in(c.get("label"), language) or c["name"])
        for c in question.get("choices") or []
        if isinstance(c, dict) and isinstance(c.get("name"), str)
    ]
    if question.get("or_other") and d.OTHER not in {c.name for c in choices}:
        choices.append(Choice(d.OTHER, _("Khác")))
    return choices


def _scale(raw: dict) -> tuple[int, int]:
    scale = raw.get("scale") or {}
    return int(scale.get("min", 1)), int(scale.get("max", 5))


def _integral(raw: dict) -> bool:
    parameters = raw.get("parameters") if isinstance(raw.get("parameters"), dict) else {}
    try:
        return all(float(parameters.get(k, 1)).is_integer() for k in ("start", "end", "step"))
    except (TypeError, ValueError):
        return False


def _new_question(raw: dict, *, current: bool, repeat: str, labels: dict[str, str], language: str) -> Question:
    scale = raw.get("scale") or {}
    kind = kind_of(raw)
    question = Question(
        name=raw["name"],
        kind=kind,
        label=text_in(raw.get("label"), language) or raw["name"],
        hint=text_in(raw.get("hint"), language),
        or_other=bool(raw.get("or_other")) and kind in (d.SELECT_ONE, d.SELECT_MULTIPLE, RANK),
        current=current,
        repeat=repeat,
        repeat_label=labels.get(repeat, ""),
        integral=_integral(raw) if kind == RANGE else True,
    )
    if question.is_choice or kind == RANK:
        question.choices = _choices(raw, language)
    if question.is_scale:
        question.scale = _scale(raw)
        question.min_label = text_in(scale.get("min_label"), language)
        question.max_label = text_in(scale.get("max_label"), language)
    if question.kind == d.MATRIX:
        question.items = [
            Choice(i["name"], text_in(i.get("label"), language) or i["name"]) for i in raw.get("items") or []
        ]
    return question


def _merge(question: Question, raw: dict, language: str) -> None:
    """Fold an earlier version's question of the same name and kind into the shown one: its
    choices, items and scale points stay countable."""
    if question.is_choice or question.kind == RANK:
        known = {c.name for c in question.choices}
        question.choices.extend(c for c in _choices(raw, language) if c.name not in known)
        question.or_other = question.or_other or bool(raw.get("or_other"))
    if question.kind == d.MATRIX:
        known = {i.name for i in question.items}
        question.items.extend(
            Choice(i["name"], text_in(i.get("label"), language) or i["name"])
            for i in raw.get("items") or []
            if i["name"] not in known
        )
    if question.is_scale:
        low, high = question.scale
        raw_low, raw_high = _scale(raw)
        question.scale = (min(low, raw_low), max(high, raw_high))
    if question.kind == RANGE:
        question.integral = question.integral and _integral(raw)


def key_classes(raw: dict, repeat: str = "") -> dict[str, str]:
    """Answer key -> its kind class for one question ("<repeat>/<key>" inside a repeat); a
    repeat's own key is of class "repeat" (its value is the list of rows)."""
    kind = kind_of(raw)
    prefix = f"{repeat}/" if repeat else ""
    if kind not in KIND_CLASS or not isinstance(raw.get("name"), str):
        return {}
    if kind == d.MATRIX:
        return {f"{prefix}{item['name']}": "number" for item in raw.get("items") or [] if isinstance(item, dict)}
    classes = {f"{prefix}{raw['name']}": KIND_CLASS[kind]}
    if raw.get("or_other") and kind in (d.SELECT_ONE, d.SELECT_MULTIPLE, RANK):
        classes[f"{prefix}{raw['name']}_{d.OTHER}"] = "text"
    return classes


def form_questions(form: Form, *, repeats: bool = False) -> list[Question]:
    """The questions whose answers the results show, current version first. One query.
    `repeats`: with the questions inside repeats and the repeats themselves (the results pages);
    without, only those whose answers sit at the top level (a flat export's columns)."""
    versions = list(FormVersion.objects.filter(form=form).values_list("id", "number", "definition"))
    versions.sort(key=lambda v: (v[0] != form.current_version_id, -v[1]))
    seen_classes: dict[str, dict[int, str]] = {}
    seen_scales: dict[str, dict[int, tuple[int, int] | None]] = {}  # the scale a key was asked on
    questions: dict[str, Question] = {}
    for index, (version_id, _number, definition) in enumerate(versions):
        definition = definition if isinstance(definition, dict) else {}
        raws = definition.get("questions") if isinstance(definition.get("questions"), list) else []
        language = default_language(definition)
        repeat_labels: dict[str, str] = {}
        for raw, repeat in walk_with_repeat(raws):
            kind = kind_of(raw)
            if kind not in KIND_CLASS or not isinstance(raw.get("name"), str):
                continue
            if kind == REPEAT:
                path = f"{repeat}/{raw['name']}" if repeat else raw["name"]
                repeat_labels[path] = text_in(raw.get("label"), language) or raw["name"]
            for key, kind_class in key_classes(raw, repeat).items():
                seen_classes.setdefault(key, {})[version_id] = kind_class
                if kind_class == "number":
                    scaled = kind in (d.RATING, d.MATRIX)
                    seen_scales.setdefault(key, {})[version_id] = _scale(raw) if scaled else None
            shown = questions.get(raw["name"])
            if shown is None:
                questions[raw["name"]] = _new_question(
                    raw, current=index == 0, repeat=repeat, labels=repeat_labels, language=language
                )
            elif (
                KIND_CLASS[shown.kind] == KIND_CLASS[kind]
                and (shown.kind == d.MATRIX) == (kind == d.MATRIX)
                and shown.repeat == repeat
            ):
                _merge(shown, raw, language)
    result = [q for q in questions.values() if repeats or not (q.repeat or q.kind == REPEAT)]
    for question in result:
        if question.kind == REPEAT:
            wanted = {question.path: "repeat"}
        else:
            wanted = dict.fromkeys(question.answer_keys(), KIND_CLASS[question.kind])
        if question.or_other:
            wanted[question.other_key] = "text"
        for key, kind_class in wanted.items():
            classes = seen_classes.get(key, {})
            if all(c == kind_class for c in classes.values()):
                question.versions[key] = None
            else:
                question.versions[key] = tuple(sorted(v for v, c in classes.items() if c == kind_class))
        if question.kind == REPEAT:
            question.versions[question.key] = question.versions.pop(question.path)
        if question.is_scale:
            low, high = question.scale
            for key in question.answer_keys():
                scales = seen_scales.get(key, {}).values()
                question.on_points[key] = all(s is not None and low <= s[0] and s[1] <= high for s in scales)
    return result


def split_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind == d.SELECT_ONE and not q.repeat]


# Reading an answer -----------------------------------------------------------------------------


class AnswerText(KeyTextTransform):
    """KT("answers__<key>"), read on SQLite with the ->> operator (3.38 and later): one JSON
    call per value instead of the two or three of KT's CASE, which only differs for JSON true,
    false and null — never stored as an answer."""

    def as_sqlite(self, compiler, connection):
        if connection.Database.sqlite_version_info < (3, 38):  # pragma: no cover - older SQLite
            return super().as_sqlite(compiler, connection)
        lhs, params, key_transforms = self.preprocess_lhs(compiler, connection)
        path = compile_json_path(key_transforms)
        if all(PLAIN_KEY.fullmatch(key) for key in key_transforms):
            # A literal path lets SQLite parse it once per query instead of once per row
            # (a third faster over 100,000 responses); only letters, digits and _ are inlined.
            return f"({lhs} ->> '{path}')", tuple(params)
        return f"({lhs} ->> %s)", (*params, path)


def answer_value(question: Question, key: str) -> Expression:
    """The answer under `key` as text (SQL NULL when absent), from the versions where it
    has the question's kind."""
    value = AnswerText(key, "answers")
    versions = question.versions.get(key)
    if versions is None:
        return value
    return Case(When(version_id__in=versions, then=value), default=Value(None), output_field=TextField())


def answer_number(question: Question, key: str) -> Expression:
    return Cast(answer_value(question, key), FloatField())


def filled(value: Expression) -> Expression:
    return NullIf(value, Value(""), output_field=TextField())


# A calculation's value, a number only when it is one: a JSON number, or a text written as one
# (-12, 3.5, .5) — the same test in Python (NUMERIC_TEXT, results_tally) and in both databases,
# so a text such as "Lan-2" never reaches a numeric cast (an error on PostgreSQL, 0 on SQLite).
NUMERIC_TEXT = re.compile(r"-?[0-9]*\.?[0-9]*")


def numeric(value) -> float | None:
    """The number a calculation's stored value is, or None (results_tally's side of answer_numeric)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and NUMERIC_TEXT.fullmatch(value) and any(c.isdigit() for c in value):
        return float(value)
    return None


class _Numeric(Func):
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        value, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"CASE WHEN {value} ~ '^-?[0-9]*\\.?[0-9]*$' AND {value} ~ '[0-9]' "
            f"THEN CAST({value} AS DOUBLE PRECISION) END"
        )
        return sql, (*params, *params, *params)

    def as_sqlite(self, compiler, connection, **extra):
        value, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"CASE WHEN typeof({value}) IN ('integer', 'real') THEN {value} "
            f"WHEN typeof({value}) = 'text' AND {value} NOT GLOB '*[^0-9.-]*' AND {value} GLOB '*[0-9]*' "
            f"AND {value} NOT GLOB '*.*.*' AND {value} NOT GLOB '?*-*' THEN CAST({value} AS REAL) END"
        )
        return sql, params * 8


def answer_numeric(question: Question, key: str) -> Expression:
    """A calculation's answer as a number where it is one (see NUMERIC_TEXT), else NULL."""
    return _Numeric(answer_value(question, key))
