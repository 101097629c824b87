"""A form's results, computed in the database.

Which questions: the current version's, in order, then the questions that only earlier versions
had. Answers are aggregated by answer name across versions, so a response keeps counting under
the version it answered. If a name changed its kind between versions (a text became a number),
only the versions where it has the shown kind are counted, which also keeps a text from ever
reaching a numeric cast on PostgreSQL.

How: every figure of every question is one aggregate expression over the JSON answers — a
`Count` with a condition per choice or scale point, `Avg`/`Min`/`Max` of the value cast to a
float — all in one query (split into a few when a form is huge), grouped by the split or
comparison category when there is one. Multiple choice is counted with a case-sensitive test on
" " + answer + " " containing " choice " (StrIndex: INSTR on SQLite, STRPOS on PostgreSQL).
Then a few queries per question that needs them: the distribution of an integer or decimal (one
grouped query, or bins), its median (from the grouped distribution, or an ordered offset query
per group when values are many), the dates per day or month, a page of free text. Nothing loads
the responses into Python, and the number of queries depends on the questions, not on how many
people answered.
"""

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import Case, Expression, F, FloatField, QuerySet, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform, compile_json_path
from django.db.models.functions import Cast, Concat, NullIf, Substr
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import definition as d
from .models import Form, FormVersion, Response
from .results_filters import CONTEXT_LABELS, CollectionInfo, filtered_responses, form_collections  # noqa: F401 (re-exported)

CHUNK = 300  # aggregates per query: SQLite returns at most 2000 columns, PostgreSQL 1664
INTEGER_VALUES = 100  # an integer spread over fewer values is counted per value (exact median)
INTEGER_BARS = 20  # …and charted per value when there are this few, in ranges otherwise
BINS = 8
DAYS_SHOWN_PER_DAY = 62  # a longer span of dates is counted per month
MONTHS_SHOWN_PER_MONTH = 36  # …and a longer one per year
TEXT_PAGE = 10

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
COMPARE_BY = ("class", "semester", "campus", "lecturer", "collection")
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


# The questions ---------------------------------------------------------------------------------


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
        low, high = scale.get("min", 1), scale.get("max", 5)
        question.scale = (int(low), int(high))
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
        scale = raw.get("scale") or {}
        low, high = question.scale
        question.scale = (min(low, int(scale.get("min", low))), max(high, int(scale.get("max", high))))


def _key_classes(raw: dict) -> dict[str, str]:
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
    questions: dict[str, Question] = {}
    for index, (version_id, _number, definition) in enumerate(versions):
        raws = definition.get("questions") if isinstance(definition, dict) else None
        for raw in d.walk(raws or []):
            if raw.get("type") not in KIND_CLASS or not raw.get("name"):
                continue
            for key, kind_class in _key_classes(raw).items():
                seen_classes.setdefault(key, {})[version_id] = kind_class
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
    return result


def split_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind == d.SELECT_ONE]


# Expressions -----------------------------------------------------------------------------------


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


# Running the aggregates ------------------------------------------------------------------------


def _quoted(alias: str) -> str:
    return f't."{alias}"'


