"""A form's results, computed in the database: the figures of every question, per category of
a split question when there is one, and pages of free text.

How: one statement (results_sql.Scan) reads every answer of the filtered responses once and
returns every count, mean, extreme, distribution and median the page shows — a choice or
scale point is one `COUNT(*) FILTER (WHERE …)`, so ratings and matrices get their bars and
medians from their counts; integers, decimals and dates are counted per value, range or day in
the same statement, decimals' medians read from the middle of the sorted values there too.
Then one query per page of free text, which reads only that answer and stops at the page
(LIMIT). Nothing loads the responses into Python, and the number of queries depends on the
questions, not on how many people answered.

When the filters select whole collections and nothing splits the figures (the usual page),
the same plan is computed from the collections' tallies instead (results_tally): a few rows
rather than every response's JSON — for 100,000 responses about 0.2 s instead of 2 s on SQLite.

Questions inside repeats (forms-spec §2: lists of row objects) are counted over their rows,
and each repeat as "rows per response" — never by the SQL statement, which cannot unpack arrays
cheaply on both databases. The tallies count them (results_tally: "member/m_age" per row,
"member#rows" per response, "member/m_sex#any" for "x of y responses have a row with…"), so
the usual page costs the same with repeats (about 0.1 s for 100,000 responses of 3 rows once
the tallies are kept). With a date filter or a split, one Python pass reads only the repeats'
arrays, in chunks (results_rows): the page then grows with the rows (several seconds for
300,000 rows) — the price of exact figures for any subset, paid only when one is asked for.

The questions and how their answers are read: results_questions. The comparison across
classes, semesters and collections: results_compare. Filters: results_filters. Pages of
texts, points (with their map) and media files: results_pages.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import definition as d
from . import results_questions as rq
from . import results_rows, results_tally
from .models import Form, Response
from .results_filters import CONTEXT_LABELS, CollectionInfo, filtered_responses, form_collections  # noqa: F401 (re-exported)
from .results_pages import TEXT_PAGE, TextAnswer, TextPage, text_answers  # noqa: F401 (re-exported)
from .results_questions import (  # noqa: F401 (re-exported)
    KIND_CLASS,
    KIND_LABELS,
    Choice,
    Question,
    answer_number,
    answer_value,
    filled,
    form_questions,
    split_questions,
)
from .results_sql import BINS, INTEGER_VALUES, TEXT, Scan, ScanResult

INTEGER_BARS = 20  # an integer over this many values is charted in ranges (median still exact)
DAYS_SHOWN_PER_DAY = 62  # a longer span of dates is counted per month


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
    buckets: str = ""  # what the bars count: choice, point, value, range, day, month, year, hour
    responses: int = 0  # the responses of the group
    numbers: int = 0  # a calculation's values that are numbers
    total: float | None = None  # a repeat's rows, all responses together
    ok: int = 0  # acknowledge / trigger: how many said OK
    ranks: list[tuple["Bar", float | None]] = field(default_factory=list)  # rank: (first, mean place)
    present: list["Bar"] = field(default_factory=list)  # a choice in a repeat: responses with a row of it

    @property
    def numeric(self) -> bool:
        """A calculation shown as a number: every value given is one."""
        return bool(self.answered) and self.numbers == self.answered

    def _text(self, value: Any) -> str:
        from .results_charts import number_text

        return number_text(value)

    @property
    def mean_text(self) -> str:
        return self._text(self.mean)

    @property
    def median_text(self) -> str:
        return self._text(self.median)

    def _extreme(self, value: Any) -> str:
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return value if isinstance(value, str) else self._text(value)

    @property
    def min_text(self) -> str:
        return self._extreme(self.minimum)

    @property
    def max_text(self) -> str:
        return self._extreme(self.maximum)

    @property
    def total_text(self) -> str:
        return self._text(self.total)

    @property
    def rank_rows(self) -> list[tuple["Bar", str]]:
        return [(bar, self._text(mean)) for bar, mean in self.ranks]


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

    @property
    def as_number(self) -> bool:
        """Shown with a mean, a median and extremes (a calculation: when its values are numbers)."""
        if self.question.is_calculated:
            return _all_numbers([(s.numbers, s.answered) for s in self.groups])
        return self.question.is_number or self.question.kind == d.RATING

    @property
    def as_text(self) -> bool:
        """Shown as pages of the answers themselves."""
        return self.question.is_text or (self.question.is_calculated and not self.as_number)


@dataclass
class Results:
    responses: int
    groups: list[Group]
    questions: list[QuestionResult]
    split: Question | None = None
    # Which responses these are, when they are whole collections' (results_tally.state): what
    # is computed from them may be kept in the cache under it (results_tally.cached).
    state_key: str | None = None

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


# What the statement computes per question ------------------------------------------------------


def _plan_question(scan: Scan, question: Question) -> None:
    for key in question.answer_keys():
        if question.is_scale:
            number = scan.number(question, key)
            scan.count((key, "n"), number)
            for point in question.points:
                scan.count_equal((key, "point", point), number, float(point))
            if not question.on_points.get(key):  # answers off the points: read them directly
                scan.mean((key, "mean"), number)
                scan.least((key, "min"), number)
                scan.most((key, "max"), number)
        elif question.is_number or question.is_calculated:
            if question.is_calculated:  # counted as given; figures over the values that are numbers
                scan.count((key, "n"), scan.given(question, key))
                number = scan.numeric(question, key)
                scan.count((key, "numbers"), number)
            else:
                number = scan.number(question, key)
                scan.count((key, "n"), number)
            if question.kind == rq.REPEAT:
                scan.total((key, "total"), number)
            scan.mean((key, "mean"), number)
            scan.least((key, "min"), number)
            scan.most((key, "max"), number)
            if question.is_integer:
                scan.integer_counts(key, number)
            else:
                scan.decimal_counts(key, number)
        elif question.kind == d.SELECT_ONE:
            text = scan.text(question, key)
            scan.count((key, "n"), text)
            for choice in question.choices:
                scan.count_equal((key, "choice", choice.name), text, choice.name)
            if question.in_repeat:  # in how many responses some row has it (results_tally)
                present = scan.text(question, question.any_key)
                for choice in question.choices:
                    scan.count_equal((key, "any", choice.name), present, choice.name)
        elif question.kind == d.SELECT_MULTIPLE:
            padded = scan.padded(question, key)
            scan.count((key, "n"), padded)
            for choice in question.choices:
                scan.count_holding((key, "choice", choice.name), padded, choice.name)
        elif question.kind == rq.RANK:
            padded = scan.padded(question, key)
            scan.count((key, "n"), padded)
            for choice in question.choices:
                scan.rank_first((key, "choice", choice.name), padded, choice.name)
                scan.rank_mean((key, "rank", choice.name), padded, choice.name)
        elif question.is_text or question.is_media or question.kind == rq.GEOPOINT:
            scan.count((key, "n"), scan.given(question, key))
        elif question.kind in (rq.ACKNOWLEDGE, rq.TRIGGER):
            text = scan.text(question, key)
            scan.count((key, "n"), text)
            scan.count_equal((key, "ok"), text, "OK")
        elif question.kind in (d.DATE, rq.DATETIME, rq.TIME):
            text = scan.text(question, key)
            scan.count((key, "n"), text)
            scan.least((key, "min"), text, kind=TEXT)
            scan.most((key, "max"), text, kind=TEXT)
            if question.kind == d.DATE:
                scan.date_counts(key, text)
            else:
                scan.prefix_counts(key, text, 2 if question.kind == rq.TIME else 10)
        if question.or_other:
            scan.count((question.other_key, "n"), scan.given(question, question.other_key))


def _stats(question: Question, key: str, row: dict) -> Stats:
    answered = row.get((key, "n")) or 0
    stats = Stats(answered=answered, responses=row.get("responses") or 0)
    if question.is_number or question.is_scale or question.is_calculated:
        stats.mean, stats.minimum, stats.maximum = row.get((key, "mean")), row.get((key, "min")), row.get((key, "max"))
        stats.numbers = row.get((key, "numbers"), answered) or 0
        stats.total = row.get((key, "total"))
    if question.is_scale:
        stats.buckets = "point"
        counts = [(p, row.get((key, "point", p)) or 0) for p in question.points]
        stats.bars = [Bar(p, question.point_label(p), n, _percent(n, answered)) for p, n in counts]
        stats.median = median_of_counts(counts)
        given = [(p, n) for p, n in counts if n]
        if question.on_points.get(key) and given:
            stats.mean = sum(p * n for p, n in given) / sum(n for _p, n in given)
            stats.minimum, stats.maximum = given[0][0], given[-1][0]
    elif question.is_choice or question.kind == rq.RANK:
        stats.buckets = "choice"
        stats.bars = [
            Bar(c.name, c.label, n, _percent(n, answered))
            for c in question.choices
            for n in [row.get((key, "choice", c.name)) or 0]
        ]
        stats.others = row.get((question.other_key, "n")) or 0
        if question.kind == rq.RANK:
            stats.ranks = [(bar, row.get((key, "rank", bar.code))) for bar in stats.bars]
        if question.kind == d.SELECT_ONE and question.in_repeat:
            stats.present = [
                Bar(c.name, c.label, n, _percent(n, stats.responses))
                for c in question.choices
                for n in [row.get((key, "any", c.name)) or 0]
            ]
    elif question.kind in (rq.ACKNOWLEDGE, rq.TRIGGER):
        stats.ok = row.get((key, "ok")) or 0
    elif question.kind == d.DATE:
        stats.minimum, stats.maximum = _as_date(row.get((key, "min"))), _as_date(row.get((key, "max")))
    elif question.kind in (rq.DATETIME, rq.TIME):
        stats.minimum, stats.maximum = _moment_text(row.get((key, "min"))), _moment_text(row.get((key, "max")))
    return stats


def _all_numbers(pairs: list[tuple[int, int]]) -> bool:
    """(numbers, answered) of each group: a calculation is shown as a number when every value is one."""
    answered = sum(n for _numbers, n in pairs)
    return answered > 0 and sum(numbers for numbers, _n in pairs) == answered


def _moment_text(value: Any) -> str | None:
    """A stored datetime ("2024-03-01T08:30[:00][+07:00]") or time as people read it here."""
    if value is None:
        return None
    text = str(value)
    if len(text) >= 16 and text[10] == "T":
        return f"{_date_text(text[:10])} {text[11:16]}"
    return text[:5] if len(text) >= 5 and text[2:3] == ":" else text


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# Distributions of numbers and dates ------------------------------------------------------------


def _number_bars(question: Question, key: str, stats: dict[Any, Stats], found: ScanResult) -> None:
    answered = [s for s in stats.values() if s.answered and s.minimum is not None]
    if not answered:
        return
    low, high = min(s.minimum for s in answered), max(s.maximum for s in answered)
    counts, middles = found.counts.get(key, {}), found.middles.get(key, {})
    integer = question.is_integer
    if integer and high - low < INTEGER_VALUES:
        values = [float(v) for v in range(int(low), int(high) + 1)]
        regrouped = len(values) > INTEGER_BARS
        for g, s in stats.items():
            given = {int(b): n for b, n in counts.get(g, [])}
            pairs = [(v, given.get(int(v), 0)) for v in values]
            s.buckets, s.median = "value", median_of_counts(pairs)
            labels = {v: _number_text(v) for v in values}
            if regrouped:
                pairs, labels = _regroup(pairs)
            s.bars = [Bar(c, labels[c], n, _percent(n, s.answered)) for c, n in pairs]
        if not regrouped:  # only the values someone gave, not the empty ones between
            used = {b.code for s in stats.values() for b in s.bars if b.count}
            for s in stats.values():
                s.bars = [b for b in s.bars if b.code in used]
        return
    edges = bin_edges(low, high, integer=integer)
    for g, s in stats.items():
        given = {int(b): n for b, n in counts.get(g, [])}
        s.buckets = "range"
        s.bars = [
            Bar(i, _range_text(start, end, integer=integer), given.get(i, 0), _percent(given.get(i, 0), s.answered))
            for i, (start, end, _closed) in enumerate(edges)
        ]
        middle = middles.get(g) or []
        s.median = sum(middle) / len(middle) if middle else None


def _date_bars(key: str, stats: dict[Any, Stats], found: ScanResult) -> None:
    answered = [s for s in stats.values() if s.answered and s.minimum and s.maximum]
    if not answered:
        return
    low, high = min(s.minimum for s in answered), max(s.maximum for s in answered)
    counts = found.counts.get(key, {})
    per_day = (high - low).days <= DAYS_SHOWN_PER_DAY
    folded: dict[Any, dict[str, int]] = {}
    for g in stats:
        for bucket, n in counts.get(g, []):
            code = str(bucket)
            if len(code) == 10 and not per_day:
                code = code[:7]  # counted per day by the database, shown per month
            folded.setdefault(g, {})[code] = folded.get(g, {}).get(code, 0) + n
    codes = sorted({code for by_code in folded.values() for code in by_code})
    kind = {10: "day", 7: "month"}.get(len(codes[0]) if codes else 4, "year")
    for g, s in stats.items():
        s.buckets = kind
        s.bars = [
            Bar(c, _date_text(c), n, _percent(n, s.answered)) for c in codes for n in [folded.get(g, {}).get(c, 0)]
        ]


def _prefix_bars(question: Question, key: str, stats: dict[Any, Stats], found: ScanResult) -> None:
    """A time's answers per hour, a datetime's per day (results_sql.prefix_counts)."""
    counts = found.counts.get(key, {})
    codes = sorted({str(code) for per_group in counts.values() for code, _n in per_group})
    hour = question.kind == rq.TIME
    for g, s in stats.items():
        given = {str(code): n for code, n in counts.get(g, [])}
        s.buckets = "hour" if hour else "day"
        s.bars = [
            Bar(c, f"{c}:00–{c}:59" if hour else _date_text(c), given.get(c, 0), _percent(given.get(c, 0), s.answered))
            for c in codes
        ]


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


def bin_edges(low: float, high: float, *, integer: bool) -> list[tuple[float, float, bool]]:
    """About BINS ranges from low to high: [start, end), the last one closed. Integer ranges
    hold whole numbers. results_sql counts with the same arithmetic."""
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
    form: Form,
    responses: QuerySet[Response],
    *,
    split: str | None = None,
    questions: list[Question] | None = None,
    tallied: list[int] | None = None,
) -> Results:
    """The figures of every question over `responses` (already filtered), per category of the
    single-choice question named by `split` when there is one: one statement (see results_sql).
    `tallied`: the ids of the collections whose every response `responses` holds (see
    results_filters.whole_collections) — without a split, the figures are then read from their
    tallies (results_tally), the same figures without reading each response."""
    questions = questions if questions is not None else form_questions(form, repeats=True)
    split_question = next((q for q in split_questions(questions) if q.name == split), None) if split else None
    group = answer_value(split_question, split_question.name) if split_question else None

    # Questions in repeats are counted from the tallies, or by one Python pass over the repeats'
    # arrays (results_rows); every other question by the tallies or one SQL statement.
    scan, rows_scan = Scan(), Scan()
    scan.count_rows("responses")
    rows_scan.count_rows("responses")
    counted_by_rows = [question for question in questions if question.in_repeat or question.kind == rq.REPEAT]
    for question in questions:
        _plan_question(rows_scan if question.in_repeat or question.kind == rq.REPEAT else scan, question)
    state_key = None
    if tallied is not None and split_question is None:
        for question in counted_by_rows:
            _plan_question(scan, question)  # the tallies count the rows too: one plan, one cache entry
        known = results_tally.state(tallied)
        state_key = known[1]
        found = results_tally.figures(scan, tallied, known=known)
    else:
        found = scan.run(responses, group)
        if counted_by_rows:
            results_rows.merge(found, results_rows.figures(rows_scan, form, responses, counted_by_rows, group))
    rows = found.wide

    if split_question:
        groups = _split_groups(split_question, {g: row.get("responses") or 0 for g, row in rows.items()})
    else:
        groups = [Group(None, "", rows.get(None, {}).get("responses") or 0)]
    total = sum(g.responses for g in groups)

    results = []
    for question in questions:
        per_key: dict[str, dict[Any, Stats]] = {}
        for key in question.answer_keys():
            per_key[key] = {g.key: _stats(question, key, rows.get(g.key, {})) for g in groups}
            numbers = [(s.numbers, s.answered) for s in per_key[key].values()]
            if question.is_number or (question.is_calculated and _all_numbers(numbers)):
                _number_bars(question, key, per_key[key], found)
            elif question.kind == d.DATE:
                _date_bars(key, per_key[key], found)
            elif question.kind in (rq.TIME, rq.DATETIME):
                _prefix_bars(question, key, per_key[key], found)
        if question.kind == d.MATRIX:
            items = [
                ItemResult(item, [per_key[k][g.key] for g in groups])
                for item, k in zip(question.items, question.answer_keys(), strict=True)
            ]
            results.append(QuestionResult(question, groups=[], items=items, group_info=groups))
        else:
            stats = [per_key[question.key][g.key] for g in groups]
            results.append(QuestionResult(question, groups=stats, group_info=groups))
    return Results(responses=total, groups=groups, questions=results, split=split_question, state_key=state_key)
