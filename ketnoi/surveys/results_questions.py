"""The questions a form's results show, and how their answers are read from the JSON.

Which questions: the current version's, in order, then the questions that only earlier versions
had. Answers are aggregated by answer name across versions, so a response keeps counting under
the version it answered. If a name changed its kind between versions (a text became a number),
only the versions where it has the shown kind are counted, which also keeps a text from ever
reaching a numeric cast on PostgreSQL.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Expression, FloatField, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform, compile_json_path
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import definition as d
from .models import Form, FormVersion

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
}
PLAIN_KEY = re.compile(r"[A-Za-z0-9_]+")
KIND_LABELS = {
    d.TEXT: gettext_lazy("Trả lời ngắn"),
    d.LONG_TEXT: gettext_lazy("Trả lời dài"),
    d.INTEGER: gettext_lazy("Số nguyên"),
    d.DECIMAL: gettext_lazy("Số"),
    d.DATE: gettext_lazy("Ngày"),
    d.SELECT_ONE: gettext_lazy("Chọn một"),
    d.SELECT_MULTIPLE: gettext_lazy("Chọn nhiều"),
    d.RATING: gettext_lazy("Thang điểm"),
    d.MATRIX: gettext_lazy("Bảng đánh giá"),
}


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

    @property
    def other_key(self) -> str:
        return f"{self.name}_{d.OTHER}"

    @property
    def is_choice(self) -> bool:
        return self.kind in (d.SELECT_ONE, d.SELECT_MULTIPLE)

    @property
    def is_scale(self) -> bool:
        return self.kind in (d.RATING, d.MATRIX)

    @property
    def is_number(self) -> bool:
        return self.kind in (d.INTEGER, d.DECIMAL)

    @property
    def is_text(self) -> bool:
        return self.kind in (d.TEXT, d.LONG_TEXT)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def answer_keys(self) -> list[str]:
        return [item.name for item in self.items] if self.kind == d.MATRIX else [self.name]

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


def _choices(question: dict) -> list[Choice]:
    choices = [Choice(c["name"], d.label(c.get("label")) or c["name"]) for c in question.get("choices") or []]
    if question.get("or_other") and d.OTHER not in {c.name for c in choices}:
        choices.append(Choice(d.OTHER, _("Khác")))
    return choices


def _scale(raw: dict) -> tuple[int, int]:
    scale = raw.get("scale") or {}
    return int(scale.get("min", 1)), int(scale.get("max", 5))


def _new_question(raw: dict, *, current: bool) -> Question:
    scale = raw.get("scale") or {}
    question = Question(
        name=raw["name"],
        kind=raw["type"],
        label=d.label(raw.get("label")) or raw["name"],
        hint=d.label(raw.get("hint")),
        or_other=bool(raw.get("or_other")) and raw["type"] in (d.SELECT_ONE, d.SELECT_MULTIPLE),
        current=current,
    )
    if question.is_choice:
        question.choices = _choices(raw)
    if question.is_scale:
        question.scale = _scale(raw)
        question.min_label, question.max_label = d.label(scale.get("min_label")), d.label(scale.get("max_label"))
    if question.kind == d.MATRIX:
        question.items = [Choice(i["name"], d.label(i.get("label")) or i["name"]) for i in raw.get("items") or []]
    return question


def _merge(question: Question, raw: dict) -> None:
    """Fold an earlier version's question of the same name and kind into the shown one: its
    choices, items and scale points stay countable."""
    if question.is_choice:
        known = {c.name for c in question.choices}
        question.choices.extend(c for c in _choices(raw) if c.name not in known)
        question.or_other = question.or_other or bool(raw.get("or_other"))
    if question.kind == d.MATRIX:
        known = {i.name for i in question.items}
        question.items.extend(
            Choice(i["name"], d.label(i.get("label")) or i["name"])
            for i in raw.get("items") or []
            if i["name"] not in known
        )
    if question.is_scale:
        low, high = question.scale
        raw_low, raw_high = _scale(raw)
        question.scale = (min(low, raw_low), max(high, raw_high))


def key_classes(raw: dict) -> dict[str, str]:
    kind = raw["type"]
    classes = {}
    for key in d.answer_names(raw):
        classes[key] = "text" if kind != d.MATRIX and key == f"{raw['name']}_{d.OTHER}" else KIND_CLASS[kind]
    return classes


def form_questions(form: Form) -> list[Question]:
    """The questions whose answers the results show, current version first. One query."""
    versions = list(FormVersion.objects.filter(form=form).values_list("id", "number", "definition"))
    versions.sort(key=lambda v: (v[0] != form.current_version_id, -v[1]))
    seen_classes: dict[str, dict[int, str]] = {}
    seen_scales: dict[str, dict[int, tuple[int, int] | None]] = {}  # the scale a key was asked on
    questions: dict[str, Question] = {}
    for index, (version_id, _number, definition) in enumerate(versions):
        raws = definition.get("questions") if isinstance(definition, dict) else None
        for raw in d.walk(raws or []):
            if raw.get("type") not in KIND_CLASS or not raw.get("name"):
                continue
            for key, kind_class in key_classes(raw).items():
                seen_classes.setdefault(key, {})[version_id] = kind_class
                if kind_class == "number":
                    scaled = raw["type"] in (d.RATING, d.MATRIX)
                    seen_scales.setdefault(key, {})[version_id] = _scale(raw) if scaled else None
            shown = questions.get(raw["name"])
            if shown is None:
                questions[raw["name"]] = _new_question(raw, current=index == 0)
            elif KIND_CLASS[shown.kind] == KIND_CLASS[raw["type"]] and (shown.kind == d.MATRIX) == (
                raw["type"] == d.MATRIX
            ):
                _merge(shown, raw)
    result = list(questions.values())
    for question in result:
        wanted = dict.fromkeys(question.answer_keys(), KIND_CLASS[question.kind])
        if question.or_other:
            wanted[question.other_key] = "text"
        for key, kind_class in wanted.items():
            classes = seen_classes.get(key, {})
            if all(c == kind_class for c in classes.values()):
                question.versions[key] = None
            else:
                question.versions[key] = tuple(sorted(v for v, c in classes.items() if c == kind_class))
        if question.is_scale:
            low, high = question.scale
            for key in question.answer_keys():
                scales = seen_scales.get(key, {}).values()
                question.on_points[key] = all(s is not None and low <= s[0] and s[1] <= high for s in scales)
    return result


def split_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind == d.SELECT_ONE]


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