class _Plan:
    """Many figures in one pass over the responses.

    An inner query, built from Django expressions (KT, Cast, Concat, Substr — the same SQL
    shape on SQLite and PostgreSQL), extracts each value the figures need once per response.
    An outer query aggregates those columns — COUNT, AVG, MIN, MAX, COUNT(CASE WHEN …) per
    choice, scale point, range or day — grouped by the split or comparison category. Writing
    `Count("pk", filter=…)` straight over the JSON instead would extract the same answer again
    for every choice and scale point: ten times slower on 100,000 responses. The inner query is
    fenced (LIMIT -1 on SQLite, OFFSET 0 on PostgreSQL) so that neither planner folds it into
    the outer one and repeats the extraction.
    """

    def __init__(self) -> None:
        self.columns: dict[str, Expression] = {}
        self._aliases: dict[Any, str] = {}
        self.aggregates: list[tuple[Any, str, tuple]] = []

    # Columns of the inner query
    def column(self, ident: Any, make: Callable[[], Expression]) -> str:
        if ident not in self._aliases:
            alias = f"c{len(self.columns)}"
            self.columns[alias] = make()
            self._aliases[ident] = _quoted(alias)
        return self._aliases[ident]

    def text(self, question: Question, key: str) -> str:
        return self.column((key, "text"), lambda: filled(answer_value(question, key)))

    def number(self, question: Question, key: str) -> str:
        return self.column((key, "number"), lambda: answer_number(question, key))

    def padded(self, question: Question) -> str:
        """A multiple choice as " a b ", so that " a " is found only as a whole choice."""
        value = answer_value(question, question.name)
        return self.column(
            (question.name, "padded"), lambda: Concat(Value(" "), value, Value(" "), output_field=TextField())
        )

    def prefix(self, question: Question, key: str, length: int) -> str:
        return self.column((key, "prefix", length), lambda: Substr(filled(answer_value(question, key)), 1, length))

    # Aggregates of the outer query
    def add(self, name: Any, sql: str, params: Iterable = ()) -> None:
        self.aggregates.append((name, sql, tuple(params)))

    def count_rows(self, name: Any) -> None:
        self.add(name, "COUNT(*)")

    def count(self, name: Any, column: str) -> None:
        self.add(name, f"COUNT({column})")

    def mean(self, name: Any, column: str) -> None:
        self.add(name, f"AVG({column})")

    def least(self, name: Any, column: str) -> None:
        self.add(name, f"MIN({column})")

    def most(self, name: Any, column: str) -> None:
        self.add(name, f"MAX({column})")

    def count_equal(self, name: Any, column: str, value: Any) -> None:
        self.add(name, f"COUNT(CASE WHEN {column} = %s THEN 1 END)", [value])

    def count_holding(self, name: Any, column: str, token: str) -> None:
        self.add(name, f"COUNT(CASE WHEN {{position}}({column}, %s) > 0 THEN 1 END)", [f" {token} "])

    def count_between(self, name: Any, column: str, low: float, high: float, *, closed: bool) -> None:
        upper = "<=" if closed else "<"
        self.add(name, f"COUNT(CASE WHEN {column} >= %s AND {column} {upper} %s THEN 1 END)", [low, high])

    def run(self, responses: QuerySet, group: Expression | None = None) -> dict[Any, dict]:
        """{group value (None without a group): {name: figure}}, in one query per CHUNK figures."""
        if not self.aggregates:
            return {}
        connection = connections[responses.db]
        inner = responses.order_by()
        fields = list(self.columns)
        if group is not None:
            inner = inner.annotate(_g=group)
            fields.insert(0, "_g")
        inner = inner.annotate(**self.columns).values(*(fields or ["pk"]))
        inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
        fence = " LIMIT -1" if connection.vendor == "sqlite" else " OFFSET 0"
        position = "INSTR" if connection.vendor == "sqlite" else "STRPOS"
        grouped = ' GROUP BY t."_g"' if group is not None else ""
        rows_by_group: dict[Any, dict] = {}
        for start in range(0, len(self.aggregates), CHUNK):
            chunk = self.aggregates[start : start + CHUNK]
            selected = (['t."_g"'] if group is not None else []) + [
                sql.replace("{position}", position) for _n, sql, _p in chunk
            ]
            params = [p for _n, _sql, ps in chunk for p in ps] + list(inner_params)
            sql = f"SELECT {', '.join(selected)} FROM ({inner_sql}{fence}) t{grouped}"  # noqa: S608 - generated aliases; every value is a parameter
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            for row in rows:
                key, values = (row[0], row[1:]) if group is not None else (None, row)
                target = rows_by_group.setdefault(key, {})
                for (name, _sql, _p), value in zip(chunk, values, strict=True):
                    target[name] = value
        return rows_by_group


# Figures ---------------------------------------------------------------------------------------


