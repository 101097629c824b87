"""The comparison of a form's ratings across classes, semesters, campuses, lecturers or
collections — the "lessons for the next courses".

One statement (results_sql.Scan) grouped by collection: the sum and the count of every rating
and matrix item per collection. The collections' class, semester, campus or lecturer are
already known (results_filters.form_collections), so collections are folded into those groups
here, in Python, over a handful of rows: a mean is the sum of the sums over the sum of the
counts, the same figure AVG would give, without reading each response's collection context.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from ketnoi.core.text import fold

from . import definition as d
from . import results_tally
from .models import Form, Response
from .results import Group
from .results_filters import CONTEXT_LABELS, CollectionInfo
from .results_questions import Question, form_questions
from .results_sql import Scan

COMPARE_BY = ("class", "semester", "campus", "lecturer", "collection")


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


def _context_value(collection: CollectionInfo | None, by: str) -> str | None:
    value = collection.context.get(by) if collection else None
    return None if value in (None, "") else str(value)


def compare(
    form: Form,
    responses: QuerySet[Response],
    *,
    by: str,
    collections: list[CollectionInfo],
    questions: list[Question] | None = None,
    tallied: list[int] | None = None,
) -> Comparison:
    """The mean of every rating and matrix item per class, semester, campus, lecturer or
    collection: one statement grouped by collection."""
    if by not in COMPARE_BY:
        raise ValueError(by)
    questions = questions if questions is not None else form_questions(form)
    scaled = [q for q in questions if q.is_scale and not q.in_repeat]
    scan = Scan()
    scan.count_rows("responses")
    for question in scaled:
        for key in question.answer_keys():
            number = scan.number(question, key)
            scan.total((key, "sum"), number)
            scan.count((key, "n"), number)
    if tallied is not None:  # whole collections: read their tallies (results.form_results)
        per_collection = results_tally.figures(scan, tallied, per_collection=True).wide
    else:
        per_collection = scan.run(responses, F("collection_id")).wide

    infos = {c.pk: c for c in collections}
    if by == "collection":
        order = {c.pk: i for i, c in enumerate(collections)}
        keys: list[Any] = sorted(per_collection, key=lambda k: order.get(k, len(order)))
        member = {k: k for k in keys}
    else:
        member = {k: _context_value(infos.get(k), by) for k in per_collection}
        keys = sorted(set(member.values()), key=lambda k: (k is None, fold(k or ""), k or ""))
    rows: dict[Any, dict[Any, float]] = {k: {} for k in keys}
    for collection, figures in per_collection.items():
        target = rows[member[collection]]
        for name, value in figures.items():
            target[name] = target.get(name, 0) + (value or 0)

    if by == "collection":
        titles = {c.pk: c.title for c in collections}
        groups = [Group(k, titles.get(k, str(k)), int(rows[k].get("responses") or 0)) for k in keys]
    else:
        unnamed = _("(chưa ghi %(what)s)") % {"what": compare_label(by).lower()}
        groups = [Group(k, k if k is not None else unnamed, int(rows[k].get("responses") or 0)) for k in keys]

    compare_rows = []
    for question in scaled:
        if question.kind == d.MATRIX:
            labelled = [(item.name, item.label, question.label) for item in question.items]
        else:
            labelled = [(question.name, question.label, "")]
        for key, label, heading in labelled:
            cells = []
            for g in groups:
                n = int(rows[g.key].get((key, "n")) or 0)
                cells.append((rows[g.key].get((key, "sum"), 0) / n if n else None, n))
            compare_rows.append(CompareRow(key, label, heading, question.scale, cells))
    return Comparison(by=by, groups=groups, rows=compare_rows)