@dataclass
class Bar:
    """One count of a distribution: a choice, a scale point, a value, a range or a date."""

    code: Any
    label: str
    count: int
    percent: float | None

    @property
    def percent_text(self) -> str:
        from .results_charts import percent_text

        return percent_text(self.percent)


@dataclass
class Stats:
    """The figures of one answer key in one group."""

    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    minimum: Any = None
    maximum: Any = None
    others: int = 0  # "other, please specify" texts given
    buckets: str = ""  # what the bars count: choice, point, value, range, day, month, year

    def _text(self, value: Any) -> str:
        from .results_charts import number_text

        return number_text(value)

    @property
    def mean_text(self) -> str:
        return self._text(self.mean)

    @property
    def median_text(self) -> str:
        return self._text(self.median)

    @property
    def min_text(self) -> str:
        return self.minimum.strftime("%d/%m/%Y") if isinstance(self.minimum, date) else self._text(self.minimum)

    @property
    def max_text(self) -> str:
        return self.maximum.strftime("%d/%m/%Y") if isinstance(self.maximum, date) else self._text(self.maximum)


@dataclass
class ItemResult:
    item: Choice
    groups: list[Stats]


@dataclass
class Group:
    key: Any
    label: str
    responses: int


@dataclass
class QuestionResult:
    question: Question
    groups: list[Stats]  # one per Results.groups
    items: list[ItemResult] = field(default_factory=list)  # a matrix's items
    texts: "TextPage | None" = None
    other_texts: "TextPage | None" = None
    charts: list = field(default_factory=list)
    group_info: list["Group"] = field(default_factory=list)

    @property
    def pairs(self) -> list[tuple["Group", Stats]]:
        return list(zip(self.group_info, self.groups, strict=True))

    @property
    def bar_rows(self) -> list[tuple[str, list["Bar | None"]]]:
        """The bars transposed for a side-by-side table: (label, the bar in each group)."""
        rows: dict[Any, tuple[str, list]] = {}
        for index, stats in enumerate(self.groups):
            for bar in stats.bars:
                rows.setdefault(bar.code, (bar.label, [None] * len(self.groups)))[1][index] = bar
        return list(rows.values())

    @property
    def answered(self) -> int:
        if self.items:
            return max(sum(s.answered for s in item.groups) for item in self.items)
        return sum(s.answered for s in self.groups)

    @property
    def others(self) -> int:
        return sum(s.others for s in self.groups)


@dataclass
class Results:
    responses: int
    groups: list[Group]
    questions: list[QuestionResult]
    split: Question | None = None

    @property
    def is_split(self) -> bool:
        return self.split is not None


def _percent(count: int, total: int) -> float | None:
    return count * 100 / total if total else None


def median_of_counts(counts: Iterable[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how many): the middle value, or the mean of the
    two middle values when the count is even."""
    pairs = sorted((v, n) for v, n in counts if n)
    total = sum(n for _v, n in pairs)
    if not total:
        return None
    low_at, high_at = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value, n in pairs:
        if low is None and low_at < seen + n:
            low = value
        if high_at < seen + n:
            high = value
            break
        seen += n
    return (low + high) / 2


def _plan_question(plan: _Plan, question: Question) -> None:
    for key in question.answer_keys():
        if question.is_number or question.is_scale:
            number = plan.number(question, key)
            plan.count((key, "n"), number)
            plan.mean((key, "mean"), number)
            plan.least((key, "min"), number)
            plan.most((key, "max"), number)
            for point in question.points:
                plan.count_equal((key, "point", point), number, float(point))
        elif question.kind == d.SELECT_ONE:
            text = plan.text(question, key)
            plan.count((key, "n"), text)
            for choice in question.choices:
                plan.count_equal((key, "choice", choice.name), text, choice.name)
        elif question.kind == d.SELECT_MULTIPLE:
            plan.count((key, "n"), plan.text(question, key))
            padded = plan.padded(question)
            for choice in question.choices:
                plan.count_holding((key, "choice", choice.name), padded, choice.name)
        elif question.is_text:
            plan.count((key, "n"), plan.text(question, key))
        elif question.kind == d.DATE:
            text = plan.text(question, key)
            plan.count((key, "n"), text)
            plan.least((key, "min"), text)
            plan.most((key, "max"), text)
        if question.or_other:
            plan.count((question.other_key, "n"), plan.text(question, question.other_key))


def _stats(question: Question, key: str, row: dict) -> Stats:
    answered = row.get((key, "n")) or 0
    stats = Stats(answered=answered)
    if question.is_number or question.is_scale:
        stats.mean, stats.minimum, stats.maximum = row.get((key, "mean")), row.get((key, "min")), row.get((key, "max"))
    if question.is_scale:
        stats.buckets = "point"
        counts = [(p, row.get((key, "point", p)) or 0) for p in question.points]
        stats.bars = [Bar(p, question.point_label(p), n, _percent(n, answered)) for p, n in counts]
        stats.median = median_of_counts(counts)
    elif question.is_choice:
        stats.buckets = "choice"
        stats.bars = [
            Bar(c.name, c.label, n, _percent(n, answered))
            for c in question.choices
            for n in [row.get((key, "choice", c.name)) or 0]
        ]
        stats.others = row.get((question.other_key, "n")) or 0
    elif question.kind == d.DATE:
        stats.minimum, stats.maximum = _as_date(row.get((key, "min"))), _as_date(row.get((key, "max")))
    return stats


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# Second pass: distributions of numbers and dates -----------------------------------------------
#
# Their ranges are known after the first pass, so every integer value, range of a decimal or
# day of a date becomes one more COUNT(CASE WHEN …) in a single second query over all of them.


@dataclass
class _Distribution:
    """How one number or date key is counted in the second pass."""

    question: Question
    key: str
    stats: dict[Any, Stats]  # per group
    buckets: list[tuple[Any, str]]  # (code, label) in order
    kind: str  # value, range, day, month, year
    edges: list[tuple[float, float, bool]] = field(default_factory=list)


def _plan_number(plan: _Plan, question: Question, key: str, stats: dict[Any, Stats]) -> _Distribution | None:
    answered = [s for s in stats.values() if s.answered and s.minimum is not None]
    if not answered:
        return None
    low, high = min(s.minimum for s in answered), max(s.maximum for s in answered)
    number = plan.number(question, key)
    whole = all(float(v).is_integer() for v in (low, high)) and question.kind == d.INTEGER
    if whole and high - low < INTEGER_VALUES:
        values = [float(v) for v in range(int(low), int(high) + 1)]
        for value in values:
            plan.count_equal((key, "value", value), number, value)
        return _Distribution(question, key, stats, [(v, _number_text(v)) for v in values], "value")
    edges = _bin_edges(low, high, integer=question.kind == d.INTEGER)
    for index, (start, end, closed) in enumerate(edges):
        plan.count_between((key, "value", index), number, start, end, closed=closed)
    labels = [
        (i, _range_text(start, end, integer=question.kind == d.INTEGER)) for i, (start, end, _c) in enumerate(edges)
    ]
    return _Distribution(question, key, stats, labels, "range", edges)


def _plan_date(plan: _Plan, question: Question, key: str, stats: dict[Any, Stats]) -> _Distribution | None:
    answered = [s for s in stats.values() if s.answered and s.minimum and s.maximum]
    if not answered:
        return None
    low, high = min(s.minimum for s in answered), max(s.maximum for s in answered)
    if (high - low).days <= DAYS_SHOWN_PER_DAY:
        kind, length = "day", 10
        buckets = [(low + timedelta(days=i)).isoformat() for i in range((high - low).days + 1)]
    elif (high.year - low.year) * 12 + high.month - low.month < MONTHS_SHOWN_PER_MONTH:
        kind, length = "month", 7
        months = (high.year - low.year) * 12 + high.month - low.month + 1
        buckets = [
            f"{low.year + (low.month - 1 + i) // 12:04d}-{(low.month - 1 + i) % 12 + 1:02d}" for i in range(months)
        ]
    else:
        kind, length = "year", 4
        buckets = [f"{year:04d}" for year in range(low.year, high.year + 1)]
    column = plan.prefix(question, key, length)
    for bucket in buckets:
        plan.count_equal((key, "value", bucket), column, bucket)
    return _Distribution(question, key, stats, [(b, _date_text(b)) for b in buckets], kind)


def _fill_distribution(dist: _Distribution, rows: dict[Any, dict], responses: QuerySet, group: Expression | None):
    key = dist.key
    counts = {
        g: [(code, (rows.get(g, {}).get((key, "value", code)) or 0)) for code, _l in dist.buckets] for g in dist.stats
    }
    labels = dict(dist.buckets)
    regrouped = dist.kind == "value" and len(dist.buckets) > INTEGER_BARS
    for g, stats in dist.stats.items():
        stats.buckets = dist.kind
        if dist.kind == "value":
            stats.median = median_of_counts(counts[g])
            pairs = counts[g]
            if regrouped:
                pairs, bar_labels = _regroup(pairs)
            else:
                bar_labels = labels
            stats.bars = [Bar(c, bar_labels[c], n, _percent(n, stats.answered)) for c, n in pairs]
        else:
            stats.bars = [Bar(c, labels[c], n, _percent(n, stats.answered)) for c, n in counts[g]]
            if dist.kind == "range":
                number = answer_number(dist.question, key)
                stats.median = _median_by_offset(responses, group, g, number, stats.answered)
    if dist.kind != "range" and not regrouped:
        # Only the values, days, months or years someone gave, not the empty ones between.
        used = {c for pairs in counts.values() for c, n in pairs if n}
        for stats in dist.stats.values():
            stats.bars = [b for b in stats.bars if b.code in used]


def _regroup(pairs: list[tuple[float, int]]) -> tuple[list[tuple[Any, int]], dict[Any, str]]:
    """Whole-number counts folded into about BINS ranges for the chart (the median is taken
    from the exact counts before)."""
    width = math.ceil(len(pairs) / BINS)
    grouped, labels = [], {}
    for start in range(0, len(pairs), width):
        part = pairs[start : start + width]
        code = part[0][0]
        grouped.append((code, sum(n for _v, n in part)))
        labels[code] = _range_text(part[0][0], part[-1][0] + 1, integer=True)
    return grouped, labels


def _bin_edges(low: float, high: float, *, integer: bool) -> list[tuple[float, float, bool]]:
    """About BINS ranges from low to high: [start, end), the last one closed. Integer ranges
    hold whole numbers."""
    if integer:
        width = max(1, math.ceil((high - low + 1) / BINS))
        edges, start = [], low
        while start <= high:
            edges.append((start, start + width, False))
            start += width
        return edges
    if high == low:
        return [(low, high, True)]
    width = (high - low) / BINS
    return [(low + i * width, low + (i + 1) * width if i < BINS - 1 else high, i == BINS - 1) for i in range(BINS)]


def _range_text(start: float, end: float, *, integer: bool) -> str:
    if integer:
        top = end - 1
        return _number_text(start) if top == start else f"{_number_text(start)}–{_number_text(top)}"
    return f"{_number_text(start)}–{_number_text(end)}"


def _median_by_offset(responses: QuerySet, group: Expression | None, key: Any, number: Expression, count: int):
    """The median of a group's values read with ORDER BY … LIMIT 2 OFFSET (n-1)/2, so only the
    middle values leave the database."""
    if not count:
        return None
    rows = responses.order_by()
    if group is not None:
        rows = rows.filter(IsNull(group, True) if key is None else Exact(group, Value(key)))
    rows = rows.annotate(_v=number).exclude(_v__isnull=True).order_by("_v").values_list("_v", flat=True)
    start = (count - 1) // 2
    middle = list(rows[start : start + (2 if count % 2 == 0 else 1)])
    return sum(middle) / len(middle) if middle else None


def _date_text(bucket: str) -> str:
    if len(bucket) == 10:
        return f"{bucket[8:10]}/{bucket[5:7]}/{bucket[:4]}"
    if len(bucket) == 7:
        return f"{bucket[5:7]}/{bucket[:4]}"
    return bucket


def _number_text(value: Any) -> str:
    from .results_charts import number_text

    return number_text(value)


# The results page ------------------------------------------------------------------------------


def _split_groups(split: Question, counts: dict[Any, int]) -> list[Group]:
    groups = [Group(c.name, c.label, counts[c.name]) for c in split.choices if counts.get(c.name)]
    known = {c.name for c in split.choices}
    groups += [Group(k, str(k), n) for k, n in counts.items() if k is not None and k not in known and n]
    if counts.get(None):
        groups.append(Group(None, _("Không trả lời"), counts[None]))
    return groups


def form_results(
    form: Form, responses: QuerySet[Response], *, split: str | None = None, questions: list[Question] | None = None
) -> Results:
    """The figures of every question over `responses` (already filtered), per category of the
    single-choice question named by `split` when there is one. One query for the counts, means
    and extremes of every question, one more for the distributions of numbers and dates, and
    one per group for the median of a decimal (or a widely spread integer)."""
    questions = questions if questions is not None else form_questions(form)
    split_question = next((q for q in split_questions(questions) if q.name == split), None) if split else None
    group = answer_value(split_question, split_question.name) if split_question else None

    plan = _Plan()
    plan.count_rows("responses")
    for question in questions:
        _plan_question(plan, question)
    rows = plan.run(responses, group)

    if split_question:
        groups = _split_groups(split_question, {g: row.get("responses") or 0 for g, row in rows.items()})
    else:
        groups = [Group(None, "", rows.get(None, {}).get("responses") or 0)]
    total = sum(g.responses for g in groups)

    second = _Plan()
    distributions = []
    per_question: list[dict[str, dict[Any, Stats]]] = []
    for question in questions:
        per_key: dict[str, dict[Any, Stats]] = {}
        for key in question.answer_keys():
            per_key[key] = {g.key: _stats(question, key, rows.get(g.key, {})) for g in groups}
            if question.is_number:
                distributions.append(_plan_number(second, question, key, per_key[key]))
            elif question.kind == d.DATE:
                distributions.append(_plan_date(second, question, key, per_key[key]))
        per_question.append(per_key)
    distributions = [dist for dist in distributions if dist is not None]
    if distributions:
        second_rows = second.run(responses, group)
        for dist in distributions:
            _fill_distribution(dist, second_rows, responses, group)

    results = []
    for question, per_key in zip(questions, per_question, strict=True):
        if question.kind == d.MATRIX:
            items = [ItemResult(item, [per_key[item.name][g.key] for g in groups]) for item in question.items]
            results.append(QuestionResult(question, groups=[], items=items, group_info=groups))
        else:
            stats = [per_key[question.name][g.key] for g in groups]
            results.append(QuestionResult(question, groups=stats, group_info=groups))
    return Results(responses=total, groups=groups, questions=results, split=split_question)


# Free text -------------------------------------------------------------------------------------


@dataclass
class TextAnswer:
    text: str
    submitted_at: datetime
    group: str = ""


@dataclass
class TextPage:
    key: str
    answers: list[TextAnswer]
    number: int
    pages: int
    total: int
    previous_url: str = ""
    next_url: str = ""

    @property
    def param(self) -> str:
        return f"page_{self.key}"

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def text_answers(
    responses: QuerySet[Response],
    question: Question,
    key: str,
    *,
    total: int,
    page: Any = 1,
    split: Question | None = None,
    per_page: int = TEXT_PAGE,
) -> TextPage:
    """One page of the texts given under `key`, newest first (one query; `total` is the count
    the aggregates already know). With a split, each text says its category."""
    pages = max(1, math.ceil(total / per_page))
    try:
        number = min(max(1, int(page)), pages)
    except (TypeError, ValueError):
        number = 1
    if not total:
        return TextPage(key, [], 1, 1, 0)
    fields = {"_t": filled(answer_value(question, key))}
    if split is not None:
        fields["_g"] = answer_value(split, split.name)
    rows = (
        responses.annotate(**fields)
        .exclude(_t__isnull=True)
        .order_by("-submitted_at", "-id")
        .values_list(*fields, "submitted_at")
    )
    start = (number - 1) * per_page
    answers = []
    for row in rows[start : start + per_page]:
        group = ""
        if split is not None:
            group = split.choice_label(row[1]) if row[1] else _("Không trả lời")
        answers.append(TextAnswer(str(row[0]), row[-1], group))
    return TextPage(key, answers, number, pages, total)


# Comparison ------------------------------------------------------------------------------------


@dataclass
class CompareRow:
    key: str
    label: str
    heading: str  # the matrix a row belongs to ("" for a rating)
    scale: tuple[int, int]
    cells: list[tuple[float | None, int]]  # (mean, answered) per group

    @property
    def cell_texts(self) -> list[tuple[str, int, bool, bool]]:
        """(mean as text, answered, is the lowest, is the highest) per group."""
        from .results_charts import number_text

        low, high = self.lowest, self.highest
        spread = low is not None and high is not None and high > low
        return [(number_text(m), n, spread and m == low, spread and m == high) for m, n in self.cells]

    @property
    def lowest(self) -> float | None:
        means = [m for m, _n in self.cells if m is not None]
        return min(means) if means else None

    @property
    def highest(self) -> float | None:
        means = [m for m, _n in self.cells if m is not None]
        return max(means) if means else None


@dataclass
class Comparison:
    by: str
    groups: list[Group]
    rows: list[CompareRow]


def compare_label(by: str) -> str:
    return _("Đợt khảo sát") if by == "collection" else str(CONTEXT_LABELS[by])


def compare_group(by: str) -> Expression:
    if by == "collection":
        return F("collection_id")
    return KeyTextTransform(by, "collection__context")


def compare(
    form: Form,
    responses: QuerySet[Response],
    *,
    by: str,
    collections: list[CollectionInfo],
    questions: list[Question] | None = None,
) -> Comparison:
    """The mean of every rating and matrix item per class, semester, campus, lecturer or
    collection: one grouped query."""
    if by not in COMPARE_BY:
        raise ValueError(by)
    questions = questions if questions is not None else form_questions(form)
    scaled = [q for q in questions if q.is_scale]
    plan = _Plan()
    plan.count_rows("responses")
    for question in scaled:
        for key in question.answer_keys():
            number = plan.number(question, key)
            plan.mean((key, "mean"), number)
            plan.count((key, "n"), number)
    rows = plan.run(responses, compare_group(by))

    if by == "collection":
        order = {c.pk: i for i, c in enumerate(collections)}
        titles = {c.pk: c.title for c in collections}
        keys = sorted(rows, key=lambda k: order.get(k, len(order)))
        groups = [Group(k, titles.get(k, str(k)), rows[k].get("responses") or 0) for k in keys]
    else:
        from ketnoi.core.text import fold

        keys = sorted(rows, key=lambda k: (k is None, fold(str(k or "")), str(k or "")))
        unnamed = _("(chưa ghi %(what)s)") % {"what": compare_label(by).lower()}
        groups = [Group(k, str(k) if k not in (None, "") else unnamed, rows[k].get("responses") or 0) for k in keys]

    compare_rows = []
    for question in scaled:
        if question.kind == d.MATRIX:
            labelled = [(item.name, item.label, question.label) for item in question.items]
        else:
            labelled = [(question.name, question.label, "")]
        for key, label, heading in labelled:
            cells = [(rows[g.key].get((key, "mean")), rows[g.key].get((key, "n")) or 0) for g in groups]
            compare_rows.append(CompareRow(key, label, heading, question.scale, cells))
    return Comparison(by=by, groups=groups, rows=compare_rows)
